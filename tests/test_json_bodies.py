"""Request bodies of the API: valid JSON sent as JSON, or none; never a 500.

Every API route answers alike whether or not it reads a body (the routes are read from
the URL map, so that a route added later is covered too): a body that is not JSON is a
400, JSON sent under another content type a 415, JSON nested absurdly deep or carrying
text no database can store (NUL, a lone surrogate) a 400, each as problem+json.
"""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from coalition.alliance.models import Endorsement
from coalition.extensions import db
from coalition.limits import JSON_DEPTH_MAX
from tests.initiatives import rules_support

world = rules_support.world  # fixture
api_headers = rules_support.api_headers  # fixture

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _a_value(converter) -> object:
    if type(converter).__name__.endswith("IntegerConverter"):
        return 1
    if type(converter).__name__ == "AnyConverter":
        return sorted(converter.items)[0]  # one of the values it takes: `en` of (en, fr)
    return "x"


def api_routes(app, methods: set[str]) -> list[tuple[str, str]]:
    """(method, path) of every API route with one of *methods*, its variables filled."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        values = {name: _a_value(rule._converters[name]) for name in rule.arguments}
        path = rule.build(values, append_unknown=False)[1]
        routes.extend((method, path) for method in sorted((rule.methods or set()) & methods))
    return sorted(set(routes))


def _write_routes():
    from tests.conftest import make_app

    # The URL map does not depend on the database: an app that never connects lists it.
    app = make_app("sqlite://", "/nonexistent")
    return api_routes(app, WRITES)


WRITE_ROUTES = _write_routes()
READ_AND_WRITE_ROUTES = [*WRITE_ROUTES, ("GET", "/api/v1/initiatives"), ("GET", "/api/v1/audit")]


def is_problem(response, status: int) -> bool:
    return response.status_code == status and response.mimetype == "application/problem+json"


def test_the_route_list_covers_the_api():
    assert ("POST", "/api/v1/alliance/endorsements") in WRITE_ROUTES
    assert ("DELETE", "/api/v1/alliance/endorsements/x") in WRITE_ROUTES
    assert ("POST", "/api/v1/memberships/1/approve") in WRITE_ROUTES
    assert len(WRITE_ROUTES) >= 15


@pytest.mark.parametrize(("method", "path"), WRITE_ROUTES)
@pytest.mark.parametrize("caller", ["anonymous", "member"])
def test_a_body_that_is_not_json_is_a_400_on_every_api_write_route(
    client, world, api_headers, method, path, caller
):
    headers = api_headers(world.member if caller == "member" else None)
    response = client.open(
        path, method=method, data="{not json", content_type="application/json", headers=headers
    )
    assert is_problem(response, 400), response.get_data(as_text=True)
    assert "not valid JSON" in response.get_json()["detail"]


@pytest.mark.parametrize(("method", "path"), WRITE_ROUTES)
def test_json_under_another_content_type_is_refused_clearly(
    client, world, api_headers, method, path
):
    response = client.open(
        path,
        method=method,
        data='{"title": "Oceans"}',
        content_type="text/plain",
        headers=api_headers(world.member),
    )
    assert is_problem(response, 415)
    assert "Content-Type: application/json" in response.get_json()["detail"]


def test_malformed_json_does_not_endorse(client, world, api_headers):
    """The audit's example: the route needs no body, and used to ignore a broken one."""
    count = sa.select(sa.func.count(Endorsement.id)).where(
        Endorsement.participant_id == world.fra.id
    )
    before = db.session.scalar(count)

    response = client.post(
        "/api/v1/alliance/endorsements",
        data="{not json",
        content_type="application/json",
        headers=api_headers(world.member),
    )

    assert is_problem(response, 400)
    assert db.session.scalar(count) == before


def test_a_route_without_a_body_still_works_without_one(client, world, api_headers):
    response = client.post("/api/v1/alliance/endorsements", headers=api_headers(world.member))
    assert response.status_code == 201
    response = client.delete("/api/v1/alliance/endorsements/FRA", headers=api_headers(world.member))
    assert response.status_code == 204


