"""Schemas shared by the API's features: pagination arguments and envelopes."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from coalition.pagination import MAX_PAGE


class JsonBoolean(fields.Boolean):
    """A boolean as JSON writes it, `true` or `false`: marshmallow's own also takes 0, 1,
    "yes", "on"…, which the OpenAPI document (type boolean) refuses."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


def _participant_name(ref: Any) -> str:
    from coalition.i18n import api_names_language
    from coalition.labels import participant_name

    # Some handlers pass the participant, others a dict already naming it.
    return ref["name"] if isinstance(ref, dict) else participant_name(ref, api_names_language())


class ParticipantRefSchema(Schema):
    """A participant named inside another object: its code, name and kind."""

    code = fields.String()
    name = fields.Function(
        _participant_name,
        metadata={
            "type": "string",
            "description": "a state's UN name in the language of Accept-Language (one of "
            "ar, zh, en, fr, ru, es; English by default); an organization's own name",
        },
    )
    kind = fields.String()


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """`{"items": [...], "page", "per_page", "total"}` around *item_schema*."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
            "total": fields.Integer(),
        },
        name=name,
    )


# -- texts written in English and French (coalition.bilingual) ------------------------------


class TextsSchema(Schema):
    """One text in each content language; null where nobody has written it."""

    en = fields.String(allow_none=True)
    fr = fields.String(allow_none=True)


def texts_field(what: str) -> fields.Nested:
    return fields.Nested(
        TextsSchema, metadata={"description": f"The {what} in English and in French."}
    )


def content_language_field(**kwargs: Any) -> fields.String:
    """Which language the original texts (title, summary, description…) are in."""
    return fields.String(
        validate=validate.OneOf(["en", "fr"]),
        metadata={
            "enum": ["en", "fr"],
            "description": "The language the texts are written in; the *_translation "
            "fields hold them in the other one.",
        },
        **kwargs,
    )


def translation_field(max_length: int, what: str, **kwargs: Any) -> fields.String:
    """The same text in the other language than `language`; "" for none."""
    return fields.String(
        validate=validate.Length(max=max_length),
        metadata={"description": f"The {what} in the other language than `language`; '' none."},
        **kwargs,
    )


#: How read fields say what they are.
LOCALIZED = "in the request's language (Accept-Language: en or fr), else in the other one"
