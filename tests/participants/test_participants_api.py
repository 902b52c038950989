"""GET /api/v1/participants and /api/v1/participants/{code}."""

from __future__ import annotations

import pytest

from tests.initiatives.conftest import make_initiative  # noqa: F401  (fixture)


def test_the_list_is_a_page_envelope_of_participants(client):
    response = client.get("/api/v1/participants?kind=state&per_page=10")

    assert response.status_code == 200
    data = response.get_json()
    assert (data["page"], data["per_page"], data["total"]) == (1, 10, 195)
    assert len(data["items"]) == 10
    assert set(data["items"][0]) == {
        "code",
        "name",
        "names",
        "formal_names",
        "region",
        "subregion",
        "intermediate_region",
        "kind",
        "category",
        "un_status",
        "timezone",
        "acronym",
    }


def test_the_list_searches_and_filters(client, make_organization):
    make_organization(code="unesco", name="UNESCO", category="international_organization")

    ghana = client.get("/api/v1/participants?q=ghana").get_json()
    orgs = client.get("/api/v1/participants?kind=organization").get_json()

    assert [p["code"] for p in ghana["items"]] == ["GHA"]
    assert [(p["code"], p["category"], p["un_status"]) for p in orgs["items"]] == [
        ("unesco", "international_organization", None)
    ]


def test_one_participant_by_code(client):
    response = client.get("/api/v1/participants/GHA")

    assert response.status_code == 200
    assert response.get_json() == {
        "code": "GHA",
        "name": "Ghana",
        "names": {
            "ar": "غانا",
            "zh": "加纳",
            "en": "Ghana",
            "fr": "Ghana",
            "ru": "Гана",
            "es": "Ghana",
        },
        "formal_names": {"en": "the Republic of Ghana"},
        "region": {"code": "002", "name": "Africa"},
        "subregion": {"code": "202", "name": "Sub-Saharan Africa"},
        "intermediate_region": {"code": "011", "name": "Western Africa"},
        "kind": "state",
        "category": None,
        "un_status": "member",
        "timezone": "Africa/Accra",
        "acronym": None,
    }


def test_an_unknown_participant_is_a_404_problem(client):
    response = client.get("/api/v1/participants/XXX")

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert "XXX" in response.get_json()["detail"]


def test_an_unknown_kind_is_a_422_problem_about_that_field(client):
    response = client.get("/api/v1/participants?kind=planet")

    assert response.status_code == 422
    assert "kind" in response.get_json()["errors"]


def test_the_list_runs_as_many_queries_for_one_row_as_for_two_hundred(client, count_queries):
    client.get("/api/v1/participants")  # warm up

    with count_queries() as one:
        client.get("/api/v1/participants?q=ghana")
    with count_queries() as many:
        client.get("/api/v1/participants?per_page=200")

    assert one.count == many.count <= 2
    with count_queries() as searched:
        client.get("/api/v1/participants?q=korea&region=142")
    assert searched.count == one.count


def test_the_openapi_document_describes_the_participant_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    assert "/api/v1/participants" in spec["paths"]
    assert "/api/v1/participants/{code}" in spec["paths"]
    assert "ParticipantRecord" in spec["components"]["schemas"]


# -- names as the UN writes them, in the request's language --------------------------------


@pytest.mark.parametrize(
    ("accept_language", "name"),
    [
        (None, "Republic of Korea"),
        ("fr", "République de Corée"),
        ("fr-CH, en;q=0.5", "République de Corée"),
        ("es", "República de Corea"),
        ("ru", "Республика Корея"),
        ("zh-CN", "大韩民国"),
        ("ar", "جمهورية كوريا"),
        ("de, it", "Republic of Korea"),
    ],
)
def test_name_is_in_the_language_the_request_asks_for(client, accept_language, name):
    headers = {"Accept-Language": accept_language} if accept_language else {}

    response = client.get("/api/v1/participants/KOR", headers=headers)

    assert response.get_json()["name"] == name
    assert response.get_json()["names"]["en"] == "Republic of Korea"
    assert "Accept-Language" in response.headers["Vary"]


