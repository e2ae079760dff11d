"""Table exports (CSV and Excel) that stand alone, that data tools read and that are safe to open in a spreadsheet.

A download says what it holds: its file name names the table and the date of its data
(`gap-30pct-ev-sales-share-by-2030-2026-11-30.csv`), and its `ExportMeta` gives its title, indicator, unit, target,
the date of the data, its sources (name, link, licence, credit line, when it was read) and terms. The CSV is the
table alone, its header row first, so that any CSV reader takes it as it is; the description travels beside it,
in the "CSV with metadata" zip (`table_bundle.py`: the CSV, a Frictionless `datapackage.json` and a README). In
Excel it is a second sheet, "About", and every column has a width that fits its content.

A spreadsheet runs a cell as a formula when it starts with = + - or @ (or their full-width forms), also after
leading spaces, tabs or line breaks, and a CSV reader may start a new row at any bare carriage return or line feed.
So every line of a text cell whose first visible character is one of those gets a leading apostrophe (the cell
itself, and each line after a CR or LF inside it), cells starting with a tab or a carriage return get one too, and
every field holding a line break is written between quotes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

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


TRACKER_TERMS = ("Compiled by the Clean Transport Asia Tracker (Asia LEDS Partnership). Each figure stays under "
                 "its source's terms, listed with the sources; cite the source and the tracker.")
IEA_TERMS = "IEA data: © IEA, licensed under Creative Commons Attribution 4.0 (CC BY 4.0)."
TRACKER_NAME = "Clean Transport Asia Tracker, Asia LEDS Partnership"
"""How the tracker is cited."""
OWN_DATA_TERMS = ("The tracker's own data (implementation stages, summaries, needs, the compilation) is under "
                  "Creative Commons Attribution 4.0 (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/); "
                  "rows from other sources keep their source's licence.")


class Cited(NamedTuple):
    """A source cited by the rows of a download."""

    name: str
    """'Publisher (year), title'."""
    url: str | None = None
    licence: str | None = None
    """The licence as people write it ('CC BY 4.0'); None: the source names none."""
    credit: str | None = None
    """The credit line its licence asks for ('Source: IEA (2025), Global EV Data Explorer, CC BY 4.0')."""
    licence_url: str | None = None
    accessed: dt.date | None = None
    """When its page was read; None: not recorded."""


@dataclass(frozen=True)
class ExportMeta:
    """What a downloaded table is: shown as its About sheet (Excel) and in the metadata beside its CSV."""

    title: str
    as_of: dt.date
    indicator: str | None = None
    unit: str | None = None
    target: str | None = None
    sources: Sequence[Cited] = field(default_factory=tuple)
    """Each source cited by the rows: a `Cited` (a plain tuple of its first fields, e.g. (name, url, licence),
    becomes one)."""
    notes: Sequence[str] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", tuple(Cited(*s) for s in self.sources))
        object.__setattr__(self, "notes", tuple(self.notes))

    def terms(self) -> str:
        """The terms line: the tracker's, and IEA's CC BY 4.0 when an IEA source is cited."""
        iea = any("iea" in f"{s.name} {s.url}".lower() for s in self.sources)
        return TRACKER_TERMS + (" " + IEA_TERMS if iea else "")

    def lines(self) -> list[tuple[str, str]]:
        """(label, text) pairs, in the order they are written."""
        out = [("Title", self.title)]
        out += [(label, value) for label, value in (("Indicator", self.indicator), ("Unit", self.unit),
                                                    ("Target", self.target)) if value]
        out.append(("Data as of", day_words(self.as_of)))
        for s in self.sources:
            out.append(("Source", "; ".join(p for p in (s.name, s.url, f"licence: {s.licence}" if s.licence else None,
                                                        accessed_words(s.accessed)) if p)))
            if s.credit:
                out.append(("Credit line", s.credit))
        if not self.sources:
            out.append(("Source", f"{TRACKER_NAME}: the tracker's own compilation"))
        out += [("Note", n) for n in self.notes]
        out += [("Terms", self.terms()), ("Licence", OWN_DATA_TERMS)]
        return [(label, " ".join(str(text).split())) for label, text in out]


def day_words(day: dt.date) -> str:
    """'3 March 2025'."""
    return f"{day.day} {day:%B %Y}"


def accessed_words(day: dt.date | None) -> str:
    """'read on 3 March 2025', or that the date it was read is not recorded."""
    return f"read on {day_words(day)}" if day else "date read: not recorded"


def file_name(*parts: object, as_of: dt.date | None = None) -> str:
    """'gap-30pct-ev-sales-share-2026-11-30': the words of what a file holds and the date of its data (parts that are
    None or missing are left out)."""
    words = "-".join(str(p) for p in parts if not (pd.api.types.is_scalar(p) and pd.isna(p)) and str(p).strip())
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower().replace("%", "pct")).strip("-") or "table"
    return f"{slug[:80].rstrip('-')}-{as_of:%Y-%m-%d}" if as_of else slug[:80].rstrip("-")


def as_shown(frame: pd.DataFrame, *, years: Iterable[str] = (), decimals: dict[str, int] | None = None,
             percent: Iterable[str] = ()) -> pd.DataFrame:
    """The table as the screen shows it: years as whole numbers, values rounded, fractions as percent."""
    out = frame.copy()
    for column in years:
        if column in out:
            out[column] = pd.to_numeric(out[column], errors="coerce").round().astype("Int64")
    for column in percent:
        if column in out:
            out[column] = pd.to_numeric(out[column], errors="coerce") * 100
    for column, places in (decimals or {}).items():
        if column in out:
            out[column] = pd.to_numeric(out[column], errors="coerce").round(places)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so that Excel reads accents) of a table: its header row first, then its rows, nothing
    else; CRLF row ends, as spreadsheets expect.

    With CRLF as the row end, every field holding a CR or an LF is quoted, so a line break stays in its cell.
    """
    return neutralise_formulas(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_excel_bytes(frame: pd.DataFrame, sheet_name: str = "data", meta: ExportMeta | None = None) -> bytes:
    """An .xlsx workbook holding the table on one sheet, with column widths that fit, and with `meta` an About
    sheet describing it (control characters Excel cannot store are dropped)."""
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
        _fit_widths(writer.sheets[sheet_name[:31]], clean)
        if meta is not None:
            about = neutralise_formulas(pd.DataFrame(meta.lines(), columns=["About this table", ""]))
            about.to_excel(writer, index=False, sheet_name="About")
            writer.sheets["About"].column_dimensions["A"].width = 18
            writer.sheets["About"].column_dimensions["B"].width = 110
    return buffer.getvalue()


def _fit_widths(sheet: object, frame: pd.DataFrame) -> None:
    """Each column as wide as its header or its longest cell (between 8 and 60 characters)."""
    for i, column in enumerate(frame.columns, start=1):
        longest = max([len(str(column)), *(len(str(v)) for v in frame[column].head(2000) if v is not None)])
        sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
