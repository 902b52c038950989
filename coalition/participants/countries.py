"""The states preloaded as participants: every UN member state and the two observer states.

Country names and codes come from pycountry (ISO 3166-1), localized names from CLDR
through Babel, UN membership from country_converter's data table, and a time zone from
the IANA zone.tab: nothing here is a hand-typed list of countries.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry

#: The UN's two non-member observer states (General Assembly resolutions 58/314 and 67/19).
UN_OBSERVER_STATES = ("VAT", "PSE")

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


@dataclass(frozen=True)
class StateRecord:
    alpha3: str
    alpha2: str
    name: str
    un_status: str  # "member" or "observer"
    timezone: str


@cache
def un_member_alpha3() -> frozenset[str]:
    data = resources.files("country_converter").joinpath("country_data.tsv")
    with data.open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return frozenset(
            row["ISO3"] for row in rows if row.get("UNmember", "").strip() not in ("", "nan")
        )


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


def states() -> list[StateRecord]:
    """The 193 UN member states and the 2 observer states, sorted by code."""
    members = un_member_alpha3()
    zones = capital_zones()
    records = []
    for country in pycountry.countries:
        alpha3 = country.alpha_3
        if alpha3 in members:
            status = "member"
        elif alpha3 in UN_OBSERVER_STATES:
            status = "observer"
        else:
            continue
        name = getattr(country, "common_name", None) or country.name
        records.append(
            StateRecord(alpha3, country.alpha_2, name, status, zones.get(country.alpha_2, "UTC"))
        )
    return sorted(records, key=lambda r: r.alpha3)
