"""Helpers for the participants and staff tests: claims made through the service, and
reading rows back in a fresh application context."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from coalition.accounts.models import User
from coalition.audit.models import AuditEvent
from coalition.extensions import db
from coalition.notifications.models import Notification
from coalition.participants.models import Participant, Representation


@pytest.fixture
def make_claim(app: Flask) -> Callable[..., Representation]:
    """make_claim(user, "GHA", role="delegate") → a committed pending claim."""

    def factory(user: User, code: str = "GHA", role: str = "delegate") -> Representation:
        from coalition.participants import services

        with app.test_request_context():
            rep = services.claim_representation(
                db.session.get(User, user.id), services.get_participant(code), role=role
            )
            db.session.commit()
            return rep

    return factory


@pytest.fixture
def read(app: Flask) -> Callable[..., Any]:
    """read(fn) runs fn() in a new application context (fresh session) and returns it."""

    def run(fn: Callable[[], Any]) -> Any:
        with app.app_context():
            try:
                return fn()
            finally:
                db.session.remove()

    return run


def representation(rep_id: int) -> Representation:
    return db.session.get(Representation, rep_id)


def representations_of(user: User) -> list[Representation]:
    return list(
        db.session.scalars(
            sa.select(Representation)
            .where(Representation.user_id == user.id)
            .order_by(Representation.id)
        )
    )


def audit_actions(object_type: str, object_id: int) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
            .order_by(AuditEvent.id)
        )
    )


def notification_kinds(user: User) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Notification.kind)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def participant(code: str) -> Participant | None:
    return db.session.scalar(sa.select(Participant).where(Participant.code == code))
