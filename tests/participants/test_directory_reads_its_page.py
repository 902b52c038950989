"""Issue 12: the directory and the API list cost what they show. They sort every match
by the name the reader sees (collation is done in Python), but from light rows; whole
participants, with their names in six languages, are read for the page only."""

from __future__ import annotations

import pytest

from tests.conftest import statements_with_parameters


@pytest.mark.parametrize(
    "url",
    ["/participants?per_page=10&page=3", "/api/v1/participants?per_page=10&page=3"],
)
def test_whole_participants_are_read_for_the_page_only(app, client, make_organization, url):
    for _ in range(5):
        make_organization()
    client.get(url)  # warm up
    with statements_with_parameters(app) as seen:
        response = client.get(url)
    assert response.status_code == 200
    # The statements that read whole rows (formal names are shown for one page only).
    whole = [(s, p) for s, p in seen if "formal_names" in s]
    assert len(whole) == 1
    statement, parameters = whole[0]
    # By the page's ids, not the 200 participants and more read whole.
    assert " IN (" in statement
    assert 1 <= len(parameters) <= 10, statement


def test_the_page_is_the_slice_of_the_whole_sorted_list(client):
    """Paging the light rows gives the pages paging the whole list gave."""
    every = client.get("/api/v1/participants?per_page=200").get_json()["items"]
    pages = [
        item
        for page in (1, 2, 3, 4, 5)
        for item in client.get(f"/api/v1/participants?per_page=50&page={page}").get_json()["items"]
    ]
    assert [p["code"] for p in pages][:200] == [p["code"] for p in every]
    french = client.get(
        "/api/v1/participants?per_page=200", headers={"Accept-Language": "fr"}
    ).get_json()["items"]
    names = [p["name"] for p in french]
    assert names.index("Allemagne") < names.index("Ghana")  # Germany, sorted in French
