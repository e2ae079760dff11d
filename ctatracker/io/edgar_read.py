"""Read EDGAR's GHG booklet workbook (JRC/IEA, "GHG emissions of all world countries"): the sheet
`GHG_by_sector_and_country` (Substance, Sector, EDGAR Country Code, Country, one column per year, Mt per year) and
what the `info` and `citations and references` sheets say about the edition, its citation, units, GWP and
conditions of use.

The file is checked before it is parsed: its size, what it unpacks to, every sheet's rows and cells on the
archive itself (store/xlsx_guard.py; openpyxl reads parts of every sheet as it opens a workbook) and the sheet's
declared size; a sheet that runs past MAX_ROWS rows is refused while it is read, and reading stops after
MAX_PARSE_SECONDS from the first byte. Read with openpyxl in read-only mode (values, never formulas).
"""

from __future__ import annotations

import io
import re
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ctatracker.io.iea_read import MAX_PARSE_SECONDS, ImportRejected, Progress, deadline_passed, open_checked, quiet
from ctatracker.store.xlsx_guard import Limits

SHEET = "GHG_by_sector_and_country"
KEY_NAMES = ("Substance", "Sector", "EDGAR Country Code", "Country")
KEY_COLUMNS = tuple(n.casefold() for n in KEY_NAMES)
MAX_BYTES = 100 * 1024 * 1024
"""Largest workbook read (EDGAR's is 4 MB)."""
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
"""Largest size the workbook may unpack to (EDGAR's unpacks to 14 MB)."""
MAX_ROWS = 100_000
"""Rows read from the sheet (EDGAR's has about 4,900)."""
MAX_COLUMNS = 200
"""Columns read from the sheet (EDGAR's has 58: four names and one per year from 1970)."""
MAX_CELLS = 3_000_000
"""Cells per sheet, empty ones included (EDGAR's sheet has about 276,000)."""
LIMITS = Limits(max_unpacked=MAX_UNPACKED_BYTES, max_rows=MAX_ROWS, max_cells=MAX_CELLS, max_strings=MAX_CELLS)
MAX_TEXT_ROWS = 500
"""Rows read from each of the text sheets (info, citations and references)."""
LAYOUTS = {"edgar-workbook": "EDGAR's Excel workbook (GHG by sector and country)"}
VERSION = re.compile(r"EDGAR_(\d{4})_GHG")
REPORT = re.compile(r"GHG emissions of all world countries,?\s*(\d{4})\s*Report", re.IGNORECASE)
LICENCE = re.compile(r"CC[ -]?BY(?:-(?:NC|ND|SA)){0,2}[ -]4\.0|CC0[ -]1\.0")
GWP = re.compile(r"GWP[-_ ]?(\d+)[-_ ]?(AR\d)", re.IGNORECASE)
UNIT = re.compile(rf"{SHEET} sheet (?:are|is) expressed in ([^.;]+)", re.IGNORECASE)


@dataclass
class EdgarFile:
    """The sheet's rows and what the workbook says about itself."""

    name: str
    years: list[int]
    rows: list[tuple[int, tuple]]  # (sheet row, cells: substance, sector, code, country, then one per year)
    empty_rows: int = 0
    version: str | None = None  # EDGAR_2024_GHG
    version_year: int | None = None
    report_title: str | None = None  # "GHG emissions of all world countries, 2024 Report"
    report_year: int | None = None
    report_citation: str | None = None
    data_citation: str | None = None
    co2_citation: str | None = None
    website: str | None = None
    unit: str | None = None  # as the info sheet states it for the sheet, e.g. "Mt CO2eq/yr"
    gwp: str | None = None  # e.g. "GWP-100 AR5", from the info sheet
    licence: str | None = None  # EDGAR's own material, e.g. "CC BY 4.0"
    co2_licence: str | None = None  # IEA-EDGAR CO2 (fossil CO2), e.g. "CC BY-NC-ND 4.0"
    co2_contact: str | None = None  # whom to ask for other uses of IEA-EDGAR CO2
    notes: list[str] = field(default_factory=list)

    def cell(self, row: int, column: int) -> str:
        """'sheet GHG_by_sector_and_country cell E12' for a sheet row and a 0-based column."""
        return f"sheet {SHEET} cell {_letters(column)}{row}"


def _letters(column: int) -> str:
    out, n = "", column + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def looks_like(source: Path | str | bytes) -> bool:
    """Whether a file is an EDGAR workbook, told from its content (a workbook with the sheet
    GHG_by_sector_and_country), never its name. Reads only the workbook's list of sheets."""
    if isinstance(source, bytes):
        return _has_sheet(io.BytesIO(source))
    try:
        with Path(source).open("rb") as handle:
            return _has_sheet(handle)
    except OSError:
        return False


