"""The public directory of participants and the page of one participant."""

from __future__ import annotations

import re

import pytest

from coalition.alliance.models import Endorsement
from coalition.extensions import db
from tests.conftest import state
from tests.participants.conftest import participant


def codes_listed(body: str) -> list[str]:
    return re.findall(r'href="/participants/([A-Za-z0-9-]+)"', body)


def test_the_directory_lists_all_195_states(client):
    response = client.get("/participants?kind=state&per_page=200")

    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "195 participants" in body
    states = [c for c in codes_listed(body) if c.isupper()]
    assert len(states) == 195
    assert {"GHA", "FRA", "VAT", "PSE"} <= set(states)


def test_the_french_directory_names_states_in_french(client):
    response = client.get("/participants?kind=state", headers={"Accept-Language": "fr"})

    body = response.get_data(as_text=True)
    assert '<a href="/participants/DEU">Allemagne</a>' in body
    assert "Germany" not in body


def test_the_directory_sorts_by_the_name_the_reader_sees(client):
    body = client.get(
        "/participants?kind=state&per_page=200", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    order = codes_listed(body)

    # Allemagne (DEU) before Belgique (BEL) in French; Égypte among the E's, before Espagne.
    assert order.index("DEU") < order.index("BEL")
    assert order.index("EGY") < order.index("ESP")


@pytest.mark.parametrize(
    ("q", "expected"),
    [("ghana", "GHA"), ("GHA", "GHA"), ("united kingdom", "GBR"), ("unesco", "unesco")],
)
def test_search_matches_name_code_and_acronym(client, make_organization, q, expected):
    make_organization(
        code="unesco", name="United Nations Educational, Scientific and Cultural Organization"
    )
    with client.application.app_context():
        participant("unesco").acronym = "UNESCO"
        db.session.commit()

    body = client.get(f"/participants?q={q}").get_data(as_text=True)

    assert expected in codes_listed(body)


def test_search_finds_a_state_by_its_name_in_the_readers_language(client):
    body = client.get("/participants?q=allemagne", headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )

    assert codes_listed(body) == ["DEU"]


def test_a_search_without_match_says_what_to_do(client):
    body = client.get("/participants?q=atlantis").get_data(as_text=True)

    assert "0 participants" in body
    assert "No participant matches" in body


def test_the_kind_filter_keeps_organizations_only(client, make_organization):
    make_organization(code="icnl", name="International Center for Not-for-Profit Law")

    body = client.get("/participants?kind=organization").get_data(as_text=True)

    assert codes_listed(body) == ["icnl"]


def test_the_directory_is_paginated_by_50(client):
    first = client.get("/participants?kind=state").get_data(as_text=True)
    last = client.get("/participants?kind=state&page=4").get_data(as_text=True)

    assert len(codes_listed(first)) == 50
    assert len(codes_listed(last)) == 195 - 150
    assert 'rel="next"' in first


def test_the_directory_runs_as_many_queries_for_one_row_as_for_fifty(
    client, count_queries, make_organization
):
    for _ in range(3):
        make_organization()
    client.get("/participants")  # warm up

    with count_queries() as one:
        client.get("/participants?q=ghana")
    with count_queries() as many:
        client.get("/participants")

    assert one.count == many.count
    assert many.count <= 3


def test_the_directory_marks_participants_that_endorse_the_alliance(client, app):
    with app.app_context():
        db.session.add(Endorsement(participant_id=state("GHA").id))
        db.session.commit()

    body = client.get("/participants?q=ghana").get_data(as_text=True)

    assert "endorses the declaration" in body


def test_a_state_page_shows_its_facts(client):
    response = client.get("/participants/GHA")

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Ghana</h1>" in body
    assert "Member state" in body
    assert "Africa/Accra" in body
    assert "Has not endorsed the declaration." in body


def test_an_observer_state_is_shown_as_such(client):
    body = client.get("/participants/VAT").get_data(as_text=True)

    assert "Observer state" in body


def test_a_lower_case_state_code_finds_the_state(client):
    assert client.get("/participants/gha").status_code == 200


def test_an_organization_page_shows_its_category(client, make_organization):
    make_organization(code="article-19", name="Article 19")

    body = client.get("/participants/article-19").get_data(as_text=True)

    assert "<h1>Article 19</h1>" in body
    assert "Civil society" in body


def test_an_unknown_participant_is_404(client):
    assert client.get("/participants/XXX").status_code == 404
    assert client.get("/participants/no-such-org").status_code == 404


def test_the_alliance_endorsement_shows_on_the_participant_page(client, app):
    with app.app_context():
        db.session.add(Endorsement(participant_id=state("GHA").id))
        db.session.commit()

    body = client.get("/participants/GHA").get_data(as_text=True)

    assert "Endorses the declaration since" in body


def test_representatives_names_are_for_logged_in_readers_only(client, make_user, login_as):
    make_user(name="Ama Owusu", represent="GHA")

    anonymous = client.get("/participants/GHA").get_data(as_text=True)
    login_as(make_user())
    logged_in = client.get("/participants/GHA").get_data(as_text=True)

    assert "Ama Owusu" not in anonymous
    assert "Log in to see who represents this participant." in anonymous
    assert "Ama Owusu" in logged_in


@pytest.mark.parametrize(
    ("who", "sees_history"),
    [
        ("plain", False),
        ("delegate_other", False),
        ("delegate_same", True),
        ("staff", True),
    ],
)
def test_representation_history_is_for_staff_and_the_participants_delegates(
    client, make_user, login_as, who, sees_history
):
    make_user(name="Ama Owusu", represent="GHA")
    viewer = {
        "plain": lambda: make_user(),
        "delegate_other": lambda: make_user(represent="SEN"),
        "delegate_same": lambda: make_user(represent="GHA"),
        "staff": lambda: make_user(staff=True),
    }[who]()
    login_as(viewer)

    body = client.get("/participants/GHA").get_data(as_text=True)

    assert ("Who represented it" in body) is sees_history


def test_search_ignores_accents_in_state_names(client):
    body = client.get("/participants?q=cote+ivoire", headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )

    assert codes_listed(body) == ["CIV"]


def test_search_keeps_accents_in_organization_names(client, make_organization):
    make_organization(code="afd", name="Agence française de développement")

    body = client.get("/participants?q=développement").get_data(as_text=True)

    assert codes_listed(body) == ["afd"]
