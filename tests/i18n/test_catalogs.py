"""The French catalog is complete: every message in the code has a French translation."""

from __future__ import annotations

import gettext
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "coalition" / "translations"


def _extract(tmp_path: Path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as handle:
        # (context, msgid): the same words may read differently in another context.
        return {
            (m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle) if m.id
        }


def _french():
    with (TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale="fr")


def test_every_message_in_the_code_is_translated_to_french(tmp_path):
    in_code = _extract(tmp_path)
    catalog = _french()
    missing = sorted(
        msgid
        for context, msgid in in_code
        if (msg := catalog.get(msgid, context=context)) is None
        or not (msg.string if isinstance(msg.string, str) else all(msg.string))
        or msg.fuzzy
    )
    assert not missing, f"{len(missing)} messages lack a French translation: {missing[:20]}"


def test_french_translations_keep_their_placeholders():
    problems = [
        (message.id, [str(e) for e in errors]) for message, errors in _french().check() if errors
    ]
    assert not problems, problems[:10]


def test_compiled_catalog_matches_the_po_file():
    catalog = _french()
    with (TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        m.id
        for m in catalog
        if m.id
        and isinstance(m.id, str)
        and m.string
        and (compiled.pgettext(m.context, m.id) if m.context else compiled.gettext(m.id))
        != m.string
    ]
    assert not stale, f"run `make translations`: messages.mo is older than messages.po: {stale[:5]}"
