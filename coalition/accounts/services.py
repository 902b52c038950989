"""Accounts: registration, passwords, password reset, API tokens, staff rights."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache

import argon2
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from coalition import limits, permissions
from coalition.accounts.models import ApiToken, User
from coalition.audit.services import record
from coalition.db import flush_or, utcnow
from coalition.errors import Conflict, InvalidValue, NotFound
from coalition.extensions import db
from coalition.i18n import timezone_choices
from coalition.text import clean_line

MIN_PASSWORD_LENGTH = 10

#: PASSWORD_HASH_PROFILE → argon2 parameters. Production hashes with RFC 9106's
#: low-memory profile; the test suite configures the cheapest, as it hashes thousands.
_HASH_PROFILES = {
    "strong": argon2.profiles.RFC_9106_LOW_MEMORY,
    "cheapest": argon2.profiles.CHEAPEST,
}


@cache
def _hasher_for(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(_HASH_PROFILES[profile])


@cache
def _dummy_hash(profile: str) -> str:
    # Verified against when the e-mail is unknown, so that a login takes as long either
    # way and does not reveal which addresses have accounts.
    return _hasher_for(profile).hash("not a real password")


def _profile() -> str:
    return current_app.config["PASSWORD_HASH_PROFILE"]


def _hasher() -> PasswordHasher:
    return _hasher_for(_profile())


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password_rules(password: str, *, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidValue(_("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), field=field)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def register(email: str, name: str, password: str, *, locale: str | None = None) -> User:
    """Create an account. Raises Conflict (field "email") if the address is taken."""
    email = normalize_email(email)
    name = clean_line(name, "name", max_length=limits.NAME_MAX)
    if not name:
        raise InvalidValue(_("Please give your name."), field="name")
    check_password_rules(password)
    if find_user_by_email(email) is not None:
        raise Conflict(_("An account with this e-mail address already exists."), field="email")
    user = User(email=email, name=name, password_hash=hash_password(password), locale=locale)
    db.session.add(user)
    # Two registrations with the same address at once: the database keeps one.
    flush_or(Conflict(_("An account with this e-mail address already exists."), field="email"))
    record(
        "user.register",
        object_type="user",
        object_id=user.id,
        object_label=user.email,
        actor=user,
        after={"email": user.email, "name": user.name},
    )
    return user


def authenticate(email: str, password: str) -> User | None:
    """The enabled user with this e-mail and password, else None (same time either way)."""
    user = find_user_by_email(email)
    if user is None:
        _verify(_dummy_hash(_profile()), password)
        return None
    if not _verify(user.password_hash, password) or not user.is_enabled:
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def end_sessions(user: User) -> None:
    """End every session and remember-me cookie of *user* on every app server: the next
    request carrying one finds the session epoch raised and is logged out. A view that
    keeps the acting session logs the person in again after committing."""
    user.session_epoch = User.session_epoch + 1
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password; every session begun with the old one ends."""
    if not _verify(user.password_hash, current):
        raise InvalidValue(_("This is not your current password."), field="current_password")
    check_password_rules(new, field="new_password")
    user.password_hash = hash_password(new)
    end_sessions(user)
    record(
        "user.change_password",
        object_type="user",
        object_id=user.id,
        object_label=user.email,
        actor=user,
    )


def update_preferences(user: User, *, name: str, locale: str | None, timezone: str | None) -> None:
    """Save the person's name, language and time zone. Raises InvalidValue about the field
    for an unknown language or zone or a name too long; an empty name keeps the old one."""
    if locale and locale not in current_app.config["LANGUAGES"]:
        raise InvalidValue(_("Choose a language from the list."), field="locale")
    if timezone and timezone not in timezone_choices():
        raise InvalidValue(_("Choose a time zone from the list."), field="timezone")
    before = {"name": user.name, "locale": user.locale, "timezone": user.timezone}
    user.name = clean_line(name, "name", max_length=limits.NAME_MAX) or user.name
    user.locale = locale or None
    user.timezone = timezone or None
    after = {"name": user.name, "locale": user.locale, "timezone": user.timezone}
    if before != after:
        record(
            "user.update",
            object_type="user",
            object_id=user.id,
            object_label=user.email,
            actor=user,
            before=before,
            after=after,
        )


# -- password reset: a signed, time-limited token that dies once the password changes ----


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def password_reset_token(user: User) -> str:
    # The current hash's tail is signed in: once the password changes, the link is dead.
    return _reset_serializer().dumps({"user": user.id, "h": user.password_hash[-16:]})


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _reset_serializer().loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"]
        )
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or not user.is_enabled or user.password_hash[-16:] != data.get("h"):
        return None
    return user


