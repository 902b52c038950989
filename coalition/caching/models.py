from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from coalition.extensions import db


class DataVersion(db.Model):
    """One row: how many transactions have changed data. Kept answers carry the value
    they were computed from, and are used only while it is current."""

    __tablename__ = "data_version"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    #: When it was last incremented: the Last-Modified of downloads (coalition.opendata).
    changed_at: Mapped[datetime] = mapped_column(server_default=sa.func.current_timestamp())
