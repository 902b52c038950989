"""Flask-Login wiring."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _
from flask_login import LoginManager

from coalition.accounts.models import User
from coalition.extensions import db


def init_app(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def _load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.is_enabled else None
