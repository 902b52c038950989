"""Security headers, the Content-Security-Policy, and safe redirects."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from flask import Flask, Response, request

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
