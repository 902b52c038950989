"""Answers to a meeting, one per invited participant (not per person): attending (with
the head of delegation, its level and the other delegates), tentative or declined;
changeable until the meeting starts, each answer recorded with who gave it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.exc import IntegrityError

from coalition import limits, permissions
from coalition.audit.services import record
from coalition.db import utcnow
from coalition.errors import InvalidValue, refuse
from coalition.extensions import db
from coalition.meetings import invitations, regions, rules
from coalition.meetings.models import DelegationLevel, Meeting, Rsvp, RsvpResponse
from coalition.meetings.values import parse_choice
from coalition.participants.models import Participant
from coalition.text import clean_line

if TYPE_CHECKING:
    from coalition.accounts.models import User

LEVEL_RANK = {level: n for n, level in enumerate(DelegationLevel)}


def clean_delegates(names: Any) -> list[str]:
    if names is None:
        return []
    if isinstance(names, str):
        names = names.splitlines()
    if not isinstance(names, list | tuple):
        raise InvalidValue(_("Give the delegates as a list of names."), field="delegates")
    cleaned = [clean_line(n, "delegates", max_length=limits.NAME_MAX) for n in names]
    cleaned = [n for n in cleaned if n]
    if len(cleaned) > limits.DELEGATES_MAX:
        raise InvalidValue(
            _("At most %(n)d other delegates.", n=limits.DELEGATES_MAX), field="delegates"
        )
    return cleaned


def answer(
    meeting: Meeting,
    *,
    actor: User,
    response: Any,
    head: Any = "",
    level: Any = None,
    delegates: Any = None,
) -> Rsvp:
    """The actor's participant answers (or changes its answer)."""
    refuse(rules.rsvp_refusal(actor, meeting))
    participant = permissions.require_acting_participant(actor)
    values: dict[str, Any] = {
        "response": parse_choice(RsvpResponse, response, "response"),
        "head": "",
        "level": None,
        "delegates": [],
    }
    if values["response"] is RsvpResponse.ATTENDING:
        values["head"] = clean_line(head, "head", max_length=limits.NAME_MAX)
        values["level"] = parse_choice(DelegationLevel, level, "level") if level else None
        values["delegates"] = clean_delegates(delegates)
    values.update(answered_at=utcnow(), answered_by_id=actor.id)
    existing = _current(meeting, participant)
    before = _summary(existing) if existing else None
    if existing is None:
        try:
            with db.session.begin_nested():
                existing = Rsvp(meeting_id=meeting.id, participant_id=participant.id, **values)
                db.session.add(existing)
                db.session.flush()
        except IntegrityError:  # another delegate of the same participant answered first
            existing = _current(meeting, participant)
            before = _summary(existing)
    for name, value in values.items():
        setattr(existing, name, value)
    db.session.flush()
    record(
        "meeting.rsvp",
        object_type="meeting",
        object_id=meeting.id,
        object_label=meeting.title,
        actor=actor,
        participant=participant,
        body=meeting.body,
        before=before,
        after=_summary(existing),
    )
    return existing


def _current(meeting: Meeting, participant: Participant) -> Rsvp | None:
    return db.session.scalar(
        sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.participant_id == participant.id)
    )


def _summary(rsvp: Rsvp) -> dict[str, Any]:
    return {
        "response": rsvp.response.value,
        "level": rsvp.level.value if rsvp.level else None,
        "head": rsvp.head,
        "delegates": "; ".join(rsvp.delegates or []),
    }


def own_answer(meeting: Meeting, user: User | None) -> Rsvp | None:
    return _current(meeting, p) if (p := permissions.acting_participant(user)) else None


# -- what co-chairs and staff read ----------------------------------------------------------


@dataclass
class Answers:
    rows: list[Rsvp]
    unanswered: list[Participant]
    counts: Counter
    by_level: list[tuple[DelegationLevel | None, int]]
    by_region: list[tuple[str, int, int, int]]

    @property
    def attending(self) -> list[Rsvp]:
        return [r for r in self.rows if r.response is RsvpResponse.ATTENDING]


def answers(meeting: Meeting) -> Answers:
    """Every answer with its participant and answerer, those invited who have not
    answered, counts by response, attending delegations by level and by region
    (2 queries)."""
    rows = list(
        db.session.scalars(
            sa.select(Rsvp)
            .where(Rsvp.meeting_id == meeting.id)
            .options(sa.orm.joinedload(Rsvp.participant), sa.orm.joinedload(Rsvp.answered_by))
        )
    )
    answered = {r.participant_id for r in rows}
    unanswered = [
        i.participant for i in invitations.invitees(meeting) if i.participant_id not in answered
    ]
    rows.sort(
        key=lambda r: (
            list(RsvpResponse).index(r.response),
            LEVEL_RANK.get(r.level, len(LEVEL_RANK)),
            r.participant.name,
        )
    )
    counts = Counter(r.response for r in rows)
    levels = Counter(r.level for r in rows if r.response is RsvpResponse.ATTENDING)
    by_level = [(level, levels[level]) for level in [*DelegationLevel, None] if levels[level]]
    per_region: dict[str, Counter] = {}
    for r in rows:
        per_region.setdefault(regions.region_code(r.participant), Counter())[r.response] += 1
    by_region = [
        (
            code,
            per_region[code][RsvpResponse.ATTENDING],
            per_region[code][RsvpResponse.TENTATIVE],
            per_region[code][RsvpResponse.DECLINED],
        )
        for code in regions.ORDER
        if code in per_region
    ]
    return Answers(rows, unanswered, counts, by_level, by_region)


CSV_COLUMNS = [
    "code",
    "participant",
    "region",
    "response",
    "level",
    "head_of_delegation",
    "delegates",
    "answered_at",
    "answered_by",
]


def csv_rows(result: Answers) -> list[dict[str, Any]]:
    """The list of participants a secretariat prints for the room (attending first)."""
    from coalition.labels import participant_name

    return [
        {
            "code": r.participant.code,
            "participant": participant_name(r.participant),
            "region": regions.region_name(regions.region_code(r.participant)),
            "response": r.response.value,
            "level": r.level.value if r.level else "",
            "head_of_delegation": r.head,
            "delegates": "; ".join(r.delegates or []),
            "answered_at": r.answered_at,
            "answered_by": r.answered_by.name,
        }
        for r in result.rows
    ]