def test_unknown_api_paths_and_methods_keep_their_404_and_405(client):
    assert is_problem(
        client.post("/api/v1/nothing-here", data="{x", content_type="application/json"), 404
    )
    assert is_problem(
        client.put("/api/v1/initiatives", data="{x", content_type="application/json"), 405
    )


@pytest.mark.parametrize("document", ["NaN", '{"seat_limit": Infinity}', "\xff\xfe{"])
def test_what_python_would_accept_but_json_does_not_is_refused(client, document):
    response = client.post(
        "/api/v1/initiatives", data=document.encode("latin-1"), content_type="application/json"
    )
    assert is_problem(response, 400)


# -- nesting -----------------------------------------------------------------------------------


def nested(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


@pytest.mark.parametrize("depth", [600, 5_000, 100_000])
@pytest.mark.parametrize(("method", "path"), READ_AND_WRITE_ROUTES)
def test_deeply_nested_json_is_a_400_on_every_api_route_and_logs_nothing(
    client, caplog, method, path, depth
):
    body = "[" * depth + "]" * depth
    with caplog.at_level(logging.WARNING):
        response = client.open(path, method=method, data=body, content_type="application/json")
    assert is_problem(response, 400)
    assert "nested more than" in response.get_json()["detail"]
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize("body", [nested(600), nested(100_000), "[1, 2]", '"text"', "{x"])
@pytest.mark.parametrize("path", ["/", "/login", "/language", "/participants", "/register"])
def test_json_sent_to_a_page_is_refused_without_being_read(client, caplog, path, body):
    """Pages take forms; Flask-WTF would read a JSON body into the form (and fail on
    anything but a flat object), so none reaches it."""
    with caplog.at_level(logging.WARNING):
        response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == (405 if path in ("/", "/participants") else 415)
    assert response.mimetype == "text/html"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_nesting_up_to_the_limit_is_accepted(client, world, api_headers):
    """The limit is on depth, not on honest documents: a body nested to the limit gets
    past the check (and is then judged by the route's schema)."""
    deep_enough = {"title": "Oceans", "extra": None}
    inner: dict = deep_enough
    for _ in range(JSON_DEPTH_MAX - 2):
        inner["extra"] = {"extra": None}
        inner = inner["extra"]
    response = client.post(
        "/api/v1/initiatives", json=deep_enough, headers=api_headers(world.member)
    )
    assert response.status_code == 422  # the schema's answer: unknown field "extra"
    body = {"extra": {}}
    inner = body
    for _ in range(JSON_DEPTH_MAX):
        inner["extra"] = {"extra": None}
        inner = inner["extra"]
    assert is_problem(client.post("/api/v1/initiatives", json=body), 400)


# -- text no database can store -------------------------------------------------------------


@pytest.mark.parametrize(
    "document",
    [
        '{"title": "a\\ud800b", "summary": "s", "axis": "governance_gaps", "join_policy": "open"}',
        '{"title": "\\udfff", "summary": "s", "axis": "governance_gaps", "join_policy": "open"}',
        '{"a\\ud800": 1}',
        '{"title": ["deep", ["er", "\\ud83d"]]}',
    ],
)
def test_a_lone_surrogate_is_a_clear_400(client, world, api_headers, document):
    response = client.post(
        "/api/v1/initiatives",
        data=document,
        content_type="application/json",
        headers=api_headers(world.member),
    )
    assert is_problem(response, 400)
    assert "lone surrogate" in response.get_json()["detail"]


def test_a_surrogate_pair_is_ordinary_text(client, world, api_headers):
    """\\ud83c\\udf0d is one character (🌍), not a lone surrogate."""
    rules_support.endorse(world.fra)
    db.session.commit()
    response = client.post(
        "/api/v1/initiatives",
        data='{"title": "Earth \\ud83c\\udf0d", "summary": "s", "axis": "governance_gaps",'
        ' "join_policy": "open"}',
        content_type="application/json",
        headers=api_headers(world.member),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["title"] == "Earth 🌍"


def test_a_nul_character_deep_inside_json_is_refused(client):
    response = client.post("/api/v1/initiatives", json={"a": [[{"b": "x\x00y"}]]})
    assert is_problem(response, 400)
    assert "NUL" in response.get_json()["detail"]
