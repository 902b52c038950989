"""bilingual texts: initiatives, working groups and meetings say which language their
title, summary and description are in, and may have them in the other language too

Existing rows were written in English: their `language` is "en", their translations
empty ("" means not written yet; see coalition.bilingual). Columns are added and dropped
in place (no batch rebuild: `meetings` has a trigger refusing deletes). The
append-only triggers guard history tables only (memberships, co-chairs, endorsements,
representations, audit events); bodies and meetings may change their texts, so the new
columns change wherever the title does.

Revision ID: c3b1e2a4f7d9
Revises: 113fc7ac0f72
Create Date: 2026-11-23 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c3b1e2a4f7d9"
down_revision = "113fc7ac0f72"
branch_labels = None
depends_on = None

TITLE_MAX = 200
SUMMARY_MAX = 500

#: table → its translated texts (column, type).
COLUMNS = {
    "bodies": (
        ("title_translation", sa.String(length=TITLE_MAX)),
        ("summary_translation", sa.String(length=SUMMARY_MAX)),
        ("description_translation", sa.Text()),
    ),
    "meetings": (
        ("title_translation", sa.String(length=TITLE_MAX)),
        ("description_translation", sa.Text()),
    ),
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        op.add_column(
            table, sa.Column("language", sa.String(length=2), server_default="en", nullable=False)
        )
        for name, type_ in columns:
            op.add_column(table, sa.Column(name, type_, server_default="", nullable=False))


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        for name, _type in reversed(columns):
            op.drop_column(table, name)
        op.drop_column(table, "language")
