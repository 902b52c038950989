"""Schemas shared by the API's features: pagination arguments and envelopes."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from coalition.pagination import MAX_PAGE


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


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
