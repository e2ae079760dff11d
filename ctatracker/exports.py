"""Table exports (CSV and Excel) that are safe to open in a spreadsheet.

A spreadsheet runs a cell as a formula when it starts with = + - or @ (or their full-width forms), also after
leading spaces, tabs or line breaks, and a CSV reader may start a new row at any bare carriage return or line feed.
So every line of a text cell whose first visible character is one of those gets a leading apostrophe (the cell
itself, and each line after a CR or LF inside it), cells starting with a tab or a carriage return get one too, and
every field holding a line break is written between quotes.
"""

from __future__ import annotations

import io
import re

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_CHARS = "=+-@\uff1d\uff0b\uff0d\uff20"
"""Characters that start a formula: = + - @ and their full-width forms."""
_BLANK = r"[\s\x00-\x1f\u00a0\u2000-\u200b\u2028\u2029\u3000\ufeff]*"
_FORMULA_LINE = re.compile(rf"(^|\r\n|\r|\n)(?={_BLANK}[{re.escape(FORMULA_CHARS)}])")
_BAD_START = ("\t", "\r")


def neutralise_text(value: str) -> str:
    """The text with an apostrophe before every line that a spreadsheet could read as a formula."""
    safe = _FORMULA_LINE.sub(lambda m: m.group(1) + "'", value)
    return "'" + safe if safe.startswith(_BAD_START) else safe


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a quote (numbers are left alone)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: neutralise_text(v) if isinstance(v, str) else v)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so that Excel reads accents) of a table; CRLF row ends, as spreadsheets expect.

    With CRLF as the row end, every field holding a CR or an LF is quoted, so a line break stays in its cell.
    """
    return neutralise_formulas(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_excel_bytes(frame: pd.DataFrame, sheet_name: str = "data") -> bytes:
    """An .xlsx workbook holding the table on one sheet (control characters Excel cannot store are dropped)."""
    buffer = io.BytesIO()
    clean = neutralise_formulas(frame)
    for column in clean.columns:
        if isinstance(clean[column].dtype, pd.DatetimeTZDtype):  # Excel cannot store time-zone-aware datetimes
            clean[column] = clean[column].dt.tz_localize(None)
        elif clean[column].dtype == object or pd.api.types.is_string_dtype(clean[column]):
            clean[column] = clean[column].map(
                lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        clean.to_excel(writer, index=False, sheet_name=sheet_name[:31])
    return buffer.getvalue()
