"""Coalition: a platform on which a network of states and partners runs thematic coalitions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

_PACKAGE = Path(__file__).resolve().parent


def _resource_dir(name: str) -> Path:
    """templates/, static/ and migrations/ sit beside the package in a checkout and
    inside it in an installed wheel."""
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(_resource_dir("templates")),
        static_folder=str(_resource_dir("static")),
    )
    from coalition import config

    app.config.from_mapping(config.load(Path(app.instance_path)))
    if test_config:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from coalition import models  # noqa: F401  (all tables in the metadata)
    from coalition.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_resource_dir("migrations")), compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)

    from coalition import i18n

    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(_PACKAGE / "translations")

    from coalition.accounts import auth

    auth.init_app(app, login_manager)

    from coalition import security, web
    from coalition.api import init_api

    security.init_app(app)
    init_api(app)
    web.init_app(app)

    from coalition import cli

    cli.init_app(app)
    return app