def _has_sheet(handle: BinaryIO) -> bool:
    if handle.read(4) != b"PK\x03\x04":
        return False
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            info = archive.getinfo("xl/workbook.xml")
            return info.file_size <= 5 * 1024 * 1024 and f'name="{SHEET}"'.encode() in archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return False


def _check_package(path: Path, name: str) -> None:
    """Refuse a workbook too large to read, or one that would unpack to too much, before openpyxl opens it."""
    if (size := path.stat().st_size) > MAX_BYTES:
        raise ImportRejected(f"{name} is {size / 1e6:.0f} MB; workbooks over {MAX_BYTES // 2**20} MB are refused")
    with path.open("rb") as f:
        if f.read(4) != b"PK\x03\x04":
            raise ImportRejected(f"{name} is not an Excel workbook (.xlsx); give EDGAR's workbook as the JRC "
                                 "publishes it")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportRejected(f"{name} is not a readable Excel workbook ({exc})") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportRejected(f"{name} unpacks to {unpacked / 1e9:.1f} GB; workbooks that unpack to more than "
                             f"{MAX_UNPACKED_BYTES // 2**20} MB are refused")


def _header(cells: tuple, name: str) -> tuple[list[int], list[int]]:
    """Positions of the four name columns, and (position, year) of the year columns, from the header row."""
    names = [str(c).strip().casefold() if c is not None else "" for c in cells]
    missing = [shown for k, shown in zip(KEY_COLUMNS, KEY_NAMES, strict=True) if k not in names]
    if missing:
        raise ImportRejected(f"{name}: the sheet {SHEET} lacks the column(s) {', '.join(missing)}; EDGAR's sheet "
                             "starts with Substance, Sector, EDGAR Country Code, Country, then one column per year")
    keys = [names.index(k) for k in KEY_COLUMNS]
    years = [(i, int(float(n))) for i, n in enumerate(names) if re.fullmatch(r"\d{4}(\.0)?", n)]
    if not years:
        raise ImportRejected(f"{name}: the sheet {SHEET} has no year columns (1970, 1971, ...)")
    return keys, years


