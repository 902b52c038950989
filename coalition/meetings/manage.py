"""The meeting forms: schedule, change, agenda, cancel, close, guests, answers, documents,
and the account's calendar link. Thin: parse the form, call the service (which asks the
rules), commit, flash, redirect; a refused value goes back next to its field, with
everything typed kept."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coalition import i18n, permissions
from coalition.bodies.forms import participant_choices
from coalition.bodies.queries import current_co_chairs, get_body
from coalition.errors import DomainError, refuse
from coalition.extensions import db
from coalition.forms import EmptyForm, select_choices, show_domain_error, submitted
from coalition.meetings import (
    conflicts,
    form_support,
    invitations,
    labels,
    queries,
    rsvps,
    rules,
    series,
    services,
)
from coalition.meetings.forms import (
    AgendaForm,
    CancelForm,
    EditForm,
    GuestForm,
    MeetingForm,
    RsvpForm,
    ScheduleForm,
)
from coalition.meetings.models import Invitation, Meeting, Rsvp
from coalition.meetings.times import AmbiguousTime
from coalition.meetings.views import bp
from coalition.participants.models import Participant
from coalition.participants.services import get_participant

_MEETING_FIELDS = (
    "title",
    "description",
    "language",
    "title_translation",
    "description_translation",
    "timezone",
    "format",
    "venue",
    "online_url",
    "invitee_note",
    "visibility",
)


def load_meeting(meeting_id: int) -> Meeting:
    return queries.get_meeting(meeting_id, user=current_user)


def back_to_meeting(meeting: Meeting) -> Response:
    return redirect(url_for("meetings.detail", meeting_id=meeting.id), code=303)


def zone_suggestions(meeting: Meeting | None = None, body=None) -> list[str]:
    """The zones the form offers first: the meeting's, the co-chairs' capitals', the
    user's participant's and own, then UTC."""
    zones = [meeting.timezone] if meeting else []
    participant = permissions.acting_participant(current_user)
    if participant is not None:
        zones.append(participant.timezone)
    if current_user.timezone:
        zones.append(current_user.timezone)
    if body is not None:
        zones += [c.participant.timezone for c in current_co_chairs([body.id])[body.id]]
    zones.append("UTC")
    return list(dict.fromkeys(zones))


def _fold(value: Any) -> int | None:
    return int(value) if value in ("0", "1") else None


def _render_meeting_form(template: str, form: MeetingForm, status: int, **context: Any):
    return render_template(
        template,
        form=form,
        zones=i18n.timezone_choices(),
        planner_link=form_support.planner_link(form, context["body"], context["meeting"]),
        **context,
    ), status


def _ambiguous(form: MeetingForm, error: DomainError) -> None:
    """Ask which of the two wall-clock times is meant, labelled with their offsets."""
    if isinstance(error, AmbiguousTime):
        first, second = error.offsets
        field = form.start_fold if error.field == "start" else form.end_fold
        field.choices = select_choices(
            [
                ("0", _("The first, at UTC%(offset)s (before the clocks go back)", offset=first)),
                ("1", _("The second, at UTC%(offset)s (after the clocks go back)", offset=second)),
            ]
        )
        field.flags.ask = True


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    slug = request.values.get("body", "").strip()[:80]
    body = get_body(slug) if slug else None
    refuse(rules.schedule_refusal(current_user, body))
    form = ScheduleForm()
    form.weekdays.choices = select_choices(form_support.weekday_choices())
    if request.method == "GET":
        participant = permissions.acting_participant(current_user)
        form.timezone.data = current_user.timezone or (
            participant.timezone if participant else "UTC"
        )
        form_support.prefill(form)
    if form.validate_on_submit():
        try:
            meeting = services.schedule(
                body,
                actor=current_user,
                **{name: getattr(form, name).data for name in _MEETING_FIELDS},
                start=form.start.data,
                end=form.end.data,
                start_fold=_fold(form.start_fold.data),
                end_fold=_fold(form.end_fold.data),
                ask_fold=True,
                agenda=(form.agenda.data or "").splitlines(),
                record_past=bool(form.record_past.data) and permissions.is_staff(current_user),
                recurrence=form_support.rule_of_form(form),
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            _ambiguous(form, error)
        else:
            made = series.occurrences(meeting.series_id) if meeting.series_id else [meeting]
            overlaps = conflicts.of_meetings(made, viewer=current_user)
            db.session.commit()
            if meeting.series_id:
                flash(
                    ngettext(
                        "The series of %(num)d meeting is scheduled and the invitees are told.",
                        "The series of %(num)d meetings is scheduled and the invitees are told.",
                        len(made),
                    ),
                    "success",
                )
            else:
                flash(_("The meeting is scheduled and the invitees are told."), "success")
            form_support.flash_overlaps(overlaps)
            return back_to_meeting(meeting)
    return _render_meeting_form(
        "meetings/form.html",
        form,
        422 if request.method == "POST" else 200,
        body=body,
        meeting=None,
        suggestions=zone_suggestions(body=body),
        can_record_past=permissions.is_staff(current_user),
        overlaps=form_support.form_overlaps(form, body, None),
    )


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int) -> Any:
    meeting = load_meeting(meeting_id)
    refuse(rules.change_refusal(current_user, meeting))
    form = EditForm(obj=meeting)
    if request.method == "GET":
        form.start.data, form.end.data = meeting.local_start, meeting.local_end
        form_support.prefill(form)
    if form.validate_on_submit():
        change = services.change
        if meeting.series_id and form.scope.data == "following":
            change = series.change_following
        try:
            change(
                meeting,
                actor=current_user,
                **{name: getattr(form, name).data for name in _MEETING_FIELDS},
                start=form.start.data,
                end=form.end.data,
                start_fold=_fold(form.start_fold.data),
                end_fold=_fold(form.end_fold.data),
                ask_fold=True,
                record_past=permissions.is_staff(current_user),
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            _ambiguous(form, error)
        else:
            overlaps = conflicts.of_meetings([meeting], viewer=current_user)
            db.session.commit()
            flash(_("The meeting is changed."), "success")
            form_support.flash_overlaps(overlaps)
            return back_to_meeting(meeting)
    return _render_meeting_form(
        "meetings/form.html",
        form,
        422 if request.method == "POST" else 200,
        body=meeting.body,
        meeting=meeting,
        suggestions=zone_suggestions(meeting, meeting.body),
        can_record_past=False,
        overlaps=form_support.form_overlaps(form, meeting.body, meeting),
    )


def _agenda_edit(items: list[str], op: str, new_item: str) -> list[str]:
    """Apply one button of the agenda form (move up/down, remove, add) to the items."""
    action, _sep, index = op.partition("-")
    n = int(index) if index.isdigit() else -1
    if action == "up" and 0 < n < len(items):
        items[n - 1], items[n] = items[n], items[n - 1]
    elif action == "down" and 0 <= n < len(items) - 1:
        items[n + 1], items[n] = items[n], items[n + 1]
    elif action == "remove" and 0 <= n < len(items):
        del items[n]
    if new_item.strip():
        items.append(new_item)
    return items


@bp.route("/meetings/<int:meeting_id>/agenda", methods=["GET", "POST"])
@login_required
def agenda(meeting_id: int) -> Any:
    """Add, edit, remove and reorder items, one button at a time, without JavaScript:
    every button saves the whole list as shown, edits included."""
    meeting = load_meeting(meeting_id)
    refuse(rules.change_refusal(current_user, meeting))
    form = AgendaForm()
    if request.method == "GET":
        form = AgendaForm(data={"items": [item.title for item in meeting.agenda]})
    elif form.validate_on_submit():
        items = _agenda_edit(
            [entry.data or "" for entry in form.items.entries],
            request.form.get("op", "save"),
            form.new_item.data or "",
        )
        try:
            services.set_agenda(meeting, items, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            form = _keep(form, error)
        else:
            db.session.commit()
            flash(_("The agenda is saved."), "success")
            return redirect(url_for("meetings.agenda", meeting_id=meeting.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("meetings/agenda.html", form=form, meeting=meeting), status


def _keep(form: AgendaForm, error: DomainError) -> AgendaForm:
    """The agenda form as posted, with the refusal above it."""
    if error.field == "agenda" and not form.form_errors:
        form.form_errors.append(str(error.message))
    return form


@bp.post("/meetings/<int:meeting_id>/cancel")
@login_required
def cancel(meeting_id: int) -> Response:
    meeting = load_meeting(meeting_id)
    form = CancelForm()
    if submitted(form):
        cancel = services.cancel
        if meeting.series_id and form.scope.data == "following":
            cancel = series.cancel_following
        cancel(meeting, actor=current_user, reason=form.reason.data)
        db.session.commit()
        flash(_("The meeting is cancelled and the invitees are told."), "success")
    return back_to_meeting(meeting)


@bp.post("/meetings/<int:meeting_id>/held")
@login_required
def held(meeting_id: int) -> Response:
    meeting = load_meeting(meeting_id)
    if submitted(EmptyForm()):
        services.mark_held(meeting, actor=current_user)
        db.session.commit()
        flash(_("The meeting is marked as held."), "success")
    return back_to_meeting(meeting)


# -- guests ------------------------------------------------------------------------------------


def guest_form(meeting: Meeting, invited: list[Invitation] | None) -> GuestForm:
    """The form to invite a guest: every participant not invited yet (1 query)."""
    form = GuestForm(prefix="guest")
    taken = {i.participant_id for i in invited or []}
    candidates = [
        p
        for p in db.session.scalars(sa.select(Participant).order_by(Participant.name))
        if p.id not in taken
    ]
    form.participant.choices = participant_choices(candidates)
    return form


@bp.post("/meetings/<int:meeting_id>/guests")
@login_required
def add_guest(meeting_id: int) -> Response:
    meeting = load_meeting(meeting_id)
    refuse(rules.guests_refusal(current_user, meeting))
    form = guest_form(meeting, invitations.invitees(meeting))
    if submitted(form):
        participant = get_participant(form.participant.data)
        invitations.add_guest(meeting, participant, actor=current_user)
        db.session.commit()
        flash(_("The participant is invited as a guest."), "success")
    return back_to_meeting(meeting)


@bp.post("/meetings/<int:meeting_id>/guests/<code>/remove")
@login_required
def remove_guest(meeting_id: int, code: str) -> Response:
    meeting = load_meeting(meeting_id)
    if submitted(EmptyForm()):
        invitations.remove_guest(meeting, get_participant(code), actor=current_user)
        db.session.commit()
        flash(_("The guest's invitation is withdrawn."), "success")
    return back_to_meeting(meeting)


# -- answers -----------------------------------------------------------------------------------


def rsvp_form(answer: Rsvp | None, formdata: Any = None) -> RsvpForm:
    form = RsvpForm(prefix="rsvp", formdata=formdata)
    form.level.choices = select_choices([("", _("Not given")), *labels.levels()])
    if formdata is None and answer is not None:
        form.response.data = answer.response.value
        form.head.data = answer.head
        form.level.data = answer.level.value if answer.level else ""
        form.delegates.data = "\n".join(answer.delegates or [])
    return form


@bp.post("/meetings/<int:meeting_id>/rsvp")
@login_required
def rsvp(meeting_id: int) -> Response:
    meeting = load_meeting(meeting_id)
    form = rsvp_form(None, formdata=request.form)
    if submitted(form):
        rsvps.answer(
            meeting,
            actor=current_user,
            response=form.response.data,
            head=form.head.data,
            level=form.level.data or None,
            delegates=form.delegates.data,
        )
        db.session.commit()
        flash(_("Your delegation's answer is recorded."), "success")
    return back_to_meeting(meeting)
