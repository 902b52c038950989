"""A body's public membership history: who joined, left, co-chaired, from the audit log's
public events, never naming a person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from coalition import permissions
from coalition.audit.models import AuditEvent
from coalition.bodies.models import Body, Membership
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
    #: The co-chairs' or staff's reason, for a declined request or a removal.
    reason: str | None = None


_REASONED_ACTIONS = (
    "membership.decline",
    "membership.remove",
    "membership.leave_with_initiative",
    "membership.term_end",
)


def history_page(
    body: Body, page: int, per_page: int, *, viewer: User | None = None
) -> tuple[Page, list[HistoryEntry]]:
    """The body's public membership history, newest first (at most 3 queries).

    Services record the member as the event's participant; the acting person is never
    shown. Reasons are read from the memberships declined or removed on this page: a
    removal's for everyone, a decline's only for those *viewer* may read it as
    (permissions.can_read_membership_reason).
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
    entries = [
        HistoryEntry(
            event=event,
            participant=event.participant,
            reason=reasons.get(event.object_id) if event.action in _REASONED_ACTIONS else None,
        )
        for event in result.items
    ]
    return result, entries


def history_sentence(entry: HistoryEntry) -> str:
    """What happened, as one translated sentence naming the participant (never a person)."""
    who = participant_name(entry.participant) if entry.participant else _("A participant")
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
        return _("%(participant)s: %(action)s", participant=who, action=entry.event.action)
    return make()
