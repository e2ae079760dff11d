"""Helpers for the EDGAR importer tests: small workbooks cut from the real one (its own rows and texts), and
broken variants of them."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from openpyxl import Workbook, load_workbook

from ctatracker.config import PROJECT_ROOT
from ctatracker.io.edgar_read import SHEET

REAL = PROJECT_ROOT / "data" / "external" / "EDGAR_2024_GHG_booklet_2024.xlsx"
CODES = ("LKA", "IND", "KOR", "JPN", "GLOBAL TOTAL", "AIR")
"""Sri Lanka, India, Korea (tracker countries), Japan (not covered), two aggregates."""
TRACKER = {"LKA": "Sri Lanka", "IND": "India", "KOR": "Republic of Korea", "VNM": "Viet Nam"}
"""The countries of the small test database (Viet Nam is in it but not in the small workbook)."""


@cache
def real_parts() -> tuple[tuple[tuple, ...], tuple[tuple, ...], tuple, tuple[tuple, ...]]:
    """The real workbook's info rows, citation rows, sheet header and sheet rows (read once per session)."""
    book = load_workbook(REAL, read_only=True, data_only=True)
    try:
        info = tuple(book["info"].iter_rows(values_only=True))
        cites = tuple(book["citations and references"].iter_rows(values_only=True))
        rows = tuple(book[SHEET].iter_rows(values_only=True))
    finally:
        book.close()
    return info, cites, rows[0], rows[1:]


def real_row(substance: str, code: str, sector: str = "Transport") -> tuple:
    """One row of the real sheet."""
    return next(r for r in real_parts()[3] if (r[0], r[1], r[2]) == (substance, sector, code))


def year_column(year: int) -> int:
    """0-based position of a year's column in the sheet."""
    return list(real_parts()[2]).index(year)


def small_workbook(out: Path, *, codes: tuple[str, ...] = CODES, version: str | None = None,
                   edit: Callable[[list[list]], None] | None = None, info: bool = True,
                   citations: bool = True) -> Path:
    """A workbook in EDGAR's layout with the real rows of `codes` (Transport CO2, CH4, N2O; Waste CH4 for the first
    code; a Processes F-gases row), an empty row, and the real info and citation sheets; `version` replaces
    EDGAR_2024_GHG (and the report year) in the texts; `edit` may change the sheet's rows (header first)."""
    info_rows, cite_rows, header, data = real_parts()
    year = version.split("_")[1] if version else None

    def text(row: tuple) -> list:
        return [c.replace("EDGAR_2024_GHG", version).replace("2024 Report", f"{year} Report")
                if version and isinstance(c, str) else c for c in row]

    book = Workbook()
    book.active.title = "info"
    if info:
        for row in info_rows:
            book.active.append(text(row))
    if citations:
        ws = book.create_sheet("citations and references")
        for row in cite_rows:
            ws.append(text(row))
    rows = [list(header)]
    for code in codes:
        rows += [list(r) for r in data if r[2] == code and r[1] == "Transport"]
    rows.append([None] * len(header))
    rows.append(list(real_row("GWP_100_AR5_CH4", codes[0], "Waste")))
    rows += [list(r) for r in data if r[0] == "GWP_100_AR5_F-gases" and r[2] == "JPN"][:1]
    if edit:
        edit(rows)
    sheet = book.create_sheet(SHEET)
    for row in rows:
        sheet.append(row)
    book.save(out)
    return out
