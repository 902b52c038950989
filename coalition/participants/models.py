"""Participants: states and organizations."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.db import enum_type, utcnow
from coalition.extensions import db

if TYPE_CHECKING:
    from coalition.representations.models import Representation


class ParticipantKind(enum.StrEnum):
    STATE = "state"
    ORGANIZATION = "organization"


class OrganizationCategory(enum.StrEnum):
    INTERNATIONAL_ORGANIZATION = "international_organization"
    REGIONAL_INSTITUTION = "regional_institution"
    CIVIL_SOCIETY = "civil_society"
    PRIVATE_SECTOR = "private_sector"
    OTHER = "other"


class UNStatus(enum.StrEnum):
    MEMBER = "member"
    OBSERVER = "observer"


class Participant(db.Model):
    __tablename__ = "participants"
    __table_args__ = (
        # A state has an ISO alpha-3 code and no category; an organization a category.
        sa.CheckConstraint(
            "(kind = 'state' AND category IS NULL AND iso_alpha2 IS NOT NULL "
            "AND length(code) = 3 AND code = upper(code)) "
            "OR (kind = 'organization' AND category IS NOT NULL AND un_status IS NULL)",
            name="kind_fields",
        ),
        sa.CheckConstraint("length(name) > 0", name="name_not_empty"),
        sa.Index("ix_participants_kind_name", "kind", "name"),
        sa.Index("ix_participants_region_code", "region_code"),
        sa.Index("ix_participants_subregion_code", "subregion_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ParticipantKind] = mapped_column(enum_type(ParticipantKind, "participant_kind"))
    #: ISO 3166-1 alpha-3 for a state (GHA), a slug for an organization (unesco).
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: English name: a state's UNTERM short name ("Republic of Korea"), an organization's own.
    name: Mapped[str] = mapped_column(sa.String(200))
    #: Short form for organizations (UNESCO, ICNL).
    acronym: Mapped[str | None] = mapped_column(sa.String(32))
    iso_alpha2: Mapped[str | None] = mapped_column(sa.String(2), unique=True)
    un_status: Mapped[UNStatus | None] = mapped_column(enum_type(UNStatus, "un_status"))
    category: Mapped[OrganizationCategory | None] = mapped_column(
        enum_type(OrganizationCategory, "organization_category")
    )
    #: A state's UNTERM short names by UN language {"ar", "zh", "en", "fr", "ru", "es"};
    #: None for an organization. Written by `flask seed` from participants/data/unterm.csv.
    names: Mapped[dict[str, str] | None] = mapped_column(sa.JSON(none_as_null=True))
    #: A state's UNTERM formal names by language ({"en": "the Republic of Ghana"}).
    formal_names: Mapped[dict[str, str] | None] = mapped_column(sa.JSON(none_as_null=True))
    #: A state's M49 region (002 Africa), sub-region (202) and intermediate region (011).
    region_code: Mapped[str | None] = mapped_column(sa.String(3))
    subregion_code: Mapped[str | None] = mapped_column(sa.String(3))
    intermediate_region_code: Mapped[str | None] = mapped_column(sa.String(3))
    #: IANA zone of reference (a state's capital); editable by staff.
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    website: Mapped[str | None] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    representations: Mapped[list[Representation]] = relationship(
        back_populates="participant", viewonly=True, order_by="Representation.claimed_at.desc()"
    )

    @property
    def is_state(self) -> bool:
        return self.kind is ParticipantKind.STATE

    def __repr__(self) -> str:
        return f"<Participant {self.code}>"
