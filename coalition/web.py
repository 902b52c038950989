"""The HTML side: blueprints, error pages, template helpers, home page, language choice."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from coalition import i18n, permissions
from coalition.errors import DomainError, NotAllowed, NotFound
from coalition.extensions import db
from coalition.forms import EmptyForm
from coalition.markdown import render as render_markdown
from coalition.security import safe_redirect_target

bp = Blueprint("web", __name__)


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


def _is_api_request() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    from coalition.accounts.views import bp as accounts_bp
    from coalition.alliance.views import bp as alliance_bp
    from coalition.audit.views import bp as audit_bp
    from coalition.initiatives.views import bp as initiatives_bp
    from coalition.notifications.views import bp as notifications_bp
    from coalition.opendata.views import bp as opendata_bp
    from coalition.participants.views import bp as participants_bp
    from coalition.staff.views import bp as staff_bp

    for blueprint in (
        bp,
        accounts_bp,
        participants_bp,
        alliance_bp,
        audit_bp,
        notifications_bp,
        initiatives_bp,
        opendata_bp,
        staff_bp,
    ):
        app.register_blueprint(blueprint)

    from coalition import labels

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["datetime"] = i18n.format_datetime
    app.jinja_env.filters["label"] = labels.label
    app.jinja_env.filters["participant_name"] = labels.participant_name
    app.jinja_env.filters["representation_role"] = labels.label
    app.jinja_env.filters["representation_status"] = labels.label
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals.update(
        get_locale=get_locale,
        country_name=i18n.country_name,
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
            "is_staff": permissions.is_staff(user),
            "is_admin": permissions.is_admin(user),
            "unread_notifications": (lambda: unread_count(user)) if user else (lambda: 0),
            "languages": app.config["LANGUAGES"],
            "empty_form": EmptyForm(),
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
    def _http_error(error: HTTPException) -> Response | tuple[str, int]:
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
            429: _("Too many attempts. Please wait a moment and try again."),
        }
        message = messages.get(error.code or 500, _("Something went wrong on our side."))
        return render_template("error.html", status=error.code, message=message), error.code or 500

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
    return {error.field: [str(error.message)]} if error.field else None
