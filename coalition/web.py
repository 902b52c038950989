"""The HTML side: blueprints, error pages, template helpers, home page, language choice."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from coalition import i18n, limits, permissions
from coalition.errors import DomainError, NotAllowed, NotFound
from coalition.extensions import db
from coalition.forms import EmptyForm
from coalition.markdown import render as render_markdown
from coalition.security import safe_redirect_target

log = logging.getLogger(__name__)

bp = Blueprint("web", __name__)

#: What a database that does not answer raises: refused or timed-out connections, a
#: statement cancelled by statement_timeout, a session killed mid-request, no free
#: connection in the pool.
DATABASE_UNAVAILABLE = (OperationalError, PoolTimeoutError)
#: Seconds after which a client may try again (the Retry-After of every 503).
RETRY_AFTER = 30


@bp.get("/")
def home() -> str:
    from coalition.web_home import home_context

    return render_template("home.html", **home_context())


@bp.post("/language")
def set_language() -> Response:
    form = EmptyForm()
    code = request.form.get("language", "")
    if form.validate_on_submit() and code in current_app.config["LANGUAGES"]:
        session["locale"] = code
        if current_user.is_authenticated:
            from coalition.accounts.services import update_preferences

            update_preferences(
                current_user, name=current_user.name, locale=code, timezone=current_user.timezone
            )
            db.session.commit()
    return redirect(safe_redirect_target(request.form.get("next"), url_for("web.home")))


@bp.get("/health")
def health() -> tuple[Response, int]:
    """Whether this app server can reach its database (for load balancers and
    monitoring): one `SELECT 1`, no login, never cached."""
    try:
        db.session.execute(sa.text("SELECT 1"))
        database = "ok"
    except DATABASE_UNAVAILABLE:
        _discard_session()
        database = "unreachable"
    status = 200 if database == "ok" else 503
    response = jsonify({"status": "ok" if status == 200 else "unavailable", "database": database})
    response.headers["Cache-Control"] = "no-store"
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER)
    return response, status


def _is_api_request() -> bool:
    return request.path.startswith("/api/")


def _discard_session() -> None:
    """Roll back what the request wrote (nothing of it is kept) and drop the session,
    whose connection may be dead; a failure to roll back on a dead connection is moot."""
    try:
        db.session.rollback()
    except Exception:  # the database is already known to be away
        log.debug("rollback on an unavailable database failed", exc_info=True)
    db.session.remove()


def database_unavailable(error: Exception) -> Response | tuple[str, int]:
    """503 with Retry-After: problem+json for the API and JSON files, a page otherwise."""
    from coalition.extensions import login_manager

    log.warning("database unavailable on %s %s: %s", request.method, request.path, error)
    _discard_session()
    # Answer as to an anonymous reader: the language and the menu of a signed-in one
    # would be looked up in the database again.
    g._login_user = login_manager.anonymous_user()
    message = _("The site cannot reach its database just now. Please try again in a minute.")
    if _is_api_request() or request.path.endswith(".json"):
        from coalition.api.problems import problem_response

        response = problem_response(503, message)
    else:
        response = current_app.make_response(
            (render_template("error.html", status=503, message=message), 503)
        )
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def init_app(app: Flask) -> None:
    from coalition.accounts.views import bp as accounts_bp
    from coalition.alliance.views import bp as alliance_bp
    from coalition.audit.views import bp as audit_bp
    from coalition.bodies.views import bp as bodies_bp
    from coalition.groups.views import bp as groups_bp
    from coalition.initiatives.views import bp as initiatives_bp
    from coalition.meetings.views import bp as meetings_bp
    from coalition.notifications.views import bp as notifications_bp
    from coalition.opendata.views import bp as opendata_bp
    from coalition.participants.views import bp as participants_bp
    from coalition.planner.views import bp as planner_bp
    from coalition.representations.views import bp as representations_bp
    from coalition.staff import mail as _staff_mail  # noqa: F401  (adds /staff/mail to staff_bp)
    from coalition.staff.views import bp as staff_bp
    from coalition.viewer_zone import bp as zone_bp

    for blueprint in (
        bp,
        accounts_bp,
        participants_bp,
        representations_bp,
        alliance_bp,
        audit_bp,
        notifications_bp,
        initiatives_bp,
        bodies_bp,
        meetings_bp,
        groups_bp,
        opendata_bp,
        staff_bp,
        planner_bp,
        zone_bp,
    ):
        app.register_blueprint(blueprint)

    from coalition import bilingual, labels

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["datetime"] = i18n.format_datetime
    app.jinja_env.filters["day"] = i18n.format_day
    app.jinja_env.filters["label"] = labels.label
    app.jinja_env.filters["participant_name"] = labels.participant_name
    app.jinja_env.filters["representation_role"] = labels.label
    app.jinja_env.filters["representation_status"] = labels.label
    app.jinja_env.filters["markdown"] = render_markdown
    bilingual.register(app)
    app.jinja_env.globals.update(
        get_locale=get_locale,
        language_name=i18n.language_name,
        zone_label=i18n.zone_label,
        permissions=permissions,
    )

    @app.context_processor
    def _template_context() -> dict:
        from coalition.notifications.services import unread_count

        user = current_user if current_user.is_authenticated else None
        return {
            "acting_participant": permissions.acting_participant(user),
            "unread_notifications": (lambda: unread_count(user)) if user else (lambda: 0),
            "languages": app.config["LANGUAGES"],
            # Only its CSRF token is rendered: it never reads what a request submitted
            # (a POST too large to read is answered with this page).
            "empty_form": EmptyForm(formdata=None),
        }

    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError) -> Response | tuple[str, int]:
        if _is_api_request():
            from coalition.api.problems import problem_response

            return problem_response(error.status, str(error.message), errors=_field_errors(error))
        db.session.rollback()
        if isinstance(error, NotAllowed | NotFound):
            return render_template(
                "error.html", status=error.status, message=error.message
            ), error.status
        flash(str(error.message), "error")
        return redirect(safe_redirect_target(request.referrer, url_for("web.home")), code=303)

    # Registered after the API (whose handler flask-smorest installs app-wide): HTML
    # pages get HTML error pages, API paths keep problem+json with field errors.
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response | tuple:
        if _is_api_request():
            from coalition.api import api

            return api.handle_http_exception(error)
        if error.code and error.code < 400:
            return error
        messages = {
            400: _("The request could not be understood. Please try again."),
            403: _("You are not allowed to see this page."),
            404: _("There is no such page. Check the address, or start from the home page."),
            405: _("This action is not available here."),
            415: _("This page takes what its form sends, and nothing else."),
            413: _(
                "What you sent is too large: uploads are limited to %(n)s MB. A list of "
                "participant codes is far smaller: check that this is the right file.",
                n=limits.UPLOAD_BYTES_MAX // 2**20,
            ),
            429: _("Too many attempts. Please wait a moment and try again."),
        }
        message = messages.get(error.code or 500, _("Something went wrong on our side."))
        page = render_template("error.html", status=error.code, message=message)
        # Keep what the error says about the request: Allow on a 405, Retry-After on a 429…
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return page, error.code or 500, headers

    @app.errorhandler(DataError)
    def _data_error(_error: DataError) -> Response | tuple[str, int]:
        # A value the database cannot store (a NUL character in JSON text, say): the
        # request is at fault, not the server.
        db.session.rollback()
        message = _("Some of the values sent cannot be stored. Check them and try again.")
        if _is_api_request():
            from coalition.api.problems import problem_response

            return problem_response(400, message)
        return render_template("error.html", status=400, message=message), 400

    for unavailable in DATABASE_UNAVAILABLE:
        app.register_error_handler(unavailable, database_unavailable)

    @app.errorhandler(500)
    def _server_error(_error: Exception) -> tuple[str, int]:
        db.session.rollback()
        if _is_api_request():
            from coalition.api.problems import problem_response

            return problem_response(500, "Internal server error")
        return render_template(
            "error.html", status=500, message=_("Something went wrong on our side.")
        ), 500


def _field_errors(error: DomainError) -> dict[str, list[str]] | None:
    several = getattr(error, "errors", None)  # InvalidValues
    return several or ({error.field: [str(error.message)]} if error.field else None)
