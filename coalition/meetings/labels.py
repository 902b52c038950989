"""Translated labels of the meetings' enumerations; the `label` template filter knows
them too."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coalition import labels as shared
from coalition.meetings.models import (
    DelegationLevel,
    DocumentKind,
    DocumentLanguage,
    DocumentStatus,
    MeetingFormat,
    MeetingStatus,
    RsvpResponse,
    Visibility,
)

_LABELS = [
    (MeetingFormat.IN_PERSON, _l("in person")),
    (MeetingFormat.VIRTUAL, _l("virtual")),
    (MeetingFormat.HYBRID, _l("hybrid (in person and online)")),
    (MeetingStatus.SCHEDULED, _l("scheduled")),
    (MeetingStatus.CANCELLED, _l("cancelled")),
    (MeetingStatus.HELD, _l("held")),
    (Visibility.PUBLIC, _l("public: everyone sees it")),
    (Visibility.MEMBERS, _l("members only: invitees and the Secretariat")),
    (RsvpResponse.ATTENDING, _l("attending")),
    (RsvpResponse.TENTATIVE, _l("tentative")),
    (RsvpResponse.DECLINED, _l("declined")),
    (DelegationLevel.HEAD_OF_STATE, _l("head of state or government")),
    (DelegationLevel.MINISTER, _l("minister")),
    (DelegationLevel.VICE_MINISTER, _l("vice-minister")),
    (DelegationLevel.AMBASSADOR, _l("ambassador")),
    (DelegationLevel.SENIOR_OFFICIAL, _l("senior official")),
    (DelegationLevel.EXPERT, _l("expert")),
    (DocumentKind.MINUTES, _l("minutes")),
    (DocumentKind.OUTCOME, _l("outcome document")),
    (DocumentStatus.DRAFT, _l("draft")),
    (DocumentStatus.FINAL, _l("final")),
    (DocumentLanguage.EN, _l("English")),
    (DocumentLanguage.FR, _l("French")),
]
shared.LABELS.update({(type(member), member.value): text for member, text in _LABELS})


def formats():
    return shared.choices(MeetingFormat)


def visibilities():
    return shared.choices(Visibility)


def responses():
    return shared.choices(RsvpResponse)


def levels():
    return shared.choices(DelegationLevel)


def document_kinds():
    return shared.choices(DocumentKind)


def document_languages():
    return shared.choices(DocumentLanguage)


def document_statuses():
    return shared.choices(DocumentStatus)
