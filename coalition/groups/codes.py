"""Reading participant codes from what staff paste or upload: a list typed or pasted
(`GHA, FRA, deu`), or a CSV file — one column of codes, or a roster exported by this
application (its `code` column).

Files come from spreadsheets in every encoding: UTF-8 with or without a byte-order
mark, UTF-16 with one (Excel's "Unicode text"), or a Windows/Latin-1 one. Each problem
gets its own clear message (InvalidValue about the field `file`); nothing is read half.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from flask_babel import lazy_gettext as _

from coalition import limits
from coalition.errors import InvalidValue

#: Commas, semicolons and any white space separate pasted codes.
_SEPARATORS = re.compile(r"[,;\s]+")
#: Column names under which a file may carry the codes (compared case-insensitively).
CODE_COLUMNS = ("code", "participant_code", "participant code")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def split_pasted(text: str | None) -> list[str]:
    """The codes in a pasted text, in order (duplicates are the bulk service's to merge)."""
    codes = [c for c in _SEPARATORS.split(text or "") if c]
    if len(codes) > limits.BULK_ROWS_MAX:
        raise InvalidValue(_too_many(len(codes)), field="codes")
    return codes


def _too_many(n: int) -> str:
    return str(
        _(
            "%(count)s codes were given; at most %(n)s participants can be changed at once. "
            "Split the list.",
            count=n,
            n=limits.BULK_ROWS_MAX,
        )
    )


def _error(message: object) -> InvalidValue:
    return InvalidValue(message, field="file")


def decode(data: bytes) -> str:
    """The file's text: a byte-order mark decides (UTF-8, UTF-16); else UTF-8; else the
    Windows (Latin-1) code page, which is what older spreadsheets write."""
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in data:
        # UTF-16 without its mark, or not text at all (a spreadsheet's binary format).
        raise _error(
            _(
                "This file is not a CSV text file (it may be UTF-16 without a byte-order "
                "mark, or a spreadsheet's own format). Save it as “CSV UTF-8” and send it "
                "again."
            )
        )
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise _error(
                _("This file is damaged: it does not decode as %(encoding)s.", encoding="UTF-16")
            ) from None
        text = (
            data.decode("cp1252", errors="strict") if _is_cp1252(data) else data.decode("latin-1")
        )
    if _CONTROL.search(text):
        raise _error(
            _("This file is not a CSV text file. Save it as “CSV UTF-8” and send it again.")
        )
    return text


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def read_csv(data: bytes) -> list[str]:
    """The codes of an uploaded CSV file, in order: the column named `code` (a roster
    exported here), else the first column. Raises InvalidValue (field `file`) naming
    the problem: empty, not text, not CSV, no codes, too many rows."""
    if not data.strip():
        raise _error(_("The file is empty."))
    text = decode(data)
    if not text.strip():
        raise _error(_("The file is empty."))
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel  # one column: nothing to sniff, commas will do
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect, strict=True)
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            rows.append((reader.line_num, row))
            if len(rows) > limits.BULK_ROWS_MAX + 1:  # one more: a header row
                raise _error(_too_many_rows())
    except csv.Error as error:
        raise _error(
            _(
                "This file is not valid CSV (line %(line)s: %(problem)s). Check its quotes, "
                "or send a plain column of codes.",
                line=reader.line_num,
                problem=str(error),
            )
        ) from None
    if not rows:
        raise _error(_("The file is empty."))
    column = _code_column(rows[0][1])
    if column is not None:
        rows = rows[1:]
    else:
        column = 0
    codes = [
        row[column].strip() for _line, row in rows if len(row) > column and row[column].strip()
    ]
    if not codes:
        raise _error(_("The file has no participant code in its “code” column."))
    if len(codes) > limits.BULK_ROWS_MAX:
        raise _error(_too_many_rows())
    return codes


def _too_many_rows() -> str:
    return str(
        _(
            "The file has more than %(n)s rows: at most %(n)s participants can be changed "
            "at once. Split the file.",
            n=limits.BULK_ROWS_MAX,
        )
    )


def _code_column(header: list[str]) -> int | None:
    names = [cell.strip().casefold() for cell in header]
    for name in CODE_COLUMNS:
        if name in names:
            return names.index(name)
    return None
