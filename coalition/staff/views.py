"""The Secretariat's tools: the home (what waits for staff), organizations, and (admins)
staff rights. (The claims to verify are the representations feature's, the rosters and
terms the groups', under the same guard.)"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response

from coalition import limits, permissions
from coalition.accounts import services as accounts
from coalition.accounts.models import User
from coalition.errors import DomainError, NotFound
from coalition.extensions import db
from coalition.forms import check_button_form, show_domain_error
from coalition.initiatives.forms import RefuseProposalForm
from coalition.initiatives.queries import waiting_proposals
from coalition.pagination import page_args, paginate
from coalition.participants import services as participants
from coalition.participants.forms import OrganizationForm
from coalition.participants.views import organization_data
from coalition.staff import services
from coalition.staff.guard import staff_only
from coalition.staff.home import home_context

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.before_request
@staff_only
def _every_page_is_for_staff() -> None:
    """Every page under /staff (other features' staff pages use the same guard)."""


def _audit_url() -> str:
    try:
        return url_for("audit.log")
    except BuildError:
        return "/staff/audit"


@bp.get("/")
def index() -> str:
    return render_template("staff/index.html", audit_url=_audit_url(), **home_context())


# -- proposed initiatives ---------------------------------------------------------------------


@bp.get("/proposals")
def proposals() -> str:
    """The proposals waiting for the Secretariat, oldest first: activate or refuse each."""
    page, per_page = page_args()
    listing = paginate(waiting_proposals(), page, per_page)
    return render_template(
        "staff/proposals.html",
        listing=listing,
        refuse_form=RefuseProposalForm(prefix="refuse"),
        per_participant=limits.PROPOSALS_WAITING_MAX,
    )


# -- organizations -----------------------------------------------------------------------------


@bp.route("/organizations/new", methods=["GET", "POST"])
def new_organization() -> str | Response | tuple[str, int]:
    permissions.require(permissions.can_manage_organizations(current_user))
    form = OrganizationForm()
    if request.method == "GET":
        form.timezone.data = "UTC"
    if form.validate_on_submit():
        try:
            org = participants.create_organization(organization_data(form), actor=current_user)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is added.", name=org.name), "success")
            return redirect(url_for("participants.detail", code=org.code), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("staff/organization_new.html", form=form), status


# -- users and staff rights (admins) ------------------------------------------------------------


@bp.get("/users")
def users() -> str:
    permissions.require(permissions.can_manage_staff(current_user))
    q = request.args.get("q", "").strip()
    page, per_page = page_args()
    listing = paginate(services.users_statement(q), page, per_page)
    return render_template("staff/users.html", listing=listing, q=q)


_RIGHTS = {
    "grant_staff": {"staff": True},
    "remove_staff": {"staff": False, "admin": False},
    "grant_admin": {"staff": True, "admin": True},
    "remove_admin": {"admin": False},
}


@bp.post("/users/<int:user_id>/rights")
def set_rights(user_id: int) -> Response:
    permissions.require(permissions.can_manage_staff(current_user))
    check_button_form()
    target = _user_or_404(user_id)
    change = _RIGHTS.get(request.form.get("change", ""))
    if change is None:
        abort(400)
    accounts.set_staff_rights(
        target,
        staff=change.get("staff", target.is_staff),
        admin=change.get("admin"),
        actor=current_user,
    )
    db.session.commit()
    flash(_("The rights of %(person)s are changed.", person=target.name), "success")
    return redirect(_back_to_users(), code=303)


@bp.post("/users/<int:user_id>/enabled")
def set_enabled(user_id: int) -> Response:
    permissions.require(permissions.can_manage_staff(current_user))
    check_button_form()
    target = _user_or_404(user_id)
    enabled = request.form.get("enabled")
    if enabled not in ("0", "1"):
        abort(400)
    accounts.set_enabled(target, enabled == "1", actor=current_user)
    db.session.commit()
    if enabled == "1":
        flash(_("The account of %(person)s is enabled.", person=target.name), "success")
    else:
        flash(
            _(
                "The account of %(person)s is disabled: they can no longer log in.",
                person=target.name,
            ),
            "success",
        )
    return redirect(_back_to_users(), code=303)


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("There is no such user."))
    return user


def _back_to_users() -> str:
    return url_for("staff.users", q=request.form.get("q") or None)
