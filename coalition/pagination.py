"""Pages of query results, for HTML lists and API lists alike."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app, request

from coalition.extensions import db


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(stmt: sa.Select, page: int, per_page: int, *, scalars: bool = True) -> Page:
    """One page of *stmt* and the total count: two queries whatever the table size."""
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    windowed = stmt.limit(per_page).offset((page - 1) * per_page)
    if scalars:
        items = list(db.session.scalars(windowed).unique())
    else:
        items = list(db.session.execute(windowed))
    return Page(items=items, page=page, per_page=per_page, total=total or 0)


#: Far beyond any real list, and within what every database accepts as an OFFSET.
MAX_PAGE = 100_000


def page_args() -> tuple[int, int]:
    """?page= and ?per_page= from the query string, clamped to sane values."""
    default = current_app.config["PER_PAGE"]
    page = request.args.get("page", 1, type=int) or 1
    per_page = request.args.get("per_page", default, type=int) or default
    return min(max(1, page), MAX_PAGE), min(max(1, per_page), 200)
