"""Cleaning the text people type, once, at the service boundary.

Single-line values (titles, names) end up in mail headers, CSV cells and HTML
attributes: line breaks (also U+2028/U+2029) become spaces there, and other control
characters are dropped. Multi-line values (descriptions, messages) keep their line
breaks, normalized to \\n, and tabs, and lose every other control character. Lone
surrogates, which no database can store, go too.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _

from coalition.errors import InvalidValue

_LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]")

# The same rules as regular expressions for the API's schemas (each means the same in
# Python and in JSON Schema's ECMA-262 dialect: explicit classes, no \s or \Z):
#: No NUL character: no text the product stores may contain one (coalition.security).
NO_NUL_PATTERN = r"^[^\x00]*$"
#: Some text left once cleaned: a character that is neither whitespace (what str.strip
#: removes) nor a control character, and no NUL.
_VISIBLE = r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
NOT_BLANK_PATTERN = rf"^[^\x00]*{_VISIBLE}[^\x00]*$"


def _drop_controls(text: str, keep: str) -> str:
    return "".join(c for c in text if c in keep or unicodedata.category(c) not in ("Cc", "Cs"))


def single_line(value: Any) -> str:
    """*value* as one line: line breaks and tabs become spaces, other controls go."""
    text = "" if value is None else str(value)
    text = _LINE_BREAKS.sub(" ", text).replace("\t", " ")
    return _drop_controls(text, keep="").strip()


def multi_line(value: Any) -> str:
    """*value* with its line breaks as \\n and no other control character but tabs."""
    text = "" if value is None else str(value)
    text = _LINE_BREAKS.sub("\n", text)
    return _drop_controls(text, keep="\n\t").strip()


def clean_text(
    value: Any,
    field: str,
    *,
    max_length: int | None,
    required: bool = False,
    multiline: bool = True,
) -> str:
    """The cleaned text, or InvalidValue about *field* when empty but required or too long."""
    text = multi_line(value) if multiline else single_line(value)
    if required and not text:
        raise InvalidValue(_("This cannot be empty."), field=field)
    if max_length is not None and len(text) > max_length:
        raise InvalidValue(_("At most %(n)s characters.", n=max_length), field=field)
    return text


def clean_line(value: Any, field: str, *, max_length: int | None, required: bool = False) -> str:
    return clean_text(value, field, max_length=max_length, required=required, multiline=False)
