"""Request bodies: the API takes valid JSON sent as JSON (or no body), pages take forms.

Checked once, before any route runs, so that every API route answers alike whether or
not it reads a body: a body that is not JSON, or JSON sent under another content type,
is refused instead of being ignored by a route that expects none (and acting anyway).
The document is walked without recursion: nesting is bounded, and strings that no
database can store (NUL, lone surrogates) are refused here rather than deep in a driver.
"""

from __future__ import annotations

import json

from flask import Flask, abort, current_app, request

from coalition import limits


def init_app(app: Flask) -> None:
    @app.before_request
    def _check_body() -> None:
        if request.url_rule is None:
            return  # unknown paths and methods keep their 404 and 405
        api = request.path.startswith("/api/")
        if request.is_json:
            body = request.get_data(cache=True)
            if not body:
                _abort_if_body_required()
                return
            if not api:
                # Pages take form submissions; Flask-WTF would otherwise read a JSON body
                # into the form, and fail on anything but a flat object.
                abort(415, description="Pages take form submissions; the JSON API is /api/v1/.")
            abort_unless_acceptable(body)
        elif api and request.get_data(cache=True):
            abort(415, description=_SEND_JSON)
        elif api:
            _abort_if_body_required()


def _abort_if_body_required() -> None:
    """400 when the route's OpenAPI operation says its JSON body is required and none came:
    marshmallow would take the missing body as `{}` and every field's default, acting on
    a request that said nothing (a bulk change of nobody, applied)."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    view = current_app.view_functions.get(request.endpoint or "")
    view_class = getattr(view, "view_class", None)
    handler = getattr(view_class, request.method.lower(), None) if view_class else view
    arguments = getattr(handler, "_apidoc", {}).get("arguments", {})
    if any(p["in"] == "json" and p["required"] for p in arguments.get("parameters", [])):
        abort(400, description="This request needs a JSON body. " + _SEND_JSON)


_SEND_JSON = "Send the request body as JSON, with Content-Type: application/json."


def abort_unless_acceptable(body: bytes) -> None:
    """400 unless *body* is a JSON document the API can take."""
    try:
        document = json.loads(body, parse_constant=_refuse_constant)
    except RecursionError:
        abort(400, description=_too_deep())
    except ValueError as error:  # also UnicodeDecodeError: bytes that are no text
        abort(400, description=f"The request body is not valid JSON: {error}.")
    problem = document_problem(document)
    if problem:
        abort(400, description=problem)


def document_problem(document: object) -> str | None:
    """What makes a decoded JSON *document* unacceptable, or None."""
    pending: list[tuple[object, int]] = [(document, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            problem = _string_problem(value)
            if problem:
                return problem
        elif isinstance(value, dict | list):
            if depth >= limits.JSON_DEPTH_MAX:
                return _too_deep()
            items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            pending.extend((item, depth + 1) for item in items)
    return None


def _string_problem(text: str) -> str | None:
    if "\x00" in text:
        return "The request contains a NUL character."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return (
            "The request contains a lone surrogate (an escape such as \\ud800 that is not "
            "half of a pair): it is not valid Unicode text."
        )
    return None


def _too_deep() -> str:
    return f"The JSON body is nested more than {limits.JSON_DEPTH_MAX} levels deep."


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")
