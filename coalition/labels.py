"""Translated labels for the domain's enumerations, used by forms and templates alike."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

# Named pgettext so that the catalog extractor (default keywords) reads its context.
from flask_babel import lazy_pgettext as pgettext

from coalition.bodies.models import JoinPolicy, MembershipRole, MembershipStatus
from coalition.groups.models import GroupStatus
from coalition.i18n import names_language
from coalition.initiatives.models import Axis, InitiativeStatus
from coalition.participants.models import OrganizationCategory, Participant, ParticipantKind
from coalition.representations.models import RepresentationRole, RepresentationStatus

_LABELS: list[tuple[StrEnum, object]] = [
    (ParticipantKind.STATE, _l("State")),
    (ParticipantKind.ORGANIZATION, _l("Organization")),
    (OrganizationCategory.INTERNATIONAL_ORGANIZATION, _l("International organization")),
    (OrganizationCategory.REGIONAL_INSTITUTION, _l("Regional institution")),
    (OrganizationCategory.CIVIL_SOCIETY, _l("Civil society")),
    (OrganizationCategory.PRIVATE_SECTOR, _l("Private sector")),
    (OrganizationCategory.OTHER, _l("Other")),
    (RepresentationRole.FOCAL_POINT, _l("focal point")),
    (RepresentationRole.DELEGATE, _l("delegate")),
    (RepresentationStatus.PENDING, _l("waiting for verification")),
    (RepresentationStatus.VERIFIED, _l("verified")),
    (RepresentationStatus.REJECTED, _l("rejected")),
    (RepresentationStatus.ENDED, _l("ended")),
    (Axis.INTERNATIONAL_LAW, _l("Protect, preserve and advance international law")),
    (Axis.GOVERNANCE_GAPS, _l("Lead where governance is absent or insufficient")),
    (Axis.INSTITUTIONAL_REFORM, _l("Reform and modernize international organizations")),
    (InitiativeStatus.PROPOSED, _l("proposed")),
    (InitiativeStatus.ACTIVE, _l("active")),
    (InitiativeStatus.CONCLUDED, _l("concluded")),
    # A working group's status, in words that agree with "group" where languages need it.
    (GroupStatus.ACTIVE, pgettext("working group", "active")),
    (GroupStatus.CLOSED, pgettext("working group", "closed")),
    (JoinPolicy.OPEN, _l("open: joining takes effect at once")),
    (JoinPolicy.APPROVAL, _l("on approval: the co-chairs decide")),
    (JoinPolicy.INVITATION, _l("by invitation only")),
    (MembershipRole.MEMBER, _l("member")),
    (MembershipRole.PARTNER, _l("partner")),
    (MembershipStatus.PENDING, _l("request pending")),
    (MembershipStatus.INVITED, _l("invited")),
    (MembershipStatus.ACTIVE, _l("active")),
    (MembershipStatus.DECLINED, _l("declined")),
    (MembershipStatus.CANCELLED, _l("cancelled")),
    (MembershipStatus.REVOKED, _l("invitation revoked")),
    (MembershipStatus.WITHDRAWN, _l("withdrawn")),
    (MembershipStatus.REMOVED, _l("removed")),
]

# Keyed by (enumeration, value): "active" is a status of initiatives and of memberships alike.
LABELS = {(type(member), member.value): text for member, text in _LABELS}


def label(value: StrEnum | None) -> str:
    if value is None:
        return ""
    found = LABELS.get((type(value), str(value)))
    return str(found) if found is not None else str(value)


def choices(enum_cls: type[StrEnum]) -> list[tuple[str, object]]:
    """(value, label) pairs for a SelectField; labels resolve in the current language."""
    return [(m.value, LABELS.get((enum_cls, m.value), m.value)) for m in enum_cls]


def participant_name(participant: Participant | None, language: str | None = None) -> str:
    """The one name of a participant in *language* (default: the reader's, see
    i18n.names_language): a state's UNTERM short name in that language, else its English
    one; an organization's own name."""
    if participant is None:
        return ""
    if participant.names:
        names = participant.names
        return names.get(language or names_language()) or names.get("en") or participant.name
    return participant.name
