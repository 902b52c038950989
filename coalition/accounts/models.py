"""People with accounts, and their API tokens."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.db import utcnow
from coalition.extensions import db

if TYPE_CHECKING:
    from coalition.representations.models import Representation


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        # E-mail addresses are stored lower-cased; the CHECK keeps it that way, so the
        # plain unique constraint is a case-insensitive one.
        sa.CheckConstraint("email = lower(email)", name="email_lower_case"),
        sa.CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    #: The interface language the person chose; NULL follows the browser.
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    #: IANA zone in which times are shown to this person; NULL follows the browser's zone
    #: (UTC when it is not known).
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    is_staff: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: An admin can disable an account; the person can then no longer log in.
    is_enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: Raised to end every session and remember-me cookie of the person at once (logging
    #: out, a new password, a disabled account, a representation ended): the session
    #: carries the value it began with, and one carrying an older value no longer loads.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    representations: Mapped[list[Representation]] = relationship(
        back_populates="user",
        foreign_keys="Representation.user_id",
        order_by="Representation.claimed_at.desc()",
        viewonly=True,
    )
    api_tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", order_by="ApiToken.created_at.desc()"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login asks this before logging someone in.
        return self.is_enabled

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session (and a remember-me cookie). It changes
        with the password and the session epoch, so that a cookie copied before either
        changed no longer logs anyone in, on any server."""
        return f"{self.id}.{session_fingerprint(self)}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


def session_fingerprint(user: User) -> str:
    """What a session must carry to stay valid for *user*: the password hash and the
    session epoch, digested (the session cookie is readable by its holder)."""
    material = f"{user.session_epoch}:{user.password_hash}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


class ApiToken(db.Model):
    """A personal API token. Only its SHA-256 digest is stored; the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The first characters of the token, so that its owner can tell tokens apart.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="api_tokens")
