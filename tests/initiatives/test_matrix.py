"""The participation matrix: an accessible table of participants x active initiatives."""

from __future__ import annotations

from coalition.bodies.models import JoinPolicy
from coalition.initiatives.models import Axis
from tests.initiatives.conftest import endorse
from tests.test_pages_quality import parse_strict


def region_groups(table) -> list[tuple[str, list[str]]]:
    """(group header, [participant names]) of each row group of the matrix."""
    groups = []
    for tbody in table.findall("tbody"):
        rows = tbody.findall("tr")
        header = rows[0].find("th")
        assert header.get("scope") == "rowgroup"
        names = []
        for tr in rows[1:]:
            assert tr.find("th").get("scope") == "row"
            names.append("".join(tr.find("th").itertext()).strip())
        groups.append(("".join(header.itertext()).strip(), names))
    return groups


def test_the_matrix_is_a_table_with_caption_and_scoped_headers_and_text_cells(
    make_initiative, make_organization, make_user, login
):
    world = make_initiative(title="Cyber norms", policy=JoinPolicy.OPEN, axis=Axis.GOVERNANCE_GAPS)
    make_initiative(title="Draft idea", activate=False)
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    org = make_organization(code="article-19", name="Article 19")
    login(make_user(represent=org)).post(f"/initiatives/{world.slug}/join")

    response = login(None).get("/matrix")
    assert response.status_code == 200
    document = parse_strict(response.get_data(as_text=True))
    table = document.find(".//table[@class='matrix']")
    assert table is not None
    assert table.find("caption") is not None
    columns = [th for th in table.iter("th") if th.get("scope") == "col"]
    assert [("".join(th.itertext())).strip() for th in columns] == ["Participant", "Cyber norms"]
    rows = {
        "".join(tr.find("th").itertext()).strip(): [td.text or "" for td in tr.findall("td")]
        for tr in table.iter("tr")
        if tr.find("th") is not None and tr.find("th").get("scope") == "row"
    }
    # Only active initiatives are columns; cells say the role in words.
    assert rows == {"France": ["co-chair"], "Ghana": ["member"], "Article 19": ["partner"]}
    # States grouped by M49 region (by name), then organizations: one row group each.
    assert region_groups(table) == [
        ("Africa", ["Ghana"]),
        ("Europe", ["France"]),
        ("Organizations", ["Article 19"]),
    ]


def test_the_matrix_filters_by_kind_and_axis_and_counts_by_axis(
    make_initiative, make_organization, make_user, login, app
):
    cyber = make_initiative(title="Cyber norms", policy=JoinPolicy.OPEN, axis=Axis.GOVERNANCE_GAPS)
    make_initiative(title="Humanitarian law", axis=Axis.INTERNATIONAL_LAW, chair="DEU")
    login(cyber.outsider).post(f"/initiatives/{cyber.slug}/join")
    org = make_organization(code="icnl", name="ICNL")
    login(make_user(represent=org)).post(f"/initiatives/{cyber.slug}/join")
    client = login(None)

    states = client.get("/matrix?kind=state").get_data(as_text=True)
    assert "Ghana" in states
    assert "ICNL" not in states
    orgs = client.get("/matrix?kind=organization").get_data(as_text=True)
    assert "ICNL" in orgs
    assert "Ghana" not in orgs
    law = client.get("/matrix?axis=international_law").get_data(as_text=True)
    assert "Humanitarian law" in law
    assert "Cyber norms</a></th>" not in law

    document = parse_strict(client.get("/matrix").get_data(as_text=True))
    summary = document.find(".//section[@aria-labelledby='by-axis']//table")
    counts = {
        "".join(tr.find("th").itertext()).strip(): [td.text for td in tr.findall("td")]
        for tr in summary.find("tbody").findall("tr")
    }
    assert counts["Lead where governance is absent or insufficient"] == ["1", "2", "1"]
    assert counts["Protect, preserve and advance international law"] == ["1", "1", "0"]
    assert counts["Reform and modernize international organizations"] == ["0", "0", "0"]


def test_endorsing_states_appear_even_without_a_membership(make_initiative, client, app):
    make_initiative()
    with app.app_context():
        from coalition.extensions import db

        endorse("CHL")
        db.session.commit()
    page = client.get("/matrix").get_data(as_text=True)
    assert "Chile" in page


def test_an_empty_matrix_says_what_to_do(client):
    page = client.get("/matrix").get_data(as_text=True)
    assert "No initiative is active on this line of action yet." in page


def test_the_matrix_pages_its_columns_and_says_how_many(app, client):
    from tests.initiatives.test_views_query_counts import build

    build(app, initiatives=30, states=5, memberships_per_state=4, prefix="wide")
    document = parse_strict(client.get("/matrix").get_data(as_text=True))
    assert "30 initiative columns" in "".join(
        document.find(".//p[@id='matrix-columns']").itertext()
    )
    table = document.find(".//table[@class='matrix']")
    titles = ["".join(th.itertext()).strip() for th in table.iter("th") if th.get("scope") == "col"]
    assert len(titles) == 1 + 12
    links = document.findall(".//nav[@class='column-pages']//a")
    assert ["".join(a.itertext()) for a in links] == [
        "1\N{EN DASH}12",
        "13\N{EN DASH}24",
        "25\N{EN DASH}30",
    ]
    assert links[0].get("aria-current") == "page"

    third = parse_strict(client.get("/matrix?cols=3").get_data(as_text=True))
    table = third.find(".//table[@class='matrix']")
    later = ["".join(th.itertext()).strip() for th in table.iter("th") if th.get("scope") == "col"]
    assert len(later) == 1 + 6
    assert not set(later[1:]) & set(titles[1:])
    # Out of range: the last page of columns.
    assert client.get("/matrix?cols=999").status_code == 200

    one_axis = parse_strict(client.get("/matrix?axis=governance_gaps").get_data(as_text=True))
    assert "10 initiative columns" in "".join(
        one_axis.find(".//p[@id='matrix-columns']").itertext()
    )
    assert one_axis.find(".//nav[@class='column-pages']") is None


def test_the_matrix_keeps_its_headers_in_view_with_stylesheet_rules_only(app):
    from pathlib import Path

    css = (Path(app.static_folder) / "css" / "coalition.css").read_text()
    assert "table.matrix thead th { position: sticky; top: 0;" in css
    assert "table.matrix tbody th { position: sticky; left: 0;" in css
