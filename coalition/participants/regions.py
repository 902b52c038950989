"""M49 regions (UN Statistics Division): their names in the reader's language, and the
choices of a filter by region.

The data names regions in English only; these labels put them in the message catalogs,
so that each interface language names them as the UN does in it (Afrique
subsaharienne, Asie du Sud-Est). tests/participants check that every region of the data
has its label here, under the data's English name.
"""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from coalition.collation import sort_key
from coalition.i18n import names_language
from coalition.participants import countries

REGION_NAMES = {
    "002": _l("Africa"),
    "015": _l("Northern Africa"),
    "202": _l("Sub-Saharan Africa"),
    "011": _l("Western Africa"),
    "014": _l("Eastern Africa"),
    "017": _l("Middle Africa"),
    "018": _l("Southern Africa"),
    "019": _l("Americas"),
    "021": _l("Northern America"),
    "419": _l("Latin America and the Caribbean"),
    "005": _l("South America"),
    "013": _l("Central America"),
    "029": _l("Caribbean"),
    "142": _l("Asia"),
    "030": _l("Eastern Asia"),
    "034": _l("Southern Asia"),
    "035": _l("South-eastern Asia"),
    "143": _l("Central Asia"),
    "145": _l("Western Asia"),
    "150": _l("Europe"),
    "039": _l("Southern Europe"),
    "151": _l("Eastern Europe"),
    "154": _l("Northern Europe"),
    "155": _l("Western Europe"),
    "009": _l("Oceania"),
    "053": _l("Australia and New Zealand"),
    "054": _l("Melanesia"),
    "057": _l("Micronesia"),
    "061": _l("Polynesia"),
}


#: Interface language → code → name: the catalogs do not change while the process runs,
#: and an API page names up to 600 regions.
_TRANSLATED: dict[str, dict[str, str]] = {}


def region_name(code: str | None) -> str:
    """An M49 region's name in the interface's language ("" for none)."""
    if not code:
        return ""
    locale = get_locale()
    language = str(locale) if locale is not None else "en"
    names = _TRANSLATED.get(language)
    if names is None:
        names = {**countries.region_names_en(), **{c: str(n) for c, n in REGION_NAMES.items()}}
        _TRANSLATED[language] = names
    return names.get(code, code)


def is_region(code: str | None) -> bool:
    """Whether *code* is an M49 region, sub-region or intermediate region of some state."""
    return bool(code) and code in countries.region_names_en()


def region_groups() -> list[tuple[str, list[tuple[str, str, int]]]]:
    """For a select box, one group per region, by name: (region name, [(code, name,
    depth)]) with the region itself first (depth 0), then its sub-regions by name (1),
    each followed by its intermediate regions (2): Sub-Saharan Africa, Western Africa…"""
    key = sort_key(names_language())

    def by_name(codes: list[str]) -> list[str]:
        return sorted(codes, key=lambda code: key(region_name(code)))

    groups = []
    for region, subregions in countries.region_tree().items():
        options = [(region, region_name(region), 0)]
        for subregion in by_name(list(subregions)):
            options.append((subregion, region_name(subregion), 1))
            options += [(c, region_name(c), 2) for c in by_name(subregions[subregion])]
        groups.append((region_name(region), options))
    return sorted(groups, key=lambda group: key(group[0]))
