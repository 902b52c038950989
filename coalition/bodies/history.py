"""A body's public membership history: who joined, left, co-chaired, from the audit log's
public events, never naming a person — only participants: the member, and the participant
whose delegate acted (a co-chair's state approving a request, say)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy.orm import joinedload

from coalition import permissions
from coalition.audit.models import AuditEvent
from coalition.bodies.models import Body, CoChair, Membership
from coalition.extensions import db
from coalition.labels import participant_name
from coalition.pagination import Page, paginate
from coalition.participants.models import Participant

if TYPE_CHECKING:
    from coalition.accounts.models import User


@dataclass
class HistoryEntry:
    event: AuditEvent
    #: The participant the event is about (the member, not the person who acted).
    participant: Participant | None
    #: The reason given for a declined request, a withdrawal or a removal.
    reason: str | None = None
    #: The participant whose delegate acted, when another than the member (a co-chair's
    #: state deciding a request): the event's `acted_for`.
    acting: Participant | None = None
    #: Whether *acting* co-chaired the body when the event occurred.
    acting_as_co_chair: bool = False


_REASONED_ACTIONS = (
    "membership.decline",
    "membership.withdraw",
    "membership.remove",
    "membership.leave_with_initiative",
    "membership.term_end",
)


def history_page(
    body: Body, page: int, per_page: int, *, viewer: User | None = None
) -> tuple[Page, list[HistoryEntry]]:
    """The body's public membership history, newest first (at most 5 queries).

    Services record the member as the event's participant; the acting person is never
    shown. Reasons are read from the memberships declined or removed on this page: a
    removal's for everyone, a decline's only for those *viewer* may read it as
    (permissions.can_read_membership_reason). Whom the actor spoke for is read from the
    events' `acted_for`, with whether that participant co-chaired the body then (two
    queries for the whole page, when any event has one).
    """
    stmt = (
        sa.select(AuditEvent)
        .where(AuditEvent.body_id == body.id, AuditEvent.is_public.is_(True))
        .options(joinedload(AuditEvent.participant))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )
    result = paginate(stmt, page, per_page)
    reasoned_ids = [
        e.object_id
        for e in result.items
        if e.action in _REASONED_ACTIONS and e.object_type == "membership" and e.object_id
    ]
    reasons: dict[int, str | None] = {}
    if reasoned_ids:
        # Their participants and body are those of the events, already loaded.
        reasons = {
            m.id: m.reason
            for m in db.session.scalars(
                sa.select(Membership).where(Membership.id.in_(reasoned_ids))
            )
            if permissions.can_read_membership_reason(viewer, m)
        }
    acting, chaired = _acting_participants(body, result.items)
    entries = []
    for event in result.items:
        participant = acting.get(_acted_for(event) or "")
        entries.append(
            HistoryEntry(
                event=event,
                participant=event.participant,
                reason=reasons.get(event.object_id) if event.action in _REASONED_ACTIONS else None,
                acting=participant,
                acting_as_co_chair=participant is not None
                and any(
                    start <= event.occurred_at and (end is None or event.occurred_at <= end)
                    for start, end in chaired.get(participant.id, [])
                ),
            )
        )
    return result, entries


def _acted_for(event: AuditEvent) -> str | None:
    code = (event.after or {}).get("acted_for")
    return code if isinstance(code, str) and code else None


def _acting_participants(
    body: Body, events: list[AuditEvent]
) -> tuple[dict[str, Participant], dict[int, list[tuple]]]:
    """The participants the events' actors spoke for, by code, and their co-chair periods
    in *body*, by participant id (2 queries, none when no event names one)."""
    codes = {code for event in events if (code := _acted_for(event))}
    if not codes:
        return {}, {}
    found = {
        p.code: p
        for p in db.session.scalars(sa.select(Participant).where(Participant.code.in_(codes)))
    }
    periods: dict[int, list[tuple]] = {}
    if found:
        for participant_id, start, end in db.session.execute(
            sa.select(CoChair.participant_id, CoChair.started_at, CoChair.ended_at).where(
                CoChair.body_id == body.id,
                CoChair.participant_id.in_([p.id for p in found.values()]),
            )
        ):
            periods.setdefault(participant_id, []).append((start, end))
    return found, periods


def participant_link(participant: Participant) -> Markup:
    """The participant's name, linked to its page."""
    return Markup('<a href="{}">{}</a>').format(
        url_for("participants.detail", code=participant.code), participant_name(participant)
    )


