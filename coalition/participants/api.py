"""API: the participants (states and organizations). Public reads."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from coalition.api.schemas import PageArgs, page_schema
from coalition.i18n import api_names_language
from coalition.labels import participant_name
from coalition.limits import SEARCH_MAX
from coalition.participants import countries, services
from coalition.participants.models import Participant, ParticipantKind
from coalition.participants.regions import region_name

blp = Blueprint(
    "participants_api",
    __name__,
    description=(
        "Participants: every UN member and observer state, named as the UN names it, and "
        "partner organizations. `name` is in the language Accept-Language asks for among "
        "the six UN languages (ar, zh, en, fr, ru, es), English by default; lists are "
        "sorted by that name as a reader of that language expects."
    ),
)


class NamesSchema(Schema):
    """A state's UN Terminology (UNTERM) short names in the six UN languages."""

    ar = fields.String(metadata={"description": "Arabic"})
    zh = fields.String(metadata={"description": "Chinese"})
    en = fields.String(metadata={"description": "English"})
    fr = fields.String(metadata={"description": "French"})
    ru = fields.String(metadata={"description": "Russian"})
    es = fields.String(metadata={"description": "Spanish"})


class RegionSchema(Schema):
    code = fields.String(metadata={"description": "M49 code, e.g. 002 (Africa)"})
    name = fields.String(
        metadata={"description": "in the interface's languages (English, French), else English"}
    )


class ParticipantRecordSchema(Schema):
    code = fields.String(metadata={"description": "ISO 3166-1 alpha-3 (GHA) or a slug (unesco)"})
    name = fields.String(
        metadata={
            "description": "a state's UNTERM short name in the request's language "
            "(Accept-Language), English by default; an organization's own name"
        }
    )
    names = fields.Nested(
        NamesSchema, allow_none=True, metadata={"description": "a state's; null otherwise"}
    )
    formal_names = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        allow_none=True,
        metadata={
            "description": "a state's UNTERM formal names by language, as far as the data "
            'has them (English: {"en": "the Republic of Korea"}); null otherwise'
        },
    )
    region = fields.Nested(
        RegionSchema, allow_none=True, metadata={"description": "M49 region (states)"}
    )
    subregion = fields.Nested(
        RegionSchema, allow_none=True, metadata={"description": "M49 sub-region (states)"}
    )
    intermediate_region = fields.Nested(
        RegionSchema,
        allow_none=True,
        metadata={"description": "M49 intermediate region, where M49 has one (011 Western Africa)"},
    )
    kind = fields.String(metadata={"enum": [k.value for k in ParticipantKind]})
    category = fields.String(allow_none=True)
    un_status = fields.String(allow_none=True, metadata={"enum": ["member", "observer"]})
    timezone = fields.String(metadata={"description": "IANA zone of reference"})
    acronym = fields.String(allow_none=True)


def _region(code: str | None) -> dict[str, str] | None:
    return {"code": code, "name": region_name(code)} if code else None


def participant_record(participant: Participant, language: str) -> dict[str, Any]:
    return {
        "code": participant.code,
        "name": participant_name(participant, language),
        "names": participant.names,
        "formal_names": participant.formal_names,
        "region": _region(participant.region_code),
        "subregion": _region(participant.subregion_code),
        "intermediate_region": _region(participant.intermediate_region_code),
        "kind": participant.kind.value,
        "category": participant.category,
        "un_status": participant.un_status,
        "timezone": participant.timezone,
        "acronym": participant.acronym,
    }


class ParticipantListArgs(PageArgs):
    kind = fields.String(validate=validate.OneOf([k.value for k in ParticipantKind]))
    q = fields.String(
        validate=validate.Length(max=SEARCH_MAX),
        metadata={
            "description": "words to find in a name (the UN's in its six languages, formal "
            "names, and names a state is also known by: Turkey, Vatican), code or acronym; "
            "accents and case aside"
        },
    )
    region = fields.String(
        validate=validate.OneOf(sorted(countries.region_names_en())),
        metadata={
            "description": "M49 code of a region (002 Africa), sub-region (202) or "
            "intermediate region (011): the states in it"
        },
    )


ParticipantPageSchema = page_schema(ParticipantRecordSchema, "ParticipantPage")


@blp.get("/participants")
@blp.arguments(ParticipantListArgs, location="query")
@blp.response(200, ParticipantPageSchema)
def list_participants(args: dict) -> dict:
    """Participants, by name in the request's language; filter by `kind` and `region`,
    search with `q`. Public."""
    language = api_names_language()
    found = services.participants_page(
        args.get("q"),
        args.get("kind"),
        args.get("region"),
        args["page"],
        args["per_page"],
        language=language,
    )
    return {
        "items": [participant_record(p, language) for p in found.items],
        "page": found.page,
        "per_page": found.per_page,
        "total": found.total,
    }


@blp.get("/participants/<code>")
@blp.response(200, ParticipantRecordSchema)
def get_participant(code: str) -> dict:
    """One participant by code (404 if unknown). Public."""
    return participant_record(services.get_participant(code), api_names_language())
