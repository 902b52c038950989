"""The lifecycle of working groups — creating, editing, closing — and invariant 4: when a
participant leaves an initiative, its memberships in the initiative's groups end with
it. Memberships themselves go through the bodies' membership machine; bulk changes are
coalition.groups.bulk's.

Every write takes the acting user as `actor`, asks the rules, records a public audit
event, and never commits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import joinedload, selectinload

from coalition import limits, permissions
from coalition.audit.services import record
from coalition.bilingual import translation_cleaners
from coalition.bodies.editing import (
    apply_changes,
    choose_slug,
    clean_seat_limit,
    short,
    slug_taken_error,
)
from coalition.bodies.memberships import close_as_consequence, lock_body
from coalition.bodies.models import (
    OPEN_MEMBERSHIP_STATUSES,
    JoinPolicy,
    Membership,
    MembershipStatus,
)
from coalition.db import flush_or, utcnow
from coalition.errors import Conflict, InvalidValue, refuse
from coalition.extensions import db
from coalition.groups import rules
from coalition.groups.models import GroupStatus, WorkingGroup
from coalition.initiatives.models import Initiative, InitiativeStatus
from coalition.text import clean_line, clean_text

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.participants.models import Participant

#: Fixed path segments under /groups/ that no group may take as its slug.
RESERVED_SLUGS = frozenset({"new", "edit", "history", "bulk", "members"})

EDITABLE_FIELDS = (
    "title",
    "summary",
    "mandate",
    "seat_limit",
    "language",
    "title_translation",
    "summary_translation",
    "mandate_translation",
)
#: The form's and the API's names of the columns the model calls otherwise.
_COLUMNS = {"mandate": "description", "mandate_translation": "description_translation"}

_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "title": lambda v: clean_line(v, "title", required=True, max_length=limits.TITLE_MAX),
    "summary": lambda v: clean_text(v, "summary", max_length=limits.SUMMARY_MAX),
    "mandate": lambda v: clean_text(v, "mandate", max_length=limits.TEXT_MAX),
    "seat_limit": clean_seat_limit,
    **translation_cleaners(),
    "mandate_translation": lambda v: clean_text(
        v, "mandate_translation", max_length=limits.TEXT_MAX
    ),
}


def parse_group_status(value: Any, *, field: str = "status") -> GroupStatus:
    try:
        return GroupStatus(value)
    except ValueError:
        choices = ", ".join(s.value for s in GroupStatus)
        raise InvalidValue(
            _("Choose a status: %(choices)s.", choices=choices), field=field
        ) from None


def _initiative_for(value: Initiative | str | None) -> Initiative | None:
    """The initiative a new group belongs to, by slug; None: the Alliance itself."""
    if value is None or value == "":
        return None
    if isinstance(value, Initiative):
        return value
    initiative = db.session.scalar(sa.select(Initiative).where(Initiative.slug == str(value)))
    if initiative is None:
        raise InvalidValue(_("There is no initiative at this address."), field="initiative")
    return initiative


def create_group(
    *,
    actor: User,
    title: str,
    initiative: Initiative | str | None = None,
    slug: str | None = None,
    summary: str = "",
    mandate: str = "",
    seat_limit: Any = None,
    language: str = "en",
    title_translation: str = "",
    summary_translation: str = "",
    mandate_translation: str = "",
) -> WorkingGroup:
    """Staff create a working group of *initiative* (a slug), or of the Alliance. Title,
    summary and mandate are in *language*; the *_translation texts, optional, in the other."""
    refuse(rules.create_refusal(actor))
    parent = _initiative_for(initiative)
    if parent is not None and parent.status is InitiativeStatus.CONCLUDED:
        raise Conflict(
            _("This initiative has concluded: it takes no new working group."), field="initiative"
        )
    values = {
        "title": _CLEANERS["title"](title),
        "summary": _CLEANERS["summary"](summary),
        "description": _CLEANERS["mandate"](mandate),
        "seat_limit": clean_seat_limit(seat_limit),
        "language": _CLEANERS["language"](language),
        "title_translation": _CLEANERS["title_translation"](title_translation),
        "summary_translation": _CLEANERS["summary_translation"](summary_translation),
        "description_translation": _CLEANERS["mandate_translation"](mandate_translation),
    }
    group = WorkingGroup(
        slug=choose_slug(values["title"], slug, reserved=RESERVED_SLUGS, fallback="group"),
        initiative_id=parent.id if parent else None,
        status=GroupStatus.ACTIVE,
        # Nobody joins a group; its members are added (Body.direct_membership_only).
        join_policy=JoinPolicy.INVITATION,
        active_count=0,
        **values,
    )
    db.session.add(group)
    flush_or(slug_taken_error())
    group.initiative = parent
    _record(
        "group.create",
        group,
        actor,
        after={"status": group.status.value, "initiative": parent.slug if parent else None},
    )
    return group


def edit_group(group: WorkingGroup, *, actor: User, **fields: Any) -> WorkingGroup:
    """Change the title, summary, mandate or seat limit (staff, the group's co-chairs).
    Raising the seat limit opens seats; lowering it below the members is refused."""
    refuse(rules.edit_refusal(actor, group))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidValue(_("This cannot be changed here."), field=sorted(unknown)[0])
    cleaned = {_COLUMNS.get(name, name): _CLEANERS[name](value) for name, value in fields.items()}
    if "seat_limit" in cleaned:
        # The seat count is compared under the group's lock: an addition racing this
        # change lands wholly before it (and is counted) or after it (and is refused).
        lock_body(group)
    before, after = apply_changes(group, cleaned)
    if after:
        _record("group.edit", group, actor, before=short(before), after=short(after))
    return group


def close_group(group: WorkingGroup, *, actor: User) -> WorkingGroup:
    """Staff close a group: it takes no new members; its record and members' history stay."""
    refuse(rules.close_refusal(actor, group))
    lock_body(group)
    refuse(rules.close_refusal(actor, group))
    group.status = GroupStatus.CLOSED
    group.closed_at = utcnow()
    db.session.flush()
    _record("group.close", group, actor, before={"status": "active"})
    return group


# -- invariant 4 ----------------------------------------------------------------------------


def open_group_memberships(initiative: Initiative, participant: Participant) -> list[Membership]:
    """The participant's open memberships of the initiative's working groups, with their
    groups, in id order of the groups (1 query)."""
    return list(
        db.session.scalars(
            sa.select(Membership)
            .join(WorkingGroup, WorkingGroup.id == Membership.body_id)
            .where(
                WorkingGroup.initiative_id == initiative.id,
                Membership.participant_id == participant.id,
                Membership.status.in_(OPEN_MEMBERSHIP_STATUSES),
            )
            .options(joinedload(Membership.body), joinedload(Membership.participant))
            .order_by(Membership.body_id)
        )
    )


def leave_groups_with_initiative(
    initiative: Initiative, membership: Membership, *, actor: User | None
) -> list[Membership]:
    """The participant of *membership* (just withdrawn from or removed from *initiative*,
    or whose term there ended) leaves the initiative's groups in the same transaction:
    each open group membership closes (withdrawn or removed like the initiative's, its
    co-chair role ending with it), recorded with the reason; its delegates are told.
    Groups are locked one after the other in id order, after the initiative (which the
    caller locked), as additions lock them: never a deadlock."""
    participant = membership.participant
    rows = open_group_memberships(initiative, participant)
    if membership.status is MembershipStatus.WITHDRAWN:
        left_as = MembershipStatus.WITHDRAWN
        reason = f"{participant.name} withdrew from the initiative {initiative.title}."
    else:
        left_as = MembershipStatus.REMOVED
        reason = f"{participant.name} left the initiative {initiative.title}: {membership.reason}"
    for row in rows:
        close_as_consequence(
            row,
            actor=actor,
            action="membership.leave_with_initiative",
            reason=reason[: limits.NOTE_MAX],
            notice="membership.left_with_initiative",
            left_as=left_as,
            initiative=initiative.title,
        )
    return rows


# -- reading --------------------------------------------------------------------------------


def groups_query(
    *, initiative: str | None = None, alliance: bool = False, status: Any = None
) -> sa.Select[tuple[WorkingGroup]]:
    """Groups, active first then by title: of one initiative (its slug), of the Alliance
    only (*alliance*), or all; optionally of one status. Their initiatives come along, in
    a second query for the page's groups only: joined, they made SQLite read every
    initiative of the Alliance for each page (an outer join to a joined inheritance)."""
    stmt = sa.select(WorkingGroup).options(selectinload(WorkingGroup.initiative))
    if alliance:
        stmt = stmt.where(WorkingGroup.initiative_id.is_(None))
    elif initiative:
        parent = sa.orm.aliased(Initiative)  # its own tables: not correlated with `bodies`
        parent_ids = sa.select(parent.id).where(parent.slug == initiative)
        stmt = stmt.where(WorkingGroup.initiative_id.in_(parent_ids))
    if status:
        stmt = stmt.where(WorkingGroup.status == parse_group_status(status))
    closed_last = sa.case((WorkingGroup.status == GroupStatus.ACTIVE, 0), else_=1)
    return stmt.order_by(closed_last, WorkingGroup.title, WorkingGroup.id)


def _record(
    action: str,
    group: WorkingGroup,
    actor: User,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    record(
        action,
        object_type="group",
        object_id=group.id,
        object_label=group.title,
        actor=actor,
        participant=permissions.acting_participant(actor),
        body=group,
        before=before,
        after=after if after is not None else {"status": group.status.value},
        public=True,
    )
