"""Participants' pages: the directory, one participant, claiming to represent one,
ending a representation, and editing (staff)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coalition import permissions
from coalition.alliance.services import open_endorsement
from coalition.errors import DomainError, InvalidValue, NotFound
from coalition.extensions import db
from coalition.forms import EmptyForm, select_choices, show_domain_error
from coalition.labels import participant_name
from coalition.pagination import Page, page_args
from coalition.participants import services
from coalition.participants.forms import (
    ClaimForm,
    OrganizationForm,
    ReasonForm,
    TimezoneForm,
)
from coalition.participants.models import ParticipantKind

bp = Blueprint("participants", __name__)


def _viewer():
    return current_user if current_user.is_authenticated else None


@bp.get("/participants")
def directory() -> str:
    q = request.args.get("q", "").strip()
    kind = request.args.get("kind", "")
    if kind not in {k.value for k in ParticipantKind}:
        kind = ""
    page, per_page = page_args()
    rows = services.directory(q, kind or None)
    start = (page - 1) * per_page
    listing = Page(
        items=rows[start : start + per_page], page=page, per_page=per_page, total=len(rows)
    )
    return render_template(
        "participants/directory.html",
        listing=listing,
        q=q,
        kind=kind,
        kinds=[(k.value, k) for k in ParticipantKind],
    )


@bp.route("/participants/claim", methods=["GET", "POST"])
@login_required
def claim() -> str | Response | tuple[str, int]:
    form = ClaimForm()
    form.participant.choices = select_choices(
        [("", _("Choose…")), *services.all_participants_sorted()]
    )
    if request.method == "GET" and request.args.get("participant"):
        form.participant.data = request.args["participant"]
    current = services.open_representation(current_user)
    if form.validate_on_submit():
        try:
            try:
                participant = services.get_participant(form.participant.data)
            except NotFound as error:
                raise InvalidValue(error.message, field="participant") from None
            services.claim_representation(
                current_user, participant, role=form.role.data, position=form.position.data
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Your claim to represent %(participant)s is sent. Staff will verify it; "
                    "until then you act for no one.",
                    participant=participant_name(participant),
                ),
                "success",
            )
            return redirect(url_for("participants.claim"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("participants/claim.html", form=form, current=current), status


@bp.post("/participants/claim/<int:representation_id>/withdraw")
@login_required
def withdraw_claim(representation_id: int) -> Response:
    _check_form()
    rep = services.get_representation(representation_id)
    services.withdraw_claim(rep, actor=current_user)
    db.session.commit()
    flash(_("Your claim is withdrawn."), "success")
    return redirect(url_for("participants.claim"), code=303)


@bp.get("/participants/<code>")
def detail(code: str) -> str:
    participant = services.get_participant(code)
    viewer = _viewer()
    representatives = (
        services.current_representations(participant)
        if permissions.can_see_representatives(viewer)
        else None
    )
    history = (
        services.representation_history(participant)
        if permissions.can_see_representation_history(viewer, participant)
        else None
    )
    return render_template(
        "participants/detail.html",
        participant=participant,
        endorsement=open_endorsement(participant),
        representatives=representatives,
        history=history,
        can_edit=permissions.can_edit_participant(viewer, participant),
    )


@bp.route("/representations/<int:representation_id>/end", methods=["GET", "POST"])
@login_required
def end_representation(representation_id: int) -> str | Response | tuple[str, int]:
    rep = services.get_representation(representation_id)
    permissions.require(permissions.can_end_representation(current_user, rep))
    form = ReasonForm()
    by_self = rep.user_id == current_user.id
    if by_self:
        form.reason.validators = []
    if form.validate_on_submit():
        try:
            services.end_representation(rep, actor=current_user, reason=form.reason.data)
        except DomainError as error:
            db.session.rollback()
            if error.status in (403, 404, 409) and not error.field:
                raise
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(person)s no longer represents %(participant)s.",
                    person=rep.user.name,
                    participant=participant_name(rep.participant),
                ),
                "success",
            )
            return redirect(url_for("participants.detail", code=rep.participant.code), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("participants/end.html", form=form, rep=rep, by_self=by_self), status


@bp.route("/participants/<code>/edit", methods=["GET", "POST"])
@login_required
def edit(code: str) -> str | Response | tuple[str, int]:
    participant = services.get_participant(code)
    permissions.require(permissions.can_edit_participant(current_user, participant))
    if participant.kind is ParticipantKind.STATE:
        form = TimezoneForm(obj=participant)
    else:
        form = OrganizationForm(obj=participant)
    if form.validate_on_submit():
        try:
            if participant.kind is ParticipantKind.STATE:
                services.set_reference_timezone(participant, form.timezone.data, actor=current_user)
            else:
                services.update_organization(
                    participant, organization_data(form), actor=current_user
                )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The changes are saved."), "success")
            return redirect(url_for("participants.detail", code=participant.code), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("participants/edit.html", form=form, participant=participant), status


def organization_data(form: OrganizationForm) -> services.OrganizationData:
    return services.OrganizationData(
        code=form.code.data or "",
        name=form.name.data or "",
        category=form.category.data or "",
        acronym=form.acronym.data,
        website=form.website.data,
        description=form.description.data,
        timezone=form.timezone.data or "",
    )


def _check_form() -> None:
    if not EmptyForm().validate_on_submit():
        abort(400)
