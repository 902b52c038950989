"""Flask-Login wiring."""

from __future__ import annotations

import hmac

import sqlalchemy as sa
from flask import Flask
from flask_babel import lazy_gettext as _
from flask_login import LoginManager

from coalition import permissions
from coalition.accounts.models import User, session_fingerprint
from coalition.extensions import db


def init_app(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def _load_user(session_id: str) -> User | None:
        user_id, _dot, fingerprint = session_id.partition(".")
        if not user_id.isdigit() or len(user_id) > 10:
            return None
        row = db.session.execute(
            permissions.with_acting_representation(
                sa.select(User).where(User.id == int(user_id)), User.id
            )
        ).first()
        if row is None or not row.User.is_enabled:
            return None
        if not hmac.compare_digest(fingerprint, session_fingerprint(row.User)):
            return None  # the password changed or the sessions were ended since it began
        permissions.remember_acting_representation(row.User, row.Representation)
        return row.User