def _fill(translated: str, **values: str | Markup) -> Markup:
    """A translated sentence with its placeholders filled: text escaped, links kept."""
    return escape(translated) % values


def _acted_sentence(entry: HistoryEntry, who: str) -> Markup | None:
    """The sentence naming whom the actor spoke for, for the acts a co-chair (or staff
    speaking for a participant) does on another participant's membership."""
    assert entry.acting is not None
    if entry.acting_as_co_chair:
        acting = _fill(_("%(participant)s as co-chair"), participant=participant_link(entry.acting))
    else:
        acting = participant_link(entry.acting)
    sentences = {
        "membership.add": lambda: _("%(participant)s was added as a member by %(acting)s."),
        "membership.approve": lambda: _(
            "The request of %(participant)s was approved by %(acting)s: it joined."
        ),
        "membership.decline": lambda: _(
            "The request of %(participant)s was declined by %(acting)s."
        ),
        "membership.invite": lambda: _("%(participant)s was invited by %(acting)s."),
        "membership.revoke": lambda: _(
            "The invitation of %(participant)s was revoked by %(acting)s."
        ),
        "membership.remove": lambda: _("%(participant)s was removed by %(acting)s."),
        "membership.term": lambda: _("The term of %(participant)s was renewed by %(acting)s."),
    }
    make = sentences.get(entry.event.action)
    if make is None:
        return None
    return _fill(make(), participant=who, acting=acting)


def history_sentence(entry: HistoryEntry) -> str | Markup:
    """What happened, as one translated sentence naming the participant (never a person),
    and whom the actor spoke for, linked to its page, when another participant acted."""
    who = participant_name(entry.participant) if entry.participant else _("A participant")
    if entry.acting is not None:
        acted = _acted_sentence(entry, who)
        if acted is not None:
            return acted
    sentences = {
        "membership.join": lambda: _("%(participant)s joined.", participant=who),
        "membership.add": lambda: _("%(participant)s was added as a member.", participant=who),
        "membership.request": lambda: _("%(participant)s asked to join.", participant=who),
        "membership.approve": lambda: _(
            "The request of %(participant)s was approved: it joined.", participant=who
        ),
        "membership.decline": lambda: _(
            "The request of %(participant)s was declined.", participant=who
        ),
        "membership.cancel": lambda: _("%(participant)s cancelled its request.", participant=who),
        "membership.invite": lambda: _("%(participant)s was invited.", participant=who),
        "membership.accept": lambda: _(
            "%(participant)s accepted the invitation and joined.", participant=who
        ),
        "membership.decline_invitation": lambda: _(
            "%(participant)s declined the invitation.", participant=who
        ),
        "membership.revoke": lambda: _(
            "The invitation of %(participant)s was revoked.", participant=who
        ),
        "membership.withdraw": lambda: _("%(participant)s withdrew.", participant=who),
        "membership.remove": lambda: _("%(participant)s was removed.", participant=who),
        "membership.leave_with_initiative": lambda: _(
            "%(participant)s left the group as it left the initiative.", participant=who
        ),
        "membership.term": lambda: _("The term of %(participant)s was renewed.", participant=who),
        "membership.term_end": lambda: _("The term of %(participant)s ended.", participant=who),
        "co_chair.assign": lambda: _("%(participant)s became a co-chair.", participant=who),
        "co_chair.end": lambda: _("%(participant)s stopped co-chairing.", participant=who),
        "initiative.propose": lambda: _(
            "%(participant)s proposed the initiative.", participant=who
        ),
        "initiative.activate": lambda: _("The initiative was activated."),
        "initiative.conclude": lambda: _("The initiative was concluded."),
        "initiative.refuse": lambda: _(
            "The Secretariat refused the proposal: %(reason)s",
            reason=(entry.event.after or {}).get("reason", ""),
        ),
        "initiative.edit": lambda: _("The initiative's page was edited."),
        "group.create": lambda: _("The working group was created."),
        "group.edit": lambda: _("The working group's page was edited."),
        "group.close": lambda: _("The working group was closed."),
    }
    make = sentences.get(entry.event.action)
    if make is None:
        sentence = _("%(participant)s: %(action)s", participant=who, action=entry.event.action)
    else:
        sentence = make()
    if entry.acting is not None:
        # Any other act on another participant's membership still names who acted.
        return _fill(
            _("%(what)s (by %(acting)s)"), what=sentence, acting=participant_link(entry.acting)
        )
    return sentence
