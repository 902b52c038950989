"""Kept answers: a page or API answer computed once per version of the data, viewer,
language and zone, then served from the cache to the next identical request.

Only the endpoints in KEPT_ENDPOINTS are kept, and only a 200 answer to a GET that wrote
nothing and left no message to show. The key holds everything such a page depends on
besides the data: the path and query, the viewer, the language, the zone and where the
zone came from; the data version makes a change visible at once, and the time to live
bounds what depends on the clock alone ("upcoming", "ends in 3 days").

A page carries the requester's own CSRF token in its forms (the language and zone
switches are on every page): it is kept with a placeholder where the token was and gets
the new requester's token when served. Where Redis is configured (CACHE_REDIS_URL) every
worker and app server shares one cache; otherwise each process keeps its own, which the
data version read on each request keeps from going stale.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from flask import Flask, Response, current_app, g, request, session
from flask_babel import get_locale
from flask_caching import Cache
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from coalition.caching import version
from coalition.extensions import db
from coalition.i18n import is_api_request, viewer_zone

log = logging.getLogger(__name__)

#: GET endpoints whose answer depends only on the data, the viewer, the language, the
#: zone and the clock. Forms, the inbox, downloads and anything showing a secret are not
#: kept.
KEPT_ENDPOINTS = frozenset(
    {
        "web.home",
        "alliance.declaration",
        "initiatives.directory",
        "initiatives.detail",
        "initiatives.history",
        "initiatives.matrix",
        "groups.directory",
        "groups.detail",
        "groups.history",
        "participants.directory",
        "participants.detail",
        "meetings.index",
        "meetings.detail",
        "accounts.dashboard",
        "audit.log",
        "alliance_api.list_endorsements",
        "audit_api.list_events",
        "groups_api.Groups",
        "groups_api.GroupResource",
        "initiatives_api.Initiatives",
        "initiatives_api.InitiativeResource",
        "meetings_api.Meetings",
        "meetings_api.MeetingResource",
        "meetings_api.rsvp_list",
        "memberships_api.groups_co_chairs",
        "memberships_api.groups_memberships",
        "memberships_api.initiatives_co_chairs",
        "memberships_api.initiatives_memberships",
        "memberships_api.membership_detail",
        "participants_api.get_participant",
        "participants_api.list_participants",
    }
)

#: Stands where the requester's CSRF token was; never produced by a page otherwise.
TOKEN_HOLE = b"\x00coalition-csrf-token\x00"
_UNSTORED_HEADERS = frozenset({"set-cookie", "content-length"})

cache = Cache()


def init_app(app: Flask) -> None:
    config = app.config
    # Filed under the schema's revision too: answers kept before a migration (which may
    # change data outside any session) are not used after it.
    prefix = config.get("CACHE_KEY_PREFIX") or "coalition"
    app.extensions["coalition_schema_head"] = head = _schema_head(app)
    config["CACHE_KEY_PREFIX"] = f"{prefix.rstrip(':')}:{head}:"
    if config.get("CACHE_REDIS_URL"):
        config.setdefault("CACHE_TYPE", "RedisCache")
    else:
        config.setdefault("CACHE_TYPE", "SimpleCache")
        config.setdefault("CACHE_THRESHOLD", 500)
    config.setdefault("CACHE_DEFAULT_TIMEOUT", config["RESPONSE_CACHE_SECONDS"])
    cache.init_app(app)
    app.before_request(_serve_kept)
    app.after_request(_keep)


def _key(data_version: int) -> str:
    zone, source = viewer_zone()
    parts = [
        str(data_version),
        request.host,
        request.path,
        request.query_string.decode("latin-1"),
        str(get_locale()),
        zone,
        str(source),
        _viewer(),
        # The API names states in the six UN languages, by Accept-Language.
        request.headers.get("Accept-Language", "") if is_api_request() else "",
    ]
    return "page:" + hashlib.blake2b("\n".join(parts).encode(), digest_size=20).hexdigest()


def _schema_head(app: Flask) -> str:
    from alembic.script import ScriptDirectory

    directory = app.extensions["migrate"].directory
    return ScriptDirectory(directory).get_current_head() or "none"


def _viewer() -> str:
    """Whose answer this is: the API token's user for the API (cookies do not count
    there), the signed-in user for pages."""
    if is_api_request():
        user = g.get("api_user")
        return f"api:{user.id}" if user is not None else ""
    return f"web:{current_user.get_id()}" if current_user.is_authenticated else ""


def _serve_kept() -> Response | None:
    if request.method not in ("GET", "HEAD") or request.endpoint not in KEPT_ENDPOINTS:
        return None
    if not current_app.config["RESPONSE_CACHE"]:
        return None
    if "_flashes" in session:
        return None  # a message waits to be shown once: render
    connection = db.session.connection()
    if connection.info.get(version.WROTE):
        return None  # uncommitted writes on this connection: only a render shows them
    key = _key(version.current(db.session))
    g.coalition_cache_key = key
    try:
        kept = cache.get(key)
    except Exception:  # the cache is an optimisation: without it, render
        log.warning("response cache unavailable", exc_info=True)
        return None
    if kept is None:
        return None
    headers, body = kept
    response = current_app.response_class(status=200, headers=headers)
    if TOKEN_HOLE in body:
        body = body.replace(TOKEN_HOLE, generate_csrf().encode())
        response.set_data(body)
    else:
        response.set_data(body)
        response.set_etag(key.removeprefix("page:"), weak=True)
        response.make_conditional(request)
    g.coalition_cache_key = None
    return response


def _keep(response: Response) -> Response:
    key = g.pop("coalition_cache_key", None)
    if (
        key is None
        or request.method != "GET"
        or response.status_code != 200
        or response.is_streamed
        or response.direct_passthrough
        or g.get("coalition_wrote")
        or "_flashes" in session
    ):
        return response
    body = response.get_data()
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    stored = body.replace(token.encode(), TOKEN_HOLE) if token else body
    headers: list[tuple[str, Any]] = [
        (name, value) for name, value in response.headers if name.lower() not in _UNSTORED_HEADERS
    ]
    try:
        cache.set(key, (headers, stored))
    except Exception:
        log.warning("response cache unavailable", exc_info=True)
        return response
    if not token:
        response.set_etag(key.removeprefix("page:"), weak=True)
        return response.make_conditional(request)
    return response


def clear() -> None:
    """Forget every kept answer (the tests start each case empty)."""
    cache.clear()