def reset_password(token: str, new: str) -> User:
    user = user_for_reset_token(token)
    if user is None:
        raise InvalidValue(_("This reset link has expired or was already used. Ask for a new one."))
    check_password_rules(new)
    user.password_hash = hash_password(new)
    end_sessions(user)
    record(
        "user.reset_password",
        object_type="user",
        object_id=user.id,
        object_label=user.email,
        actor=user,
    )
    return user


def send_password_reset(email: str) -> None:
    """E-mail a reset link if an account exists; says nothing either way to the caller."""
    from flask_babel import force_locale, gettext

    from coalition import mail

    user = find_user_by_email(email)
    if user is None or not user.is_enabled:
        return
    # From PUBLIC_URL, never from the request's Host: see coalition.mail.
    link = mail.external_url("accounts.reset_password", token=password_reset_token(user))
    hours = current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600
    with force_locale(user.locale or "en"):
        mail.queue(
            user.email,
            gettext("Reset your Coalition password"),
            gettext(
                "Someone asked to reset the password of your Coalition account. If it was "
                "you, open this link within %(hours)d hours:\n\n%(link)s\n\nIf it was not "
                "you, ignore this message: your password stays as it is.",
                hours=hours,
                link=link,
            ),
        )


# -- API tokens ------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user: User, name: str = "API token") -> tuple[ApiToken, str]:
    """A new token for *user*; returns the row and the token, which is shown only once."""
    token = "coa_" + secrets.token_urlsafe(32)
    name = clean_line(name, "name", max_length=limits.TOKEN_NAME_MAX) or "API token"
    row = ApiToken(user=user, name=name, token_hash=_digest(token), prefix=token[:10])
    db.session.add(row)
    db.session.flush()
    record(
        "api_token.create",
        object_type="api_token",
        object_id=row.id,
        object_label=row.prefix,
        actor=user,
        after={"name": row.name},
    )
    return row, token


def revoke_api_token(user: User, token_id: int) -> ApiToken:
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFound(_("There is no such token."))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record(
            "api_token.revoke",
            object_type="api_token",
            object_id=row.id,
            object_label=row.prefix,
            actor=user,
        )
    return row


def user_for_api_token(token: str) -> User | None:
    row = db.session.execute(
        permissions.with_acting_representation(
            sa.select(ApiToken)
            .where(ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None))
            .options(sa.orm.joinedload(ApiToken.user)),
            ApiToken.user_id,
        )
    ).first()
    if row is None or not row.ApiToken.user.is_enabled:
        return None
    permissions.remember_acting_representation(row.ApiToken.user, row.Representation)
    return row.ApiToken.user


# -- staff rights (admins) -----------------------------------------------------------------------


def set_staff_rights(target: User, *, staff: bool, admin: bool | None = None, actor: User) -> None:
    permissions.require(permissions.can_manage_staff(actor))
    if admin is False and target.id == actor.id:
        raise Conflict(_("You cannot remove your own admin rights."))
    _change_rights(target, staff=staff, admin=admin, actor=actor)


def grant_rights_from_command_line(target: User, *, staff: bool, admin: bool) -> None:
    """`flask user create --staff/--admin`: whoever runs the command line on the server
    is trusted; the change is recorded like any other, with no actor."""
    _change_rights(
        target,
        staff=target.is_staff or staff or admin,
        admin=target.is_admin or admin,
        actor=None,
    )


def _change_rights(target: User, *, staff: bool, admin: bool | None, actor: User | None) -> None:
    before = {"is_staff": target.is_staff, "is_admin": target.is_admin}
    if admin is not None:
        target.is_admin = admin
    target.is_staff = staff
    after = {"is_staff": target.is_staff, "is_admin": target.is_admin}
    if before != after:
        record(
            "user.staff_rights",
            object_type="user",
            object_id=target.id,
            object_label=target.email,
            actor=actor,
            before=before,
            after=after,
        )


def set_enabled(target: User, enabled: bool, *, actor: User) -> None:
    permissions.require(permissions.can_manage_staff(actor))
    if target.id == actor.id and not enabled:
        raise Conflict(_("You cannot disable your own account."))
    if target.is_enabled != enabled:
        record(
            "user.enable" if enabled else "user.disable",
            object_type="user",
            object_id=target.id,
            object_label=target.email,
            actor=actor,
            before={"is_enabled": target.is_enabled},
            after={"is_enabled": enabled},
        )
        target.is_enabled = enabled
        if not enabled:
            # Re-enabling later must not bring the sessions of before back to life.
            end_sessions(target)