def test_the_api_ignores_the_callers_saved_language_and_session(client, make_user, login_as):
    login_as(make_user(locale="fr"))
    with client.session_transaction() as session:
        session["locale"] = "fr"

    english = client.get("/api/v1/participants/DEU")
    french = client.get("/api/v1/participants/DEU", headers={"Accept-Language": "fr"})
    missing = client.get("/api/v1/participants/XXX")

    assert english.get_json()["name"] == "Germany"
    assert french.get_json()["name"] == "Allemagne"
    assert "There is no participant with the code XXX." in missing.get_json()["detail"]


def test_an_organization_keeps_its_own_name_and_has_no_un_names(client, make_organization):
    make_organization(code="icnl", name="International Center for Not-for-Profit Law")

    data = client.get("/api/v1/participants/icnl", headers={"Accept-Language": "fr"}).get_json()

    assert data["name"] == "International Center for Not-for-Profit Law"
    assert (data["names"], data["formal_names"], data["region"]) == (None, None, None)


def test_region_names_follow_the_interface_language(client):
    data = client.get("/api/v1/participants/VNM", headers={"Accept-Language": "fr"}).get_json()

    assert data["name"] == "Viet Nam"
    assert data["region"] == {"code": "142", "name": "Asie"}
    assert data["subregion"] == {"code": "035", "name": "Asie du Sud-Est"}
    assert data["intermediate_region"] is None


@pytest.mark.parametrize(
    ("region", "inside", "outside"),
    [
        ("002", {"GHA", "EGY", "ZAF"}, {"FRA", "BRA"}),
        ("202", {"GHA", "ZAF"}, {"EGY"}),
        ("011", {"GHA", "SEN", "CIV"}, {"ZAF", "CMR"}),
        ("150", {"FRA", "VAT", "RUS"}, {"TUR", "USA"}),
        ("145", {"TUR", "PSE"}, {"IRN"}),
    ],
)
def test_the_list_filters_by_m49_region_subregion_or_intermediate_region(
    client, region, inside, outside
):
    data = client.get(f"/api/v1/participants?region={region}&per_page=200").get_json()

    codes = {p["code"] for p in data["items"]}
    assert inside <= codes
    assert not outside & codes
    assert data["total"] == len(codes)
    assert all(
        region
        in (
            p["region"]["code"],
            p["subregion"]["code"],
            (p["intermediate_region"] or {}).get("code"),
        )
        for p in data["items"]
    )


def test_an_unknown_region_is_a_422_problem_about_that_field(client):
    response = client.get("/api/v1/participants?region=999")

    assert response.status_code == 422
    assert "region" in response.get_json()["errors"]


def test_the_list_is_sorted_by_name_as_a_reader_of_its_language_sorts(client):
    for language, before, after in [
        ("en", "Tuvalu", "Tunisia"),
        ("fr", "Turkménistan", "Tunisie"),
    ]:
        items = client.get(
            "/api/v1/participants?kind=state&per_page=200",
            headers={"Accept-Language": language},
        ).get_json()["items"]
        names = [p["name"] for p in items]
        # Türkiye sorts with the T's, between Tunisia and Turkmenistan, not after Tuvalu.
        assert names.index(after) < names.index("Türkiye") < names.index(before)
        assert names[0] == "Afghanistan"


def test_memberships_name_their_participant_in_the_requests_language(client, make_initiative):  # noqa: F811
    world = make_initiative(chair="DEU")

    response = client.get(
        f"/api/v1/initiatives/{world.slug}/memberships", headers={"Accept-Language": "fr"}
    )

    assert response.get_json()["items"][0]["participant"] == {
        "code": "DEU",
        "name": "Allemagne",
        "kind": "state",
    }


def test_the_openapi_document_describes_names_and_regions(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    record = spec["components"]["schemas"]["ParticipantRecord"]["properties"]
    assert {"names", "formal_names", "region", "subregion"} <= set(record)
    assert "Accept-Language" in record["name"]["description"]
    names = spec["components"]["schemas"]["Names"]["properties"]
    assert set(names) == {"ar", "zh", "en", "fr", "ru", "es"}
    parameters = spec["paths"]["/api/v1/participants"]["get"]["parameters"]
    region = next(p for p in parameters if p["name"] == "region")
    assert "002" in region["schema"]["enum"]
