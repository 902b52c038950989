"""Queries of the Secretariat's tools (the rules themselves live in each feature's services)."""

from __future__ import annotations

import sqlalchemy as sa

from coalition.accounts.models import User


def users_statement(q: str | None = None) -> sa.Select:
    """Users whose name or e-mail contains every word of *q*, by name."""
    stmt = sa.select(User)
    for word in (q or "").split():
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            sa.or_(User.name.ilike(pattern, escape="\\"), User.email.ilike(pattern, escape="\\"))
        )
    return stmt.order_by(sa.func.lower(User.name), User.id)
