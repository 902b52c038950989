"""What the OpenAPI document says about errors, tokens and text, so that it says what the
server sends and accepts.

Problems every route can answer come from code that every route runs, so they are
documented here once, for every operation (ProblemsPlugin): 400 (a NUL character, a body
that is not JSON), 401 (an unknown or revoked token: any request may carry one), 404 on
paths with parameters (nothing there), 413 on bodies over the size limit, 422 where
arguments are parsed (flask-smorest's `arguments` adds it). What only some routes answer
(403, 409, a 422 from a rule) each route declares with `token_required` or `answers`.

No text may contain a NUL character (400, coalition.security): every string property and
path parameter says so with a pattern, unless it has a stricter one of its own.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from apispec import BasePlugin
from flask_smorest import Blueprint
from flask_smorest.spec.plugins import unicodeconverter2paramschema
from marshmallow import fields
from werkzeug.routing import UnicodeConverter

from coalition.text import NO_NUL_PATTERN

BEARER = [{"bearerAuth": []}]


def _refs(statuses: tuple[int, ...]) -> dict[str, str]:
    # Each status refers to the response component CoalitionApi registers under its name.
    return {str(status): HTTPStatus(status).name for status in statuses}


def answers(*statuses: int):
    """Decorator: besides the problems every route can answer, this one answers *statuses*."""
    return Blueprint.doc(responses=_refs(statuses))


def token_required(*statuses: int):
    """Decorator of a write: it needs `Authorization: Bearer <token>` (401 without) and may
    also answer *statuses* (403 not allowed to this caller, 409 not in this state…)."""
    return Blueprint.doc(security=BEARER, responses=_refs((401, *statuses)))


class ProblemsPlugin(BasePlugin):
    def operation_helper(
        self, path: str | None = None, operations: dict | None = None, **_kwargs: Any
    ) -> None:
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            generic = [400, 401]
            if path and "{" in path:
                generic.append(404)
            if "requestBody" in operation:
                generic.append(413)
            for status, name in _refs(tuple(generic)).items():
                responses.setdefault(status, name)


def no_nul_in_strings(_converter: Any, field: fields.Field, ret: dict, **_kwargs: Any) -> dict:
    """apispec attribute function: a string field's pattern, if it has none, forbids NUL
    (also fields computed as text: a Function or Method field documented as a string)."""
    is_text = isinstance(field, fields.String) or field.metadata.get("type") == "string"
    if is_text and "pattern" not in ret and "format" not in ret:
        return {"pattern": NO_NUL_PATTERN}
    return {}


def path_segment_schema(converter: UnicodeConverter) -> dict:
    """A `<slug>`, `<code>` path parameter: flask-smorest's schema, and no NUL."""
    return {**unicodeconverter2paramschema(converter), "pattern": NO_NUL_PATTERN}
