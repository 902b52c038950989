"""Telling people what happened: a row in the app and an e-mail, in their language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import url_for
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
    users: Iterable[User], kind: str, *, link: str | None = None, **data: Any
) -> list[Notification]:
    """Notify each user in the app and by e-mail (sent once the transaction commits)."""
    created = []
    for user in {u.id: u for u in users}.values():
        note = Notification(user_id=user.id, kind=kind, data=data, link=link)
        db.session.add(note)
        created.append(note)
        with force_locale(user.locale or "en"):
            subject, body = messages.render(kind, data)
            footer = gettext("See it on Coalition: %(url)s", url=_absolute(link)) if link else ""
            mail.queue(user.email, subject, f"{body}\n\n{footer}".strip())
    return created


def notify_participant(
    recipient: Participant, kind: str, *, link: str | None = None, **data: Any
) -> list[Notification]:
    """Notify everyone staff verified as speaking for *recipient*.

    (Named so that the message data may carry a `participant` of its own.)
    """
    return notify_users(representatives(recipient), kind, link=link, **data)


def representatives(participant: Participant) -> list[User]:
    from coalition.accounts.models import User
    from coalition.participants.models import Representation, RepresentationStatus

    return list(
        db.session.scalars(
            sa.select(User)
            .join(Representation, Representation.user_id == User.id)
            .where(
                Representation.participant_id == participant.id,
                Representation.status == RepresentationStatus.VERIFIED,
                User.is_enabled.is_(True),
            )
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


def _absolute(link: str) -> str:
    if link.startswith("http"):
        return link
    try:
        return url_for("web.home", _external=True).rstrip("/") + link
    except RuntimeError:
        return link
