"""Security headers, the Content-Security-Policy, and safe redirects."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit, urlunsplit

from flask import Flask, Response, abort, request
from werkzeug.urls import iri_to_uri

from coalition import json_body

#: Longer `next` values are no page of this site.
MAX_REDIRECT_LENGTH = 2000

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    @app.before_request
    def _refuse_nul_characters() -> None:
        # No text the product stores may contain NUL, and PostgreSQL refuses it outright:
        # say so up front instead of failing deep in the database driver.
        # (JSON bodies, read by the API only, are checked by coalition.json_body.)
        values = [request.path, *request.args.values(), *request.form.values()]
        if any("\x00" in value for value in values):
            abort(400, description="The request contains a NUL character.")

    json_body.init_app(app)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def safe_redirect_target(target: str | None, default: str) -> str:
    """*target* as a path on this site, fit for a Location header; else *default*.

    The one gate for every redirect built from what a request says (a `next` field, the
    Referer). What is checked is what will be sent: Werkzeug passes a Location through
    iri_to_uri, which drops tabs and newlines and rewrites `http:evil.example` as
    `http:///evil.example`, both of which browsers resolve off-site. So the result is
    always a path-absolute URL (`/…`, never `//…` nor `/\\…`) without control
    characters, spaces or backslashes; an absolute URL is accepted only for this very
    host, and reduced to its path.
    """
    path = _same_site_path(target)
    return path if path is not None else default


def _same_site_path(target: str | None) -> str | None:
    if not target or len(target) > MAX_REDIRECT_LENGTH:
        return None
    if "\\" in target or any(_is_control_or_space(c) for c in target):
        return None
    if target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or parts.netloc != request.host:
            return None
        target = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    sent = iri_to_uri(target)
    if not sent.startswith("/") or sent.startswith(("//", "/\\")):
        return None
    # A proxy or framework that decodes %2F before routing must not see //host either.
    if unquote(sent).startswith(("//", "/\\")) or urlsplit(sent).netloc:
        return None
    return sent


def _is_control_or_space(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs")
