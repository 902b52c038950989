"""Telling people what happened: a row in the app and an e-mail, in their language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import force_locale, gettext

from coalition import mail
from coalition.db import utcnow
from coalition.extensions import db
from coalition.notifications import messages
from coalition.notifications.models import Notification

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.participants.models import Participant


def notify_users(
    users: Iterable[User],
    kind: str,
    *,
    link: str | None = None,
    attachments: Sequence[mail.Attachment] | None = None,
    topic: str | None = None,
    **data: Any,
) -> list[Notification]:
    """Notify each user in the app and by e-mail, both in the caller's transaction (the
    worker sends the mail once it commits), with *attachments* to the mail (a calendar
    file, say). A notice that asks its readers to act names its *topic*
    ("membership:42"): resolve() marks it done once someone has acted."""
    created = []
    for user in {u.id: u for u in users}.values():
        note = Notification(user_id=user.id, kind=kind, data=data, link=link, topic=topic)
        db.session.add(note)
        created.append(note)
        with force_locale(user.locale or "en"):
            subject, body = messages.render(kind, data)
            footer = gettext("See it on Coalition: %(url)s", url=_absolute(link)) if link else ""
            mail.queue(user.email, subject, f"{body}\n\n{footer}".strip(), attachments=attachments)
    return created


def notify_participant(
    recipient: Participant, kind: str, *, link: str | None = None, **data: Any
) -> list[Notification]:
    """Notify everyone staff verified as speaking for *recipient*.

    (Named so that the message data may carry a `participant` of its own.)
    """
    return notify_users(representatives(recipient), kind, link=link, **data)


def representatives(participant: Participant) -> list[User]:
    """The people staff verified as speaking for *participant* (1 query)."""
    from coalition.representations.models import Representation

    return _delegates(Representation.participant_id == participant.id)


def representatives_of(participant_ids: Iterable[int]) -> dict[int, list[User]]:
    """The people speaking for each of these participants, by participant id (1 query)."""
    from coalition.accounts.models import User
    from coalition.representations.models import Representation, RepresentationStatus

    ids = list(participant_ids)
    found: dict[int, list[User]] = {}
    if not ids:
        return found
    rows = db.session.execute(
        sa.select(Representation.participant_id, User)
        .join(User, User.id == Representation.user_id)
        .where(
            Representation.participant_id.in_(ids),
            Representation.status == RepresentationStatus.VERIFIED,
            User.is_enabled.is_(True),
        )
        .order_by(User.id)
    )
    for participant_id, user in rows:
        found.setdefault(participant_id, []).append(user)
    return found


def delegates_of(participant_ids: sa.Select) -> list[User]:
    """The people speaking for any participant of *participant_ids* (a SELECT of ids), in
    one query: the delegates of a body's co-chairs, say."""
    from coalition.representations.models import Representation

    return _delegates(Representation.participant_id.in_(participant_ids))


def _delegates(condition: sa.ColumnElement[bool]) -> list[User]:
    from coalition.accounts.models import User
    from coalition.representations.models import Representation, RepresentationStatus

    return list(
        db.session.scalars(
            sa.select(User)
            .join(Representation, Representation.user_id == User.id)
            .where(
                condition,
                Representation.status == RepresentationStatus.VERIFIED,
                User.is_enabled.is_(True),
            )
            .order_by(User.id)
        )
    )


def staff_users() -> list[User]:
    from coalition.accounts.models import User

    return list(
        db.session.scalars(
            sa.select(User).where(
                sa.or_(User.is_staff.is_(True), User.is_admin.is_(True)),
                User.is_enabled.is_(True),
            )
        )
    )


def unread_count(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all, or those given); returns how many."""
    stmt = sa.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_ids is not None:
        stmt = stmt.where(Notification.id.in_(list(notification_ids)))
    return db.session.execute(stmt.values(read_at=utcnow())).rowcount


def resolve(topic: str, resolution: dict[str, Any]) -> int:
    """What the notices on *topic* asked is dealt with (a request decided by one co-chair,
    say): each still open is marked done with *resolution* (how, and by whom) and read, so
    that no reader is asked to act on it any more (1 statement); returns how many."""
    now = utcnow()
    return db.session.execute(
        sa.update(Notification)
        .where(Notification.topic == topic, Notification.resolved_at.is_(None))
        .values(
            resolved_at=now,
            resolution=resolution,
            read_at=sa.func.coalesce(
                Notification.read_at, sa.literal(now, Notification.read_at.type)
            ),
        )
        .execution_options(synchronize_session=False)
    ).rowcount


def _absolute(link: str) -> str:
    return link if link.startswith(("http://", "https://")) else mail.absolute_url(link)