def _sheet_rows(ws, name: str, progress: Progress) -> tuple[tuple, Iterator[tuple[int, tuple]]]:
    """The header row, then the data rows with their sheet row numbers; refuses a sheet too large to read."""
    rows, columns = ws.max_row or 0, ws.max_column or 0
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise ImportRejected(f"{name}: the sheet {SHEET} declares {rows:,} rows and {columns:,} columns; at most "
                             f"{MAX_ROWS:,} rows and {MAX_COLUMNS} columns are read")
    total = max(rows - 1, 1)
    ws.reset_dimensions()  # read the rows really there, never padded to a declared size
    cells = ws.iter_rows(max_col=columns or MAX_COLUMNS + 1, values_only=True)
    header = next(cells, ())
    if len(header) > MAX_COLUMNS and any(v is not None for v in header[MAX_COLUMNS:]):
        raise ImportRejected(f"{name}: the sheet {SHEET} has more than {MAX_COLUMNS} columns")

    def data() -> Iterator[tuple[int, tuple]]:
        step = max(total // 10, 1)
        for number, row in enumerate(cells, start=2):
            if number - 1 > MAX_ROWS:
                raise ImportRejected(f"{name}: the sheet {SHEET} runs past {MAX_ROWS:,} rows; EDGAR's has about "
                                     "5,000, so this is not EDGAR's workbook")
            if (number - 1) % step == 0:
                progress(0.05 + 0.55 * min((number - 1) / total, 1.0), f"Read {number - 1:,} of about {total:,} rows")
            yield number, row
    return header, data()


def _texts(book, title: str) -> list[str]:
    """The non-empty text cells of a sheet, in reading order (at most MAX_TEXT_ROWS rows)."""
    ws = next((w for w in book.worksheets if w.title.strip().casefold() == title), None)
    if ws is None:
        return []
    ws.reset_dimensions()
    found = []
    for row in ws.iter_rows(max_row=MAX_TEXT_ROWS, max_col=30, values_only=True):
        found += [" ".join(c.split()) for c in row if isinstance(c, str) and c.strip()]
    return found


def _after(texts: list[str], label: str) -> str | None:
    """The text that follows the cell starting with `label` ('How to cite this report')."""
    for i, text in enumerate(texts[:-1]):
        if text.casefold().startswith(label.casefold()):
            return texts[i + 1]
    return None


def _describe(raw: EdgarFile, info: list[str], cites: list[str]) -> None:
    """What the info and citations sheets say: edition, citations, website, unit, GWP and conditions of use."""
    for text in cites + info:
        if raw.version is None and (m := VERSION.search(text)):
            raw.version, raw.version_year = m.group(0), int(m.group(1))
        if raw.report_title is None and (m := REPORT.search(text)):
            raw.report_title, raw.report_year = m.group(0), int(m.group(1))
    raw.report_citation = _after(info, "How to cite this report") or _after(cites, "How to cite the content")
    data = _after(cites, "How to cite the use of underlying data")
    raw.data_citation = data
    raw.co2_citation = next((t for t in cites if t.startswith("IEA-EDGAR CO2") and "component" in t), None)
    raw.website = next((m.group(0).rstrip(".,)") for t in info if t.casefold().startswith("website")
                        for m in [re.search(r"https?://\S+", t)] if m), None)
    raw.unit = next((m.group(1).strip() for t in info if (m := UNIT.search(t))), None)
    raw.gwp = next((f"GWP-{m.group(1)} {m.group(2).upper()}" for t in info if "warming potential" in t.casefold()
                    for m in [GWP.search(t)] if m), None)
    for text in cites:
        names = [" ".join(n.replace("-", " ", 1).split()) if n.startswith("CC-") else n for n in LICENCE.findall(text)]
        if not names:
            continue
        if text.startswith("IEA-EDGAR CO2") and raw.co2_licence is None:
            raw.co2_licence = names[-1]
            if m := re.search(r"contact (?:the )?IEA at (\S+@[\w.]+\w)", text):
                raw.co2_contact = m.group(1)
        elif raw.licence is None:
            raw.licence = names[0]


def read_workbook(path: Path, name: str, progress: Progress = quiet, deadline: float | None = None) -> EdgarFile:
    """Read EDGAR's workbook (checked first; ImportRejected with one plain line when it cannot be read)."""
    deadline = time.monotonic() + MAX_PARSE_SECONDS if deadline is None else deadline
    _check_package(path, name)
    progress(0.02, f"Opening {name}")
    book, handle = open_checked(path, name, LIMITS, deadline)
    try:
        ws = next((w for w in book.worksheets if w.title.strip() == SHEET), None)
        if ws is None:
            raise ImportRejected(f"{name} has no sheet {SHEET}: give EDGAR's GHG booklet workbook "
                                 "(EDGAR_<year>_GHG_booklet_<year>.xlsx)")
        header, data = _sheet_rows(ws, name, progress)
        keys, years = _header(header, name)
        picks = keys + [i for i, _ in years]
        raw = EdgarFile(name, [y for _, y in years], [])
        for number, row in data:
            if number % 1000 == 0:
                deadline_passed(deadline, name)
            cells = tuple(row[p] if p < len(row) else None for p in picks)
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                raw.empty_rows += 1
                continue
            raw.rows.append((number, cells))
        _describe(raw, _texts(book, "info"), _texts(book, "citations and references"))
    except ImportRejected:
        raise
    except Exception as exc:  # a malformed sheet part (an undefined entity, broken XML)
        raise ImportRejected(f"{name} is not a readable Excel workbook ({type(exc).__name__}: "
                             f"{str(exc)[:200]})") from None
    finally:
        book.close()
        handle.close()
    if not raw.rows:
        raise ImportRejected(f"{name}: the sheet {SHEET} has a header but no data rows")
    progress(0.6, f"Read {len(raw.rows):,} rows")
    return raw


def read(source: Path | str | bytes, name: str | None = None, progress: Progress = quiet,
         deadline: float | None = None) -> EdgarFile:
    """Read an EDGAR workbook from a path or the bytes of an upload. ImportRejected when it cannot be read; reading
    stops MAX_PARSE_SECONDS after it started (or at `deadline`, a time.monotonic() value)."""
    deadline = time.monotonic() + MAX_PARSE_SECONDS if deadline is None else deadline
    if isinstance(source, bytes):
        with tempfile.NamedTemporaryFile(prefix="edgar-upload-", suffix=".xlsx", delete=False) as tmp:
            tmp.write(source)
        try:
            return read(Path(tmp.name), name or "the uploaded file", progress, deadline)
        finally:
            Path(tmp.name).unlink(missing_ok=True)
    path = Path(source)
    name = name or path.name
    if path.is_dir():
        raise ImportRejected(f"{name} is a folder, not a file: give EDGAR's .xlsx workbook")
    if not path.is_file():
        raise ImportRejected(f"{name}: no such file")
    if path.stat().st_size == 0:
        raise ImportRejected(f"{name} is empty")
    return read_workbook(path, name, progress, deadline)
