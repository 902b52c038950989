"""The OpenAPI document says what the server sends: the rules schemathesis holds the API
to (tests/test_api_contract.py), checked on the document itself and on a few answers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.text import NO_NUL_PATTERN, NOT_BLANK_PATTERN, multi_line, single_line

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def document(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()


def operations(document: dict):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def resolve(document: dict, response: dict) -> dict:
    if "$ref" in response:
        return document["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    return response


def test_every_error_is_a_problem_and_every_status_is_named(document):
    problem_fields = document["components"]["schemas"]["Problem"]["properties"]
    for label, operation in operations(document):
        responses = operation["responses"]
        assert "default" not in responses, f"{label} has a catch-all response"
        assert {"400", "401"} <= set(responses), label
        if "{" in label:
            assert "404" in responses, label
        for status, response in responses.items():
            if int(status) >= 400:
                content = resolve(document, response)["content"]
                assert list(content) == ["application/problem+json"], (label, status)
                ref = content["application/problem+json"]["schema"]["$ref"]
                schema = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
                # A Problem, or one that carries more (the bulk change's refused rows).
                assert set(problem_fields) <= set(schema["properties"]), (label, status)
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert set(problem["properties"]) == {"type", "title", "status", "detail", "errors"}


def test_every_write_declares_its_token_and_what_refuses_it(document):
    for label, operation in operations(document):
        if label.startswith("GET"):
            continue
        assert operation.get("security") == [{"bearerAuth": []}], label
        assert {"401", "403"} <= set(operation["responses"]), label


def test_bodies_are_required_only_where_the_server_requires_them(document):
    paths = document["paths"]
    assert paths["/api/v1/initiatives/{slug}"]["patch"]["requestBody"]["required"] is False
    assert (
        paths["/api/v1/memberships/{membership_id}/decline"]["post"]["requestBody"]["required"]
        is False
    )
    remove = paths["/api/v1/memberships/{membership_id}/remove"]["post"]["requestBody"]
    assert remove["required"] is True
    assert document["components"]["schemas"]["Removal"]["required"] == ["reason"]


def test_no_string_may_hold_a_nul_character(document):
    for name, schema in document["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            if prop.get("type") == "string" and "format" not in prop:
                assert "pattern" in prop, f"{name}.{field}"
                assert not re.search(prop["pattern"], "a\x00b"), f"{name}.{field}"
    for label, operation in operations(document):
        for parameter in operation.get("parameters", []):
            schema = parameter["schema"]
            if schema.get("type") == "string" and "format" not in schema:
                assert "pattern" in schema, (label, parameter["name"])


@given(st.text(max_size=20))
def test_the_not_blank_pattern_is_what_the_cleaning_leaves(text):
    """The pattern the document gives titles, summaries and reasons accepts exactly what
    the services keep (once cleaned, not empty; and no NUL)."""
    documented = re.search(NOT_BLANK_PATTERN, text) is not None
    assert documented == ("\x00" not in text and single_line(text) != "")
    assert documented == ("\x00" not in text and multi_line(text) != "")
    assert (re.search(NO_NUL_PATTERN, text) is not None) == ("\x00" not in text)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("delete", "/", {"GET", "HEAD", "OPTIONS"}),
        ("put", "/api/v1/participants", {"GET", "HEAD", "OPTIONS"}),
        ("get", "/api/v1/memberships/1/approve", {"POST", "OPTIONS"}),
    ],
)
def test_a_405_names_the_methods_allowed(client, method, path, allowed):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == allowed
    expected = "application/problem+json" if path.startswith("/api/") else "text/html"
    assert response.mimetype == expected
