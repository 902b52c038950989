"""GET /api/v1/participants and /api/v1/participants/{code}."""

from __future__ import annotations


def test_the_list_is_a_page_envelope_of_participants(client):
    response = client.get("/api/v1/participants?kind=state&per_page=10")

    assert response.status_code == 200
    data = response.get_json()
    assert (data["page"], data["per_page"], data["total"]) == (1, 10, 195)
    assert len(data["items"]) == 10
    assert set(data["items"][0]) == {
        "code",
        "name",
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
    response = client.get("/api/v1/participants/DEU", headers={"Accept-Language": "fr"})

    assert response.status_code == 200
    assert response.get_json() == {
        "code": "DEU",
        "name": "Germany",
        "kind": "state",
        "category": None,
        "un_status": "member",
        "timezone": "Europe/Berlin",
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


def test_the_openapi_document_describes_the_participant_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    assert "/api/v1/participants" in spec["paths"]
    assert "/api/v1/participants/{code}" in spec["paths"]
    assert "ParticipantRecord" in spec["components"]["schemas"]
