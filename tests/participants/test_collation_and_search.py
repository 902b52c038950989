"""Lists of participants sort as a reader of their language expects; search finds a
state by any of its names, accents and case aside; lists filter by M49 region."""

from __future__ import annotations

import html
import re

import pytest
from flask_babel import force_locale

from coalition.collation import fold, sort_key
from coalition.extensions import db
from tests.conftest import endorse
from tests.initiatives.conftest import (
    login,  # noqa: F401  (fixture)
    make_initiative,  # noqa: F401  (fixture)
)


def listed(body: str) -> list[tuple[str, str]]:
    """(code, name) of each participant linked from a directory page, in page order."""
    return [
        (code, html.unescape(name))
        for code, name in re.findall(r'<a href="/participants/([A-Za-z0-9-]+)">([^<]+)</a>', body)
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_names_sort_by_their_letters_not_their_code_points(language):
    names = [
        "Zimbabwe",
        "Sénégal",
        "Sao Tomé-et-Principe",
        "São Tomé",
        "Samoa",
        "Türkiye",
        "Tuvalu",
        "Tunisie",
        "Côte d'Ivoire",
        "Cuba",
        "Croatie",
        "Émirats arabes unis",
        "Espagne",
        "Égypte",
        "Afghanistan",
    ]

    ordered = sorted(names, key=sort_key(language))

    assert ordered == [
        "Afghanistan",
        "Côte d'Ivoire",
        "Croatie",
        "Cuba",
        "Égypte",
        "Émirats arabes unis",
        "Espagne",
        "Samoa",
        "São Tomé",
        "Sao Tomé-et-Principe",
        "Sénégal",
        "Tunisie",
        "Türkiye",
        "Tuvalu",
        "Zimbabwe",
    ]


@pytest.mark.parametrize(
    ("language", "examples"),
    [
        ("en", {"STP": "S", "TUR": "T", "CIV": "C", "ARE": "U", "ALA": None}),
        ("fr", {"STP": "S", "TUR": "T", "CIV": "C", "ARE": "E", "EGY": "E", "EST": "E"}),
    ],
)
def test_the_directory_order_is_the_collation_of_the_names_the_reader_sees(
    client, language, examples
):
    body = client.get(
        "/participants?kind=state&per_page=200", headers={"Accept-Language": language}
    ).get_data(as_text=True)
    rows = listed(body)
    names = [name for _code, name in rows]
    codes = [code for code, _name in rows]

    assert len(rows) == 195
    assert names == sorted(names, key=sort_key(language))
    for code, letter in examples.items():
        if letter is None:  # not a state
            assert code not in codes
            continue
        at = codes.index(code)
        # It sorts among the names of its letter, not after Z as code points would have it.
        assert fold(names[at])[0] == letter.lower()
        neighbours = [fold(names[at - 1])[0], fold(names[at + 1])[0]]
        assert letter.lower() in neighbours, (names[at - 1], names[at], names[at + 1])


def test_select_boxes_list_states_then_organizations_by_collation(app_ctx, make_organization):
    from coalition.bodies.forms import participant_choices
    from coalition.participants.services import find_participants

    make_organization(code="ecowas", name="Économique des États de l'Afrique de l'Ouest")
    with force_locale("fr"):
        choices = participant_choices(find_participants())
    labels = [choice.label for choice in choices[1:]]

    states, organizations = labels[:195], labels[195:]
    assert states == sorted(states, key=sort_key("fr"))
    assert organizations == ["Économique des États de l'Afrique de l'Ouest"]
    assert states.index("Émirats arabes unis") < states.index("Équateur")
    assert states.index("Tunisie") < states.index("Türkiye") < states.index("Turkménistan")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Korea", {"KOR", "PRK"}),
        ("north korea", {"PRK"}),
        ("Vatican", {"VAT"}),
        ("holy see", {"VAT"}),
        ("Turkey", {"TUR"}),
        ("turkiye", {"TUR"}),
        ("Iran", {"IRN"}),
        ("Syria", {"SYR"}),
        ("Russia", {"RUS"}),
        ("Bolivia", {"BOL"}),
        ("Tanzania", {"TZA"}),
        ("Laos", {"LAO", "PLW"}),  # Palau is "Palaos" in French and Spanish
        ("Moldova", {"MDA"}),
        ("Congo", {"COD", "COG"}),
        ("Micronesia", {"FSM"}),
        ("Burma", {"MMR"}),
        ("Swaziland", {"SWZ"}),
        ("Ivory Coast", {"CIV"}),
        ("cote d\u2019ivoire", {"CIV"}),
        ("etats-unis", {"USA"}),
        ("Plurinational", {"BOL"}),  # a formal name
        ("Hashemite", {"JOR"}),
        ("palestine", {"PSE"}),
        ("中国", {"CHN"}),
        ("Германия", {"DEU"}),
    ],
)
def test_search_finds_states_by_their_un_formal_and_common_names(client, q, expected):
    body = client.get("/participants", query_string={"q": q}).get_data(as_text=True)

    assert {code for code, _name in listed(body)} == expected


def test_search_shows_the_uns_name_not_the_name_searched(client):
    body = client.get("/participants?q=Turkey").get_data(as_text=True)

    assert listed(body) == [("TUR", "Türkiye")]


def test_the_directory_filters_by_region_and_names_each_states_region(client):
    french = client.get(
        "/participants?region=011&per_page=200", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    europe = client.get("/participants?region=150&per_page=200").get_data(as_text=True)
    unknown = client.get("/participants?region=999&kind=state").get_data(as_text=True)

    codes = {code for code, _name in listed(french)}
    assert {"GHA", "SEN", "CIV", "NGA"} <= codes
    assert not {"FRA", "ZAF", "EGY"} & codes
    assert "16 participants" in french
    assert '<option value="011" selected>&emsp;Afrique occidentale</option>' in french
    assert "<td>Afrique occidentale</td>" in french
    assert {"FRA", "VAT", "RUS"} <= {code for code, _name in listed(europe)}
    assert "195 participants" in unknown  # an unknown region filters nothing


def test_the_directory_region_filter_keeps_its_query_count(client, count_queries):
    client.get("/participants")  # warm up

    with count_queries() as plain:
        client.get("/participants")
    with count_queries() as filtered:
        client.get("/participants?region=202&q=republic")

    assert filtered.count == plain.count <= 3


def test_the_matrix_filters_by_region_and_sorts_rows_by_collation(
    make_initiative,  # noqa: F811
    login,  # noqa: F811
    app,
):
    world = make_initiative(chair="FRA")
    with app.app_context():
        for code in ("TUR", "TUN", "TKM", "GHA", "ARE", "EGY"):
            endorse(code)
        db.session.commit()
    client = login(None)

    french = client.get("/matrix?kind=state", headers={"Accept-Language": "fr"})
    western_asia = client.get("/matrix?region=145").get_data(as_text=True)

    # Rows come by region (each region's rows open with its name), collated within it.
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>', french.get_data(as_text=True))
    assert rows == [
        "Égypte",
        "Ghana",
        "Tunisie",
        "Émirats arabes unis",
        "Türkiye",
        "Turkménistan",
        "France",
    ]
    assert world.slug
    assert "Türkiye" in western_asia
    assert "United Arab Emirates" in western_asia
    assert "Ghana" not in western_asia
    assert "France" not in western_asia
