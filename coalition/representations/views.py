"""Representation pages: claiming to represent a participant, withdrawing the claim,
ending a representation, and (staff) deciding the claims that wait for verification."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from coalition import permissions
from coalition.errors import DomainError, InvalidValue, NotFound
from coalition.extensions import db
from coalition.forms import check_button_form, required_choices, show_domain_error
from coalition.labels import participant_name
from coalition.pagination import page_args, paginate
from coalition.participants.services import all_participants_sorted, get_participant
from coalition.representations import queries, services
from coalition.representations.forms import ClaimForm, ReasonForm
from coalition.staff.guard import staff_only

bp = Blueprint("representations", __name__)


# -- the person who claims ------------------------------------------------------------------


@bp.route("/participants/claim", methods=["GET", "POST"])
@login_required
def claim() -> str | Response | tuple[str, int]:
    form = ClaimForm()
    form.participant.choices = required_choices(all_participants_sorted())
    if request.method == "GET" and request.args.get("participant"):
        form.participant.data = request.args["participant"]
    current = queries.open_representation(current_user)
    if form.validate_on_submit():
        try:
            try:
                participant = get_participant(form.participant.data)
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
            return redirect(url_for("representations.claim"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("representations/claim.html", form=form, current=current), status


@bp.post("/participants/claim/<int:representation_id>/withdraw")
@login_required
def withdraw_claim(representation_id: int) -> Response:
    check_button_form()
    rep = queries.get_representation(representation_id)
    services.withdraw_claim(rep, actor=current_user)
    db.session.commit()
    flash(_("Your claim is withdrawn."), "success")
    return redirect(url_for("representations.claim"), code=303)


@bp.route("/representations/<int:representation_id>/end", methods=["GET", "POST"])
@login_required
def end(representation_id: int) -> str | Response | tuple[str, int]:
    rep = queries.get_representation(representation_id)
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
            if not error.field:
                raise  # refused or already ended: the error page or a flash says so
            show_domain_error(form, error)
        else:
            db.session.commit()
            if by_self:
                login_user(current_user._get_current_object())
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
    return render_template("representations/end.html", form=form, rep=rep, by_self=by_self), status


# -- staff ------------------------------------------------------------------------------------


@bp.get("/staff/representations")
@staff_only
def pending_claims() -> str:
    page, per_page = page_args()
    claims = paginate(queries.pending_claims_statement(), page, per_page)
    return render_template(
        "representations/pending_claims.html", claims=claims, reject_form=ReasonForm()
    )


@bp.post("/staff/representations/<int:representation_id>/verify")
@staff_only
def verify(representation_id: int) -> Response:
    check_button_form()
    rep = queries.get_representation(representation_id)
    services.verify_representation(rep, actor=current_user)
    db.session.commit()
    flash(
        _(
            "%(person)s now represents %(participant)s.",
            person=rep.user.name,
            participant=participant_name(rep.participant),
        ),
        "success",
    )
    return redirect(url_for("representations.pending_claims"), code=303)


@bp.route("/staff/representations/<int:representation_id>/reject", methods=["GET", "POST"])
@staff_only
def reject(representation_id: int) -> str | Response | tuple[str, int]:
    rep = queries.get_representation(representation_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            services.reject_representation(rep, actor=current_user, reason=form.reason.data)
        except DomainError as error:
            db.session.rollback()
            if not error.field:
                raise  # already decided: a flash on the page the staff member came from
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "The claim of %(person)s to represent %(participant)s is rejected.",
                    person=rep.user.name,
                    participant=participant_name(rep.participant),
                ),
                "success",
            )
            return redirect(url_for("representations.pending_claims"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("representations/reject.html", form=form, rep=rep), status
