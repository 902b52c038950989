"""Private calendar subscription feeds: one secret URL per user, rotatable.

The token is HMAC(SECRET_KEY, salt): the account page can show the link again (it is
computed from the stored salt), a copy of the database alone gives no working link (the
secret key is not in it), and rotating draws a new salt, so the old link stops working.
Requests find the feed by the token's SHA-256, stored with a unique index.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app

from coalition.audit.services import record
from coalition.db import utcnow
from coalition.extensions import db
from coalition.mail import external_url
from coalition.meetings.models import CalendarFeed

if TYPE_CHECKING:
    from coalition.accounts.models import User


def _token(salt: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"calendar-feed:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def feed_url(feed: CalendarFeed) -> str:
    return external_url("meetings.feed", token=_token(feed.salt))


def rotate(user: User) -> CalendarFeed:
    """Create the user's feed, or give it a new secret link (the old one stops working)."""
    feed = feed_of(user)
    salt = secrets.token_urlsafe(32)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, salt=salt, token_hash=_hash(_token(salt)))
        db.session.add(feed)
        action = "calendar_feed.create"
    else:
        feed.salt, feed.token_hash, feed.rotated_at = salt, _hash(_token(salt)), utcnow()
        action = "calendar_feed.rotate"
    db.session.flush()
    record(action, object_type="user", object_id=user.id, object_label=user.email, actor=user)
    return feed


def user_for_token(token: str) -> User | None:
    """The enabled user whose feed *token* opens, else None (1 query)."""
    if not token or len(token) > 100:
        return None
    feed = db.session.scalar(
        sa.select(CalendarFeed)
        .where(CalendarFeed.token_hash == _hash(token))
        .options(sa.orm.joinedload(CalendarFeed.user))
    )
    if feed is None or not feed.user.is_enabled:
        return None
    return feed.user
