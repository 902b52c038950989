"""Flask-Login wiring."""

from __future__ import annotations

import hmac

from flask import Flask
from flask_babel import lazy_gettext as _
from flask_login import LoginManager

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
        user = db.session.get(User, int(user_id))
        if user is None or not user.is_enabled:
            return None
        if not hmac.compare_digest(fingerprint, session_fingerprint(user)):
            return None  # the password changed or the sessions were ended since it began
        return user
