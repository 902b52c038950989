"""Accounts: register, log in and out, the account page, passwords, API tokens."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from coalition import i18n
from coalition.accounts import services
from coalition.accounts.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    PreferencesForm,
    RegisterForm,
    ResetPasswordForm,
)
from coalition.errors import DomainError
from coalition.extensions import db, limiter
from coalition.forms import EmptyForm, select_choices, show_domain_error
from coalition.security import safe_redirect_target

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(_("Wrong e-mail address or password."))
        else:
            login_user(user)
            db.session.commit()
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(safe_redirect_target(form.next.data, url_for("accounts.dashboard")))
    # Reaching here after a POST means it failed: say so in the status too.
    return render_template(
        "accounts/login.html", form=form
    ), 422 if request.method == "POST" else 200


@bp.post("/logout")
def logout() -> Response:
    if EmptyForm().validate_on_submit():
        if current_user.is_authenticated:
            # Forgetting the cookie here is not enough: a copy of it would still work.
            services.end_sessions(current_user)
            db.session.commit()
        logout_user()
        flash(_("You are logged out."), "info")
    return redirect(url_for("web.home"))


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register(
                form.email.data, form.name.data, form.password.data, locale=i18n.select_locale()
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash(
                _("Your account is ready. Next, ask to represent your state or organization."),
                "success",
            )
            return redirect(url_for("representations.claim"))
    return render_template(
        "accounts/register.html", form=form
    ), 422 if request.method == "POST" else 200


@bp.get("/dashboard")
@login_required
def dashboard() -> str:
    from coalition.dashboard import dashboard_context

    return render_template("accounts/dashboard.html", **dashboard_context(current_user))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> str | Response:
    prefs = PreferencesForm(prefix="prefs", obj=current_user)
    prefs.locale.choices = select_choices(
        [("", _("Follow my browser"))]
        + [(code, i18n.language_name(code)) for code in current_app.config["LANGUAGES"]]
    )
    prefs.timezone.choices = select_choices(
        [("", _("Follow my browser (UTC if it does not say)"))]
        + [(z, z) for z in i18n.timezone_choices()]
    )
    password = ChangePasswordForm(prefix="password")
    token_form = ApiTokenForm(prefix="token")
    new_token = None
    status = 200
    action = request.form.get("action")
    if request.method == "POST":
        if action == "preferences" and prefs.validate_on_submit():
            try:
                services.update_preferences(
                    current_user,
                    name=prefs.name.data,
                    locale=prefs.locale.data,
                    timezone=prefs.timezone.data,
                )
            except DomainError as error:
                db.session.rollback()
                show_domain_error(prefs, error)
            else:
                db.session.commit()
                # A zone chosen with the switch for this visit gives way to the new default.
                session.pop("timezone", None)
                flash(_("Your preferences are saved."), "success")
                return redirect(url_for("accounts.account"))
        elif action == "password" and password.validate_on_submit():
            try:
                services.change_password(
                    current_user, password.current_password.data, password.new_password.data
                )
            except DomainError as error:
                db.session.rollback()
                show_domain_error(password, error)
            else:
                db.session.commit()
                # Other sessions end with the old password; this one carries on.
                login_user(current_user._get_current_object())
                flash(_("Your password is changed."), "success")
                return redirect(url_for("accounts.account"))
        elif action == "token" and token_form.validate_on_submit():
            _row, new_token = services.create_api_token(current_user, token_form.name.data)
            db.session.commit()
            flash(_("Your new API token is shown below, once. Copy it now."), "success")
            token_form = ApiTokenForm(prefix="token", formdata=None)
        elif action not in ("preferences", "password", "token"):
            abort(400)
        status = 200 if new_token else 422
    return render_template(
        "accounts/account.html",
        prefs=prefs,
        password=password,
        token_form=token_form,
        new_token=new_token,
        tokens=current_user.api_tokens,
    ), status


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.revoke_api_token(current_user, token_id)
    db.session.commit()
    flash(_("The token is revoked: it no longer works."), "success")
    return redirect(url_for("accounts.account"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password() -> str | Response:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.send_password_reset(form.email.data)
        db.session.commit()
        flash(
            _(
                "If an account uses this address, a reset link is on its way. It is valid for "
                "%(hours)d hours.",
                hours=current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600,
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response:
    if services.user_for_reset_token(token) is None:
        flash(_("This reset link has expired or was already used. Ask for a new one."), "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Your password is changed. You can log in with it now."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)
