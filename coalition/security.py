"""Security headers, the Content-Security-Policy, and safe redirects."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from flask import Flask, Response, abort, request

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
        values = [request.path, *request.args.values(), *request.form.values()]
        if request.is_json:
            values.extend(_strings(request.get_json(silent=True)))
        if any("\x00" in value for value in values):
            abort(400, description="The request contains a NUL character.")

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


def _strings(value: object) -> list[str]:
    """Every string inside a decoded JSON document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def is_safe_redirect(target: str | None) -> bool:
    """True for a path on this site; false for other hosts, schemes and //host tricks."""
    if not target:
        return False
    if target.startswith(("//", "/\\")) or "\\" in target:
        return False
    host = urlsplit(request.host_url)
    resolved = urlsplit(urljoin(request.host_url, target))
    return resolved.scheme in ("http", "https") and resolved.netloc == host.netloc


def safe_redirect_target(target: str | None, default: str) -> str:
    return target if target and is_safe_redirect(target) else default
