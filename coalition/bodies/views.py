"""The membership and co-chair actions of every kind of body's page: join, invite,
decide, answer, withdraw, remove, assign and end co-chairs.

The same routes serve /initiatives/<slug>/… and /groups/<slug>/…; each parses its form,
calls the membership machine (which asks the rules), commits, flashes and goes back.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coalition import permissions
from coalition.bilingual import localized_text
from coalition.bodies import co_chairs, memberships, rules, terms
from coalition.bodies.forms import (
    CoChairForm,
    DeclineForm,
    InviteForm,
    JoinForm,
    RemoveForm,
    TermForm,
    WithdrawForm,
    participant_choices,
)
from coalition.bodies.models import Body, Membership, MembershipStatus
from coalition.bodies.queries import body_view, get_body, get_membership, invitable_participants
from coalition.errors import DomainError, refuse
from coalition.extensions import db
from coalition.forms import EmptyForm, show_domain_error, submitted
from coalition.labels import participant_name
from coalition.participants.services import get_participant
from coalition.security import safe_redirect_target

bp = Blueprint("bodies", __name__)

SECTION = "<any(initiatives, groups):section>/<slug>"


def _body(section: str, slug: str) -> Body:
    body = get_body(slug)
    if body.section != section:
        abort(404)
    return body


def _back(body: Body) -> Response:
    """Back where the action was taken (the dashboard, say), else to the body's page."""
    return redirect(_next(body), code=303)


def _next(body: Body) -> str:
    """Where the action was asked from (a `next` field, or the confirmation page's
    query string), through the one redirect gate; else the body's page."""
    return safe_redirect_target(request.values.get("next"), body.path)


@bp.post(f"/{SECTION}/join")
@login_required
def join(section: str, slug: str) -> Response:
    body = _body(section, slug)
    form = JoinForm(prefix="join")
    if submitted(form):
        membership = memberships.join(body, actor=current_user, message=form.message.data)
        db.session.commit()
        if membership.status is MembershipStatus.ACTIVE:
            flash(_("You have joined %(title)s.", title=localized_text(body, "title")), "success")
        else:
            flash(_("Your request to join is sent; the co-chairs will decide."), "success")
    return _back(body)


@bp.post(f"/{SECTION}/invite")
@login_required
def invite(section: str, slug: str) -> Response:
    body = _body(section, slug)
    refuse(rules.invite_refusal(current_user, body))
    form = InviteForm(prefix="invite")
    form.participant.choices = participant_choices(invitable_participants(body))
    if submitted(form):
        participant = get_participant(form.participant.data)
        memberships.invite(body, participant, actor=current_user, message=form.message.data)
        db.session.commit()
        flash(
            _("%(participant)s is invited.", participant=participant_name(participant)),
            "success",
        )
    return _back(body)


#: URL action → the act, and what to say once done.
_ACTIONS = {
    "approve": memberships.approve,
    "cancel": memberships.cancel_request,
    "accept": memberships.accept_invitation,
    "decline-invitation": memberships.decline_invitation,
    "revoke": memberships.revoke_invitation,
}


def _done_message(action: str, membership: Membership) -> str:
    # Literal msgids, so that the catalog extractor finds every sentence.
    participant = participant_name(membership.participant)
    if action == "approve":
        return _("The request of %(participant)s is approved.", participant=participant)
    if action == "cancel":
        return _("Your request is cancelled.")
    if action == "accept":
        return _("You accepted the invitation. Welcome.")
    if action == "decline-invitation":
        return _("You declined the invitation.")
    return _("The invitation of %(participant)s is revoked.", participant=participant)


@bp.post(f"/{SECTION}/memberships/<int:membership_id>/<action>")
@login_required
def membership_action(section: str, slug: str, membership_id: int, action: str) -> Response:
    if action not in _ACTIONS:
        abort(404)
    body = _body(section, slug)
    membership = get_membership(membership_id, body=body)
    if submitted(EmptyForm()):
        _ACTIONS[action](membership, actor=current_user)
        db.session.commit()
        flash(_done_message(action, membership), "success")
    return _back(body)


@bp.route(f"/{SECTION}/memberships/<int:membership_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(section: str, slug: str, membership_id: int) -> str | Response | tuple[str, int]:
    """Withdrawing asks first: the page says what will end with the membership and takes
    an optional reason, kept with the membership for the co-chairs and staff."""
    body = _body(section, slug)
    membership = get_membership(membership_id, body=body)
    refuse(rules.withdraw_refusal(current_user, membership))
    form = WithdrawForm(prefix="withdraw")
    if form.validate_on_submit():
        try:
            memberships.withdraw(membership, actor=current_user, reason=form.reason.data)
        except DomainError as error:
            if not error.field:
                raise  # refused, or changed meanwhile: the error page or a flash says so
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(participant)s has withdrawn from %(title)s.",
                    participant=participant_name(membership.participant),
                    title=localized_text(body, "title"),
                ),
                "success",
            )
            return _back(body)
    return _confirmation(
        "bodies/withdraw.html",
        form,
        body=body,
        membership=membership,
        dependents=body.dependent_memberships(membership),
    )


