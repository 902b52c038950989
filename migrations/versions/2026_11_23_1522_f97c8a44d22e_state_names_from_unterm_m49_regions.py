"""state names from UNTERM, M49 regions

A state's name is the UN's: its UN Terminology short names in the six UN languages, its
formal names, and its M49 region, sub-region and intermediate region, from
coalition/participants/data/unterm.csv. Existing states get them here (and `name`
becomes the UNTERM English short name: "Republic of Korea", "Türkiye"); `flask seed`
keeps them up to date afterwards. Organizations keep their own name and get none of them.

The columns are added with ALTER TABLE, never by rebuilding the table: on SQLite a
rebuild drops the participants table, which the append-only history refers to.

Revision ID: f97c8a44d22e
Revises: f55a5afdae09
Create Date: 2026-11-23 15:22:31.701708
"""

import csv
from importlib import resources

import sqlalchemy as sa
from alembic import op

revision = "f97c8a44d22e"
down_revision = "f55a5afdae09"
branch_labels = None
depends_on = None

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")

participants = sa.table(
    "participants",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("names", sa.JSON(none_as_null=True)),
    sa.column("formal_names", sa.JSON(none_as_null=True)),
    sa.column("region_code", sa.String),
    sa.column("subregion_code", sa.String),
    sa.column("intermediate_region_code", sa.String),
)


def _unterm_rows() -> list[dict[str, str]]:
    data = resources.files("coalition.participants").joinpath("data", "unterm.csv")
    with data.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def upgrade() -> None:
    op.add_column("participants", sa.Column("names", sa.JSON(none_as_null=True), nullable=True))
    op.add_column(
        "participants", sa.Column("formal_names", sa.JSON(none_as_null=True), nullable=True)
    )
    op.add_column("participants", sa.Column("region_code", sa.String(length=3), nullable=True))
    op.add_column("participants", sa.Column("subregion_code", sa.String(length=3), nullable=True))
    op.add_column(
        "participants",
        sa.Column("intermediate_region_code", sa.String(length=3), nullable=True),
    )
    op.create_index("ix_participants_region_code", "participants", ["region_code"])
    op.create_index("ix_participants_subregion_code", "participants", ["subregion_code"])

    bind = op.get_bind()
    for row in _unterm_rows():
        bind.execute(
            participants.update()
            .where(participants.c.kind == "state", participants.c.code == row["iso_alpha3"])
            .values(
                name=row["name_en"],
                names={language: row[f"name_{language}"] for language in LANGUAGES},
                formal_names={"en": row["formal_name_en"]} if row["formal_name_en"] else None,
                region_code=row["region_code"] or None,
                subregion_code=row["subregion_code"] or None,
                intermediate_region_code=row["intermediate_region_code"] or None,
            )
        )


def downgrade() -> None:
    import pycountry

    # Before this revision a state's English name was ISO's (pycountry), as seeded then.
    bind = op.get_bind()
    states = bind.execute(
        sa.select(participants.c.id, participants.c.code).where(participants.c.kind == "state")
    ).all()
    for participant_id, code in states:
        country = pycountry.countries.get(alpha_3=code)
        if country is not None:
            name = getattr(country, "common_name", None) or country.name
            bind.execute(
                participants.update().where(participants.c.id == participant_id).values(name=name)
            )
    op.drop_index("ix_participants_subregion_code", table_name="participants")
    op.drop_index("ix_participants_region_code", table_name="participants")
    for column in ("intermediate_region_code", "subregion_code", "region_code"):
        op.drop_column("participants", column)
    op.drop_column("participants", "formal_names")
    op.drop_column("participants", "names")
