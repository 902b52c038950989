"""The states preloaded as participants: the 193 UN member states and the two observer
states, named as the UN names them.

Names in the six UN languages, formal names and M49 regions come from data/unterm.csv
(UN Terminology, through OCHA's taxonomy; data/NOTICE.md says where from, and
scripts/refresh-unterm.py writes it); the reference time zone from the IANA zone.tab.
Other names a reader may type ("Turkey", "Vatican", "Korea", "Allemagne") come from the
data's alternative names, pycountry and CLDR: they are searched, never displayed.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry
from babel import Locale

from coalition.collation import fold
from coalition.i18n import UN_LANGUAGES

#: Where a state spans several zones, zone.tab lists them by region, not capital first.
#: These are the zones of the capitals of those states; every other state has one zone,
#: or its first zone.tab entry is its capital's.
CAPITAL_ZONE_OVERRIDES = {
    "AU": "Australia/Sydney",  # Canberra
    "BR": "America/Sao_Paulo",  # Brasília
    "CA": "America/Toronto",  # Ottawa
    "CD": "Africa/Kinshasa",
    "CL": "America/Santiago",
    "CN": "Asia/Shanghai",  # Beijing
    "EC": "America/Guayaquil",  # Quito
    "ES": "Europe/Madrid",
    "FM": "Pacific/Pohnpei",  # Palikir
    "ID": "Asia/Jakarta",
    "KI": "Pacific/Tarawa",
    "KZ": "Asia/Almaty",  # Astana shares Almaty's offset
    "MH": "Pacific/Majuro",
    "MN": "Asia/Ulaanbaatar",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "NZ": "Pacific/Auckland",
    "PG": "Pacific/Port_Moresby",
    "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "US": "America/New_York",  # Washington, D.C.
    "UZ": "Asia/Tashkent",
    "DE": "Europe/Berlin",
    "CY": "Asia/Nicosia",
    "AR": "America/Argentina/Buenos_Aires",
    "PS": "Asia/Hebron",
}

#: Languages whose CLDR names are searched as aliases: the interface's.
ALIAS_LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class StateRecord:
    alpha3: str
    alpha2: str
    un_status: str  # "member" or "observer"
    #: UNTERM short names by language (ar, zh, en, fr, ru, es).
    names: dict[str, str]
    #: UNTERM formal names by language ("the Republic of Ghana"); English only so far.
    formal_names: dict[str, str]
    #: M49 codes: region (002 Africa), sub-region (202), intermediate region (011) or "".
    region_code: str
    subregion_code: str
    intermediate_region_code: str
    timezone: str
    #: Other English names from the data, searched and never displayed.
    alternative_names: tuple[str, ...]
    #: The data's regular expression for English names old and new ("turkey|t(ü|u)rkiye").
    search_pattern: str

    @property
    def name(self) -> str:
        return self.names["en"]

    @property
    def region_codes(self) -> tuple[str, ...]:
        return tuple(
            c for c in (self.region_code, self.subregion_code, self.intermediate_region_code) if c
        )


def _data_rows() -> list[dict[str, str]]:
    data = resources.files("coalition.participants").joinpath("data", "unterm.csv")
    with data.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def capital_zones() -> dict[str, str]:
    """Alpha-2 code → IANA zone of the capital."""
    zones: dict[str, str] = {}
    tab = resources.files("tzdata").joinpath("zoneinfo", "zone.tab")
    with tab.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            code, _coords, zone, *_rest = line.rstrip("\n").split("\t")
            zones.setdefault(code, zone)
    zones.update(CAPITAL_ZONE_OVERRIDES)
    return zones


@cache
def states() -> tuple[StateRecord, ...]:
    """The 193 UN member states and the 2 observer states, sorted by code."""
    zones = capital_zones()
    records = []
    for row in _data_rows():
        records.append(
            StateRecord(
                alpha3=row["iso_alpha3"],
                alpha2=row["iso_alpha2"],
                un_status=row["un_status"],
                names={language: row[f"name_{language}"] for language in UN_LANGUAGES},
                formal_names={"en": row["formal_name_en"]} if row["formal_name_en"] else {},
                region_code=row["region_code"],
                subregion_code=row["subregion_code"],
                intermediate_region_code=row["intermediate_region_code"],
                timezone=zones.get(row["iso_alpha2"], "UTC"),
                alternative_names=tuple(filter(None, row["alternative_names_en"].split(";"))),
                search_pattern=row["search_pattern"],
            )
        )
    return tuple(sorted(records, key=lambda r: r.alpha3))


@cache
def by_code() -> dict[str, StateRecord]:
    return {record.alpha3: record for record in states()}


def state_name(alpha3: str, language: str) -> str | None:
    """A state's UNTERM short name in *language* (English if the data lacks it), from its
    alpha-3 code, without the database; None for a code that is not a state's."""
    record = by_code().get(alpha3.upper())
    if record is None:
        return None
    return record.names.get(language) or record.names["en"]


@cache
def region_names_en() -> dict[str, str]:
    """M49 code → English name, for every region, sub-region and intermediate region."""
    names: dict[str, str] = {}
    for row in _data_rows():
        for level in ("region", "subregion", "intermediate_region"):
            if row[f"{level}_code"]:
                names[row[f"{level}_code"]] = row[f"{level}_name_en"]
    return names


@cache
def region_tree() -> dict[str, dict[str, list[str]]]:
    """Region code → sub-region code → its intermediate region codes (M49's hierarchy)."""
    tree: dict[str, dict[str, list[str]]] = {}
    for record in states():
        subregions = tree.setdefault(record.region_code, {})
        intermediates = subregions.setdefault(record.subregion_code, [])
        code = record.intermediate_region_code
        if code and code not in intermediates:
            intermediates.append(code)
    return tree


def _aliases(record: StateRecord) -> list[str]:
    """Names a reader may type for a state, besides the UN's: ISO's, CLDR's in the
    interface's languages, and the data's alternative names."""
    aliases = list(record.alternative_names)
    country = pycountry.countries.get(alpha_3=record.alpha3)
    if country is not None:
        for attribute in ("name", "common_name", "official_name"):
            if value := getattr(country, attribute, None):
                aliases.append(value)
    for language in ALIAS_LANGUAGES:
        if value := Locale.parse(language).territories.get(record.alpha2):
            aliases.append(value)
    return aliases


@dataclass(frozen=True)
class _Searchable:
    alpha3: str
    names: frozenset[str]
    pattern: re.Pattern[str] | None


@cache
def search_index() -> tuple[_Searchable, ...]:
    """Every name of every state, folded, and its pattern compiled, once per process:
    short and formal names in the six languages, and the aliases."""
    index = []
    for record in states():
        names = [*record.names.values(), *record.formal_names.values(), *_aliases(record)]
        pattern = re.compile(fold(record.search_pattern)) if record.search_pattern else None
        index.append(_Searchable(record.alpha3, frozenset(fold(n) for n in names), pattern))
    return tuple(index)


def matching_codes(query: str) -> list[str]:
    """Alpha-3 codes of the states one of whose names contains every word of *query*, or
    whose pattern the query matches, accents and case aside ("cote ivoire", "Turkey")."""
    words = fold(query).split()
    if not words:
        return []
    text = " ".join(words)
    return [
        state.alpha3
        for state in search_index()
        if any(all(word in name for word in words) for name in state.names)
        or (state.pattern is not None and state.pattern.search(text))
    ]
