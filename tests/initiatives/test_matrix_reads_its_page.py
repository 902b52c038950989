"""Issue 12: the matrix costs what it shows. Whole initiatives (with their descriptions)
are read for the page of columns only, whole participants for the page of rows only; the
rest is counted and sorted from light rows and index entries."""

from __future__ import annotations

from tests.conftest import statements_with_parameters
from tests.initiatives.test_views_query_counts import build


def test_the_matrix_reads_whole_rows_for_its_pages_only(app, client):
    build(app, initiatives=60, states=120, memberships_per_state=10)
    url = "/matrix?axis=international_law&per_page=10&page=2&cols=2"
    client.get(url)  # warm up
    with statements_with_parameters(app) as seen:
        response = client.get(url)
    assert response.status_code == 200
    initiatives = [s for s, _p in seen if "bodies.description" in s and "initiatives" in s]
    assert initiatives
    assert all("LIMIT" in s for s in initiatives), initiatives
    participants = [(s, p) for s, p in seen if "participants.formal_names" in s]
    assert len(participants) == 1
    statement, parameters = participants[0]
    assert " IN (" in statement
    assert 1 <= len(parameters) <= 10


def test_the_matrix_runs_the_same_statements_for_a_larger_alliance(app, client, count_queries):
    build(app, initiatives=15, states=10, memberships_per_state=3, prefix="small")
    url = "/matrix?axis=international_law&per_page=10&page=1&cols=1"
    client.get(url)
    with count_queries() as small:
        client.get(url)
    build(app, initiatives=150, states=193, memberships_per_state=12)
    with count_queries() as large:
        client.get(url)
    assert large.count == small.count