@bp.route(f"/{SECTION}/memberships/<int:membership_id>/decline", methods=["GET", "POST"])
@login_required
def decline(section: str, slug: str, membership_id: int) -> str | Response | tuple[str, int]:
    """Decline a request, with a reason shown to its participant: posted from the body's
    page, or from this page (linked from the dashboard, where the co-chair returns)."""
    body = _body(section, slug)
    membership = get_membership(membership_id, body=body)
    refuse(rules.decide_refusal(current_user, membership))
    form = DeclineForm(prefix="decline")
    if form.validate_on_submit():
        try:
            memberships.decline(membership, actor=current_user, reason=form.reason.data)
        except DomainError as error:
            if not error.field:
                raise
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "The request of %(participant)s is declined.",
                    participant=participant_name(membership.participant),
                ),
                "success",
            )
            return _back(body)
    return _confirmation("bodies/decline.html", form, body=body, membership=membership)


def _confirmation(template: str, form: WithdrawForm | DeclineForm, **context) -> tuple[str, int]:
    """A confirmation page: shown on GET, shown again with its errors after a bad POST."""
    status = 422 if request.method == "POST" else 200
    body = context["body"]
    return render_template(template, form=form, next=_next(body), **context), status


@bp.post(f"/{SECTION}/memberships/<int:membership_id>/remove")
@login_required
def remove(section: str, slug: str, membership_id: int) -> Response:
    body = _body(section, slug)
    membership = get_membership(membership_id, body=body)
    refuse(rules.remove_refusal(current_user, membership))
    form = RemoveForm(prefix="remove")
    if submitted(form):
        memberships.remove(membership, actor=current_user, reason=form.reason.data)
        db.session.commit()
        flash(
            _(
                "%(participant)s is removed from %(title)s.",
                participant=participant_name(membership.participant),
                title=localized_text(body, "title"),
            ),
            "success",
        )
    return _back(body)


@bp.post(f"/{SECTION}/memberships/<int:membership_id>/term")
@login_required
def renew_term(section: str, slug: str, membership_id: int) -> Response:
    body = _body(section, slug)
    membership = get_membership(membership_id, body=body)
    refuse(rules.term_refusal(current_user, membership))
    form = TermForm(prefix="term")
    if submitted(form):
        terms.renew_term(membership, form.term_ends_on.data, actor=current_user)
        db.session.commit()
        who = participant_name(membership.participant)
        if membership.term_ends_on:
            flash(
                _(
                    "The term of %(participant)s now ends on %(date)s.",
                    participant=who,
                    date=membership.term_ends_on.isoformat(),
                ),
                "success",
            )
        else:
            flash(
                _("The membership of %(participant)s has no end any more.", participant=who),
                "success",
            )
    return _back(body)


@bp.post(f"/{SECTION}/memberships/<int:membership_id>/end-term")
@login_required
def end_term(section: str, slug: str, membership_id: int) -> Response:
    body = _body(section, slug)
    membership = get_membership(membership_id, body=body)
    if submitted(EmptyForm()):
        terms.end_term(membership, actor=current_user)
        db.session.commit()
        flash(
            _(
                "The term of %(participant)s has ended: it is no longer a member of %(title)s.",
                participant=participant_name(membership.participant),
                title=localized_text(body, "title"),
            ),
            "success",
        )
    return _back(body)


@bp.post(f"/{SECTION}/co-chairs")
@login_required
def assign_co_chair(section: str, slug: str) -> Response:
    body = _body(section, slug)
    permissions.require(permissions.can_assign_co_chairs(current_user, body))
    form = CoChairForm(prefix="cochair")
    form.participant.choices = participant_choices(body_view(body).co_chair_candidates)
    if submitted(form):
        participant = get_participant(form.participant.data)
        co_chairs.assign_co_chair(body, participant, actor=current_user)
        db.session.commit()
        flash(
            _("%(participant)s now co-chairs.", participant=participant_name(participant)),
            "success",
        )
    return _back(body)


@bp.post(f"/{SECTION}/co-chairs/<code>/end")
@login_required
def end_co_chair(section: str, slug: str, code: str) -> Response:
    body = _body(section, slug)
    participant = get_participant(code)
    if submitted(EmptyForm()):
        co_chairs.end_co_chair(body, participant, actor=current_user)
        db.session.commit()
        flash(
            _("%(participant)s no longer co-chairs.", participant=participant_name(participant)),
            "success",
        )
    return _back(body)
