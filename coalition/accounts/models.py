"""People with accounts, and their API tokens."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.db import Base, utcnow

if TYPE_CHECKING:
    from coalition.participants.models import Representation


class User(UserMixin, Base):
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
    #: IANA zone in which times are shown to this person; NULL means UTC.
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    is_staff: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: An admin can disable an account; the person can then no longer log in.
    is_enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
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
        """The id Flask-Login keeps in the session: it changes with the password, so that
        changing or resetting a password ends every other session and remember-me cookie."""
        return f"{self.id}.{password_fingerprint(self.password_hash)}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


def password_fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


class ApiToken(Base):
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
