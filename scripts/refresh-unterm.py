#!/usr/bin/env python3
"""Refresh coalition/participants/data/unterm.csv from the data inside two PyPI wheels.

The names of states are the UN's: the UN Terminology (UNTERM) short names in the six
official languages, the English formal name and the M49 region, sub-region and
intermediate region, as OCHA's Countries & Territories taxonomy carries them. That
taxonomy ships as a CSV inside the `hdx-python-country` wheel. Which states are UN
members comes from the `country-converter` wheel's data table.

The app does not depend on either package: hdx-python-country pulls in some 56 packages
(frictionless, pydantic, openpyxl, requests, rich, typer…) and by default fetches a live
feed over the network; country-converter pulls in pandas. A web app needs 195 rows of
reference data, so the wheels are downloaded (without their dependencies), read as zip
files, and the rows the app needs are written to the data file, as
scripts/vendor-assets.sh does for the CSS. Review the diff of the data file, commit it,
then run `flask --app coalition seed` on each database to update the stored names.

    .venv/bin/python scripts/refresh-unterm.py            # newest versions
    HDX_PYTHON_COUNTRY_VERSION=4.2.5 .venv/bin/python scripts/refresh-unterm.py
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "coalition" / "participants" / "data"

#: The UN's two non-member observer states (General Assembly resolutions 58/314 and 67/19).
OBSERVER_STATES = {"VAT", "PSE"}
#: In the taxonomy's column order of the UN: Arabic, Chinese, English, French, Russian, Spanish.
LANGUAGES = {
    "ar": "Arabic Short",
    "zh": "Chinese Short",
    "en": "English Short",
    "fr": "French Short",
    "ru": "Russian Short",
    "es": "Spanish Short",
}
#: Other English names the taxonomy knows a state by: searchable, never displayed.
ALTERNATIVE_NAMES = (
    "Preferred Term",
    "ISO Alt Term",
    "DGACM Alt Term",
    "HPC Tools Alt Term",
    "RW Short Name",
    "RW API Alt Term",
)
COLUMNS = [
    "iso_alpha3",
    "iso_alpha2",
    "m49",
    "un_status",
    *(f"name_{language}" for language in LANGUAGES),
    "formal_name_en",
    "region_code",
    "region_name_en",
    "subregion_code",
    "subregion_name_en",
    "intermediate_region_code",
    "intermediate_region_name_en",
    "alternative_names_en",
    "search_pattern",
]


def download(requirement: str, into: Path) -> Path:
    """The wheel of *requirement* (no dependencies), through pip's configured index."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
    command += ["--only-binary=:all:", "--dest", str(into), requirement]
    subprocess.run(command, check=True)  # noqa: S603  (our own interpreter, no shell)
    name = requirement.split("=")[0].replace("-", "_").lower()
    return next(p for p in into.glob("*.whl") if p.name.lower().startswith(name + "-"))


def read_member(wheel: Path, suffix: str) -> str:
    with zipfile.ZipFile(wheel) as archive:
        (member,) = [n for n in archive.namelist() if n.endswith(suffix)]
        return archive.read(member).decode("utf-8")


def m49(code: str) -> str:
    return f"{int(code):03d}" if code.strip() else ""


def clean(text: str) -> str:
    return " ".join(text.split())


