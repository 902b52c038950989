"""Who may create, edit, close a working group or change its membership in bulk now, and
why not (see coalition.bodies.rules for the shape: None when allowed, else a Refusal).
Single additions, removals, terms and co-chairs are the bodies' rules, which ask the
group's policies (coalition.groups.models)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _

from coalition import permissions
from coalition.errors import Conflict, Refusal
from coalition.labels import participant_name

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.groups.models import WorkingGroup
    from coalition.initiatives.models import Initiative
    from coalition.participants.models import Participant


def not_initiative_member(participant: Participant, initiative: Initiative | None) -> Refusal:
    return Refusal(
        _(
            "%(participant)s is not an active member of %(initiative)s: a working group of "
            "an initiative takes only the initiative's members.",
            participant=participant_name(participant),
            initiative=initiative.title if initiative else "",
        ),
        Conflict,
    )


def create_refusal(user: User | None) -> Refusal | None:
    if not permissions.can_manage_groups(user):
        return Refusal(_("Only the Secretariat creates working groups."))
    return None


def edit_refusal(user: User | None, group: WorkingGroup) -> Refusal | None:
    if not permissions.can_manage_body(user, group):
        return Refusal(_("Only the group's co-chairs and the Secretariat can edit it."))
    return None


def close_refusal(user: User | None, group: WorkingGroup) -> Refusal | None:
    if not permissions.can_manage_groups(user):
        return Refusal(_("Only the Secretariat closes working groups."))
    if group.is_closed:
        return Refusal(_("This working group is already closed."), Conflict)
    return None


def bulk_refusal(user: User | None, group: WorkingGroup) -> Refusal | None:
    """Bulk changes: whoever adds and removes the group's members one by one."""
    if not permissions.can_add_members(user, group):
        return Refusal(_("Only the group's co-chairs and the Secretariat change its members."))
    return None
