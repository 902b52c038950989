"""Sorting names as a reader of their language expects, and folding them for search.

Order comes from the Unicode Collation Algorithm (pyuca, pure Python, with the Unicode
default table), not from code points: "Côte d'Ivoire" sorts with the C's, "Türkiye"
with the T's, "Émirats arabes unis" with the E's. The default table is the order CLDR
prescribes for English and for French (France's French no longer reads accents
backwards), and suits Russian and Arabic; Spanish "ñ" as a letter of its own and
Chinese in pinyin order would need ICU's tailorings, which the interface does not speak
yet: sort_key(language) is where they would go.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

import pyuca


@cache
def _collator() -> pyuca.Collator:
    # Reads the Unicode table once per process (~0.2 s), on the first sort.
    return pyuca.Collator()


# Names are few and never change while the process runs: each key is computed once.
@lru_cache(maxsize=8192)
def _default_key(text: str) -> tuple[int, ...]:
    return tuple(_collator().sort_key(text))


def sort_key(language: str) -> Callable[[str], tuple[int, ...]]:
    """The key that sorts names as a reader of *language* expects."""
    return _default_key


def fold(text: str) -> str:
    """Text without accents, case or typographic apostrophes, for matching: "Côte d\u2019Ivoire"
    and "cote d'ivoire" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