def main() -> None:
    hdx_version = os.environ.get("HDX_PYTHON_COUNTRY_VERSION")
    coco_version = os.environ.get("COUNTRY_CONVERTER_VERSION")
    with tempfile.TemporaryDirectory() as work:
        hdx = download(
            "hdx-python-country" + (f"=={hdx_version}" if hdx_version else ""), Path(work)
        )
        coco = download(
            "country-converter" + (f"=={coco_version}" if coco_version else ""), Path(work)
        )
        taxonomy = read_member(hdx, "C&T Taxonomy.csv")
        coco_table = read_member(coco, "country_data.tsv")
        licence = read_member(hdx, "LICENSE")
        digest = hashlib.sha256(hdx.read_bytes()).hexdigest()
        hdx_name, coco_name = hdx.name, coco.name

    members = {
        row["ISO3"]
        for row in csv.DictReader(io.StringIO(coco_table), delimiter="\t")
        if row.get("UNmember", "").strip() not in ("", "nan")
    }
    wanted = members | OBSERVER_STATES
    unterm = {
        row["ISO 3166-1 Alpha 3-Codes"]: row
        for row in csv.DictReader(io.StringIO(taxonomy))
        if row["Appears in UNTERM list"] == "Y" and row["Deprecated"] != "Y"
    }
    missing = wanted - set(unterm)
    if len(members) != 193 or missing:
        sys.exit(f"expected 193 members, all in UNTERM: {len(members)} members, missing {missing}")

    rows = []
    for alpha3 in sorted(wanted):
        source = unterm[alpha3]
        names = {f"name_{lang}": clean(source[column]) for lang, column in LANGUAGES.items()}
        if not all(names.values()):
            sys.exit(f"{alpha3} lacks a name in one of the six languages: {names}")
        alternatives = []
        for column in ALTERNATIVE_NAMES:
            for alternative in source[column].split("|"):
                alternative = clean(alternative)
                if alternative and alternative not in [*alternatives, names["name_en"]]:
                    alternatives.append(alternative)
        rows.append(
            {
                "iso_alpha3": alpha3,
                "iso_alpha2": source["ISO 3166-1 Alpha 2-Codes"],
                "m49": m49(source["m49 numerical code"]),
                "un_status": "observer" if alpha3 in OBSERVER_STATES else "member",
                **names,
                "formal_name_en": clean(source["English Formal"]),
                "region_code": m49(source["Region Code"]),
                "region_name_en": clean(source["Region Name"]),
                "subregion_code": m49(source["Sub-region Code"]),
                "subregion_name_en": clean(source["Sub-region Name"]),
                "intermediate_region_code": m49(source["Intermediate Region Code"]),
                "intermediate_region_name_en": clean(source["Intermediate Region Name"]),
                "alternative_names_en": ";".join(alternatives),
                "search_pattern": source["Regex"].strip(),
            }
        )

    DATA.mkdir(parents=True, exist_ok=True)
    with (DATA / "unterm.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    (DATA / "NOTICE.md").write_text(
        NOTICE.format(hdx=hdx_name, coco=coco_name, sha=digest, licence=licence.strip()),
        encoding="utf-8",
    )
    left_out = sorted(set(unterm) - wanted)
    print(f"wrote {len(rows)} states to {DATA / 'unterm.csv'} from {hdx_name}")
    print(f"in UNTERM's list but neither UN members nor observer states: {', '.join(left_out)}")


NOTICE = """\
# unterm.csv: where the names of states come from

`unterm.csv` is written by `scripts/refresh-unterm.py`; do not edit it by hand.

- **Names, formal names, M49 codes and regions**: the Countries & Territories Taxonomy of
  the UN Office for the Coordination of Humanitarian Affairs (OCHA), as shipped in the
  Python package `hdx-python-country` ({hdx}, sha256 {sha}). Its short and formal
  names are those of UN Terminology (UNTERM, unterm.un.org) in Arabic, Chinese, English,
  French, Russian and Spanish; its regions are the UN Statistics Division's M49 standard.
  The taxonomy has no formal names other than English, and names regions in English
  only: the interface translates region names through its message catalogs.
- **Which states are UN members**: the data table of `country-converter` ({coco});
  the two observer states, the Holy See and the State of Palestine, are added by name.
- `alternative_names_en` lists other English names the taxonomy knows a state by, and
  `search_pattern` is the taxonomy's regular expression for English names old and new
  ("turkey|t(ü|u)rkiye", from the R package countrycode): the app searches with them
  and never displays them.

Licence and attribution: `hdx-python-country` is published under the MIT licence below
and ships the taxonomy file with no other licence stated for it; the taxonomy is
published by OCHA as an open vocabulary (vocabulary.unocha.org). Credit: OCHA Centre for
Humanitarian Data (taxonomy), UN Terminology (names), UN Statistics Division (M49).

```
{licence}
```
"""


if __name__ == "__main__":
    main()
