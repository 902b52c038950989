"""Bearer-token authentication for the API. Cookies never authenticate an API call."""

from __future__ import annotations

from flask import Flask, g, request
from flask_babel import gettext as _

from coalition.errors import DomainError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"


def init_app(app: Flask) -> None:
    @app.before_request
    def _load_api_user() -> None:
        if not request.path.startswith("/api/"):
            return
        g.api_user = None
        header = request.headers.get("Authorization", "")
        if not header:
            # A write needs a token: say so before reading its body (401, not 422), on
            # routes that take this method (others answer 404 or 405 as usual).
            if request.method not in SAFE_METHODS and request.url_rule is not None:
                require_api_user()
            return
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized(_("Use the header Authorization: Bearer <token>."))
        from coalition.accounts.services import user_for_api_token

        user = user_for_api_token(token.strip())
        if user is None:
            raise Unauthorized(_("This API token is unknown or has been revoked."))
        g.api_user = user


def require_api_user():
    """The token's user, or 401 for an anonymous write."""
    user = g.get("api_user")
    if user is None:
        raise Unauthorized(_("This needs an API token: Authorization: Bearer <token>."))
    return user
