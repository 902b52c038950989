"""Texts people write in English or French: which one a viewer reads, and which is missing.

Initiatives, working groups (the `bodies` table) and meetings keep their texts as
written: `title`, `summary` (bodies) and `description` (a group's mandate) hold the
*original* text, in the language that the row's `language` column names ("en" or "fr").
Beside them, `title_translation`, `summary_translation` and `description_translation`
hold the same texts in the other language, "" while nobody has written them. So an
author writes in one language and may add the other; every existing reader of `title`
still finds a text there, and the database's "title is not empty" check keeps holding.

The rule of which text a viewer reads lives here only (pages through the `localized`
filter, the API through `texts`/`shown`, open data through `texts`):

- the text in the viewer's language if there is one;
- else English if there is an English text (a viewer whose language is neither);
- else the original.

When the text shown is not in the viewer's language it is a *fallback*: pages mark it
with its `lang` attribute and say "Available in English only" (or French).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

#: The languages content is written in, the first being the default.
CONTENT_LANGUAGES = ("en", "fr")

#: The texts that may have a translation, each with its translation column.
TRANSLATED_FIELDS = ("title", "summary", "description")

_ONLY_IN = {
    "en": _l("Available in English only"),
    "fr": _l("Available in French only"),
}
_MISSING_IN = {
    "en": _l("No English text yet for: %(fields)s."),
    "fr": _l("No French text yet for: %(fields)s."),
}
_FIELD_NAMES = {
    "title": _l("title"),
    "summary": _l("summary"),
    "description": _l("description"),
    "mandate": _l("mandate"),
}


def other_language(language: str) -> str:
    return "fr" if language == "en" else "en"


def translation_column(field: str) -> str:
    return f"{field}_translation"


def texts(obj: Any, field: str) -> dict[str, str | None]:
    """*field* of *obj* in each content language: {"en": …, "fr": …}, None where missing."""
    original = _original_language(obj)
    return {
        original: getattr(obj, field) or None,
        # Rows that carry only the original (a query's named columns) have no translation.
        other_language(original): getattr(obj, translation_column(field), None) or None,
    }


def _original_language(obj: Any) -> str:
    return getattr(obj, "language", None) or CONTENT_LANGUAGES[0]


@dataclass(frozen=True)
class Shown:
    """The text a viewer reads, its language, and whether it is a fallback."""

    text: str
    lang: str
    fallback: bool

    @property
    def note(self) -> str:
        """ "Available in English only" for a fallback; "" otherwise."""
        return str(_ONLY_IN[self.lang]) if self.fallback else ""

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    def __html__(self) -> Markup:
        """The escaped text; inside a span saying its language when it is a fallback."""
        if not self.fallback:
            return escape(self.text)
        return Markup('<span lang="{}">{}</span>').format(self.lang, self.text)


def viewer_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else CONTENT_LANGUAGES[0]


def shown(obj: Any, field: str, language: str | None = None) -> Shown:
    """*field* of *obj* as a viewer speaking *language* (the request's) reads it."""
    wanted = language or viewer_language()
    by_language = texts(obj, field)
    original = _original_language(obj)
    for candidate in (wanted, CONTENT_LANGUAGES[0], original):
        text = by_language.get(candidate)
        if text:
            return Shown(text, candidate, fallback=candidate != wanted)
    return Shown("", wanted, fallback=False)


def localized_text(obj: Any, field: str, language: str | None = None) -> str:
    """The text of `shown`, for messages built in Python (flash, mail subjects)."""
    return shown(obj, field, language).text


def missing(obj: Any) -> dict[str, list[str]]:
    """The translations still to write: language → fields with an original but no text in
    that language (an empty original needs none)."""
    result: dict[str, list[str]] = {}
    for field in TRANSLATED_FIELDS:
        if not hasattr(obj, translation_column(field)):
            continue  # a meeting has no summary
        by_language = texts(obj, field)
        if not any(by_language.values()):
            continue
        for language, text in by_language.items():
            if not text:
                result.setdefault(language, []).append(field)
    return result


def missing_notes(obj: Any, names: dict[str, str] | None = None) -> list[str]:
    """Sentences for the co-chairs: "No French text yet for: title, summary." *names*
    renames fields for this kind (a group's description is its mandate)."""
    names = names or {}
    notes = []
    for language, fields in missing(obj).items():
        words = ", ".join(str(_FIELD_NAMES[names.get(f, f)]) for f in fields)
        notes.append(str(_MISSING_IN[language]) % {"fields": words})
    return notes


def api_texts(obj: Any, fields: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """The API's view of *fields* ({"description": ("mandate", "mandates")}: the column →
    its key in the request's language, its key in both): each text in the request's
    language with the fallback, {"en", "fr"} under the plural key, and the originals'
    `language`."""
    result: dict[str, Any] = {"language": _original_language(obj)}
    for field, (key, plural) in fields.items():
        result[key] = shown(obj, field).text
        result[plural] = texts(obj, field)
    return result


def register(app: Any) -> None:
    """`{{ obj|localized('title') }}` on pages (a Shown: prints itself with its lang)."""
    app.jinja_env.filters["localized"] = shown
    app.jinja_env.globals["missing_translations"] = missing_notes


# -- writing -------------------------------------------------------------------------------


def clean_language(value: Any, field: str = "language") -> str:
    """ "en" or "fr"; InvalidValue about *field* otherwise."""
    from coalition.errors import InvalidValue

    text = "" if value is None else str(value).strip().lower()
    if text not in CONTENT_LANGUAGES:
        raise InvalidValue(_l("Choose English or French."), field=field)
    return text


def translation_cleaners(*, summary: bool = True) -> dict[str, Any]:
    # (description_translation: a group's form and API call it mandate_translation)
    """Cleaners of the translation columns: the originals' rules, each optional."""
    from coalition import limits
    from coalition.text import clean_line, clean_text

    cleaners: dict[str, Any] = {
        "language": clean_language,
        "title_translation": lambda v: clean_line(
            v, "title_translation", max_length=limits.TITLE_MAX
        ),
        "description_translation": lambda v: clean_text(
            v, "description_translation", max_length=limits.TEXT_MAX
        ),
    }
    if summary:
        cleaners["summary_translation"] = lambda v: clean_text(
            v, "summary_translation", max_length=limits.SUMMARY_MAX
        )
    return cleaners
