"""Minutes and outcome documents of a meeting: each in one or more languages side by
side (English, French), each language version with its own title, status (draft or
final) and Markdown text, sanitized when shown. Drafts are for invitees, co-chairs and
staff; final versions are as public as the meeting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import selectinload

from coalition import limits, permissions
from coalition.audit.services import record
from coalition.db import flush_or, utcnow
from coalition.errors import Conflict, NotFound, refuse
from coalition.extensions import db
from coalition.meetings import rules
from coalition.meetings.models import (
    Document,
    DocumentKind,
    DocumentLanguage,
    DocumentStatus,
    DocumentVersion,
    Meeting,
)
from coalition.meetings.values import parse_choice
from coalition.text import clean_line, clean_text

if TYPE_CHECKING:
    from coalition.accounts.models import User


def _clean(title: Any, status: Any, content: Any) -> dict[str, Any]:
    return {
        "title": clean_line(title, "title", required=True, max_length=limits.TITLE_MAX),
        "status": parse_choice(DocumentStatus, status, "status"),
        "content": clean_text(content, "content", max_length=limits.DOCUMENT_MAX),
    }


def add_document(
    meeting: Meeting,
    *,
    actor: User,
    kind: Any,
    language: Any,
    title: Any,
    status: Any,
    content: Any,
) -> DocumentVersion:
    """A new document (minutes or outcome) with its first language version."""
    refuse(rules.documents_refusal(actor, meeting))
    kind = parse_choice(DocumentKind, kind, "kind")
    language = parse_choice(DocumentLanguage, language, "language")
    values = _clean(title, status, content)
    position = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(Document.position), 0)).where(
            Document.meeting_id == meeting.id
        )
    )
    document = Document(meeting_id=meeting.id, kind=kind, position=position + 1)
    db.session.add(document)
    db.session.flush()
    version = DocumentVersion(
        document_id=document.id, language=language, updated_by_id=actor.id, **values
    )
    db.session.add(version)
    db.session.flush()
    _record("meeting.document_add", meeting, actor, document, version)
    return version


def save_version(
    meeting: Meeting,
    document_id: int,
    language: Any,
    *,
    actor: User,
    title: Any,
    status: Any,
    content: Any,
) -> DocumentVersion:
    """Write the document's version in *language* (a new translation or a revision)."""
    refuse(rules.documents_refusal(actor, meeting))
    document = get_document(meeting, document_id)
    language = parse_choice(DocumentLanguage, language, "language")
    values = _clean(title, status, content)
    version = next((v for v in document.versions if v.language is language), None)
    if version is None:
        version = DocumentVersion(document_id=document.id, language=language)
        db.session.add(version)
    for name, value in values.items():
        setattr(version, name, value)
    version.updated_at = utcnow()
    version.updated_by_id = actor.id
    flush_or(Conflict(_("This language version was written meanwhile; reload the page.")))
    _record("meeting.document_save", meeting, actor, document, version)
    return version


def _record(
    action: str, meeting: Meeting, actor: User, document: Document, version: DocumentVersion
) -> None:
    record(
        action,
        object_type="meeting",
        object_id=meeting.id,
        object_label=meeting.title,
        actor=actor,
        participant=permissions.acting_participant(actor),
        body=meeting.body,
        after={
            "document": document.id,
            "kind": document.kind.value,
            "language": version.language.value,
            "status": version.status.value,
            "title": version.title,
        },
    )


def get_document(meeting: Meeting, document_id: int) -> Document:
    document = db.session.scalar(
        sa.select(Document)
        .where(Document.id == document_id, Document.meeting_id == meeting.id)
        .options(selectinload(Document.versions))
    )
    if document is None:
        raise NotFound(_("There is no such document."))
    return document


@dataclass
class ShownDocument:
    """A document with the versions this reader may see (the rows themselves untouched)."""

    id: int
    kind: DocumentKind
    versions: list[DocumentVersion]


def documents_of(meeting: Meeting, *, drafts: bool) -> list[ShownDocument]:
    """The meeting's documents in order with their versions (2 queries); without
    *drafts*, only final versions, and only documents that have one."""
    documents = db.session.scalars(
        sa.select(Document)
        .where(Document.meeting_id == meeting.id)
        .options(selectinload(Document.versions))
        .order_by(Document.position, Document.id)
    )
    shown = []
    for document in documents:
        versions = [v for v in document.versions if drafts or v.status is DocumentStatus.FINAL]
        if versions:
            shown.append(ShownDocument(document.id, document.kind, versions))
    return shown
