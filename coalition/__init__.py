"""Coalition: a platform on which a network of states and partners runs thematic coalitions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

from coalition.limits import ID_MAX

_PACKAGE = Path(__file__).resolve().parent


def _resource_dir(name: str) -> Path:
    """templates/, static/ and migrations/ sit beside the package in a checkout and
    inside it in an installed wheel."""
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


class BoundedIntegerConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)


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
    config.derive(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    # Ids in URLs fit the database's integer columns: /memberships/99999999999999 is a
    # 404, not an overflow deep in the driver.
    app.url_map.converters["int"] = BoundedIntegerConverter
    if app.config["PROXY_FIX_HOPS"]:
        # Behind a reverse proxy: take the client's address and scheme from its headers,
        # so that rate limits apply per client and links and HSTS use https.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from coalition import models  # noqa: F401  (all tables in the metadata)
    from coalition.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from coalition.db import configure_sqlite

        with app.app_context():
            configure_sqlite(db.engine)
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
    # After every other before_request function: a kept answer is served only once the
    # request has passed their checks (API token, request size, NUL characters).
    from coalition.caching import responses

    responses.init_app(app)

    from coalition import cli

    cli.init_app(app)
    if app.config["WORKER_THREAD"] and not _is_reloader_parent(app):
        from coalition import worker

        worker.start_thread(app)
    return app


def _is_reloader_parent(app: Flask) -> bool:
    # With the reloader, `flask run --debug` loads the app in a watcher process too;
    # only the process that serves needs a worker (a second one would be safe, merely
    # idle).
    import os

    return app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true"
