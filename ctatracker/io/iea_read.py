"""Read an IEA Global EV Data Explorer file into an in-memory DuckDB table, whatever layout IEA published it in.

Layouts are told apart by the file's content, never its name:

- `workbook`: IEA's Excel workbook (e.g. EVDataExplorer2025.xlsx). The long table is on the sheet named
  `GEVO_EV_<year>`, else on the first sheet whose first row is the IEA header. Values only; the formula column
  (`Aggregate group`) and any other extra column are ignored.
- `csv-export`: a CSV export of that sheet (`region_country,...,value,Aggregate group`).
- `csv-older`: the older CSV layout (`region,category,parameter,mode,powertrain,year,unit,value`), with CRLF or LF
  line endings, with or without a byte-order mark.

The table `raw` holds the eight core columns as text, in file order (its rowid + 2 is the line of a CSV without
blank lines, or the sheet row); `RawFile.where` turns rowids back into the lines a person can find.

Limits, checked before a file is parsed and counted from the first byte (IEA's 2025 workbook is 1 MB, unpacks to
11 MB, holds 16,437 rows and is read in about 2 s): MAX_BYTES, MAX_UNPACKED_BYTES, MAX_ROWS, MAX_CELLS per sheet
(every sheet of a workbook: openpyxl reads them as it opens one), MAX_LINE_BYTES per CSV line, one kind of line
ending per CSV, and MAX_PARSE_SECONDS in all.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ctatracker.io import csv_lines
from ctatracker.store.xlsx_guard import Limits, WorkbookRefused, check

CORE = ("region", "category", "parameter", "mode", "powertrain", "year", "unit", "value")
ALIASES = {"region_country": "region"}
MAX_BYTES = 100 * 1024 * 1024
"""Largest file read (IEA's workbook is 1 MB, its CSV export 2 MB)."""
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""Largest size a workbook may unpack to (IEA's 2025 workbook: 11 MB)."""
MAX_ROWS = 200_000
"""Rows per sheet or CSV, empty ones included (IEA's 2025 workbook: 16,437)."""
MAX_CELLS = 3_000_000
"""Cells per sheet, empty ones included (IEA's 2025 sheet: 148,000)."""
MAX_LINE_BYTES = 64 * 1024
"""Longest CSV line (IEA's are under 200 characters)."""
MAX_PARSE_SECONDS = 60.0
"""Time to read a file, from its first byte (IEA's 2025 workbook: about 2 s)."""
WORKBOOK_LIMITS = Limits(max_unpacked=MAX_UNPACKED_BYTES, max_rows=MAX_ROWS, max_cells=MAX_CELLS,
                         max_strings=MAX_CELLS)
MIN_EDITION = 2000
"""Earliest edition year accepted (IEA's Global EV Outlook began in 2013; EDGAR's versions are later still)."""
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SHEET = re.compile(r"^GEVO_EV_(\d{4})$", re.IGNORECASE)
CITATION = re.compile(r"IEA \((\d{4})\),\s*(Global E(?:lectric )?V(?:ehicle)? Outlook \d{4}|Global EV Data Explorer)")
LAYOUTS = {"workbook": "IEA's Excel workbook", "csv-export": "CSV export of IEA's workbook (region_country, ...)",
           "csv-older": "older IEA CSV (region, ...)"}
SHOWN = 5
"""How many lines a message names before 'and N more'."""

Progress = Callable[[float, str], None]


def printable(text: object) -> str:
    """Text from a file made safe to print to a terminal or a page: control characters (an ANSI escape's ESC,
    a carriage return) and direction overrides shown as their codes, e.g. \\x1b, never acted on."""
    return _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), str(text))


class ImportRejected(Exception):
    """The file or its data cannot be imported; nothing was written. The message says why and where (text quoted
    from the file is made printable)."""

    def __init__(self, message: str, problems: Sequence[str] = ()):
        self.problems = [printable(p) for p in problems]
        super().__init__(printable(message) + "".join(f"\n  {p}" for p in self.problems))


def check_edition(edition: int | None) -> int | None:
    """The edition year a person gave, checked to be a plausible year (ImportRejected if not); None if none."""
    latest = dt.date.today().year + 1
    if edition is not None and not MIN_EDITION <= edition <= latest:
        raise ImportRejected(f"the edition {edition} is not an edition year: give the year of the edition, from "
                             f"{MIN_EDITION} to {latest} (--edition YEAR)")
    return edition


def deadline_passed(deadline: float, name: str) -> None:
    """ImportRejected when reading has gone on past its time limit."""
    if time.monotonic() > deadline:
        raise ImportRejected(f"{name}: reading took longer than {MAX_PARSE_SECONDS:.0f} seconds; this is not "
                             "a file as IEA publishes it")


def quiet(_fraction: float, _message: str) -> None:
    """A progress callback that says nothing."""


@dataclass
class RawFile:
    """One IEA file read into `con` (table `raw`), with what its content says about the edition."""

    name: str
    layout: str  # workbook, csv-export or csv-older (see LAYOUTS)
    con: duckdb.DuckDBPyConnection
    rows: int
    sheet: str | None = None
    sheet_year: int | None = None  # from the sheet name GEVO_EV_<year>
    citation: str | None = None  # IEA's citation from the Notes sheet
    citation_year: int | None = None
    path: Path | None = None  # the CSV, to count back the blank lines DuckDB skipped (only when naming lines)
    temporary: bool = False  # the path is a copy of an upload, removed by close()
    _blank: list[int] | None = field(default=None, repr=False)

    def where(self, rowids: Sequence[int], total: int | None = None) -> str:
        """'line 3, 7 and 12 more' (CSV) or 'sheet GEVO_EV_2025 row 5' (workbook) for these rows."""
        lines = sorted(self._line(int(r)) for r in rowids)[:SHOWN]
        total = len(rowids) if total is None else total
        more = f" and {total - len(lines)} more" if total > len(lines) else ""
        label = f"sheet {self.sheet} row" if self.layout == "workbook" else "line"
        return f"{label}{'s' if total > 1 else ''} {', '.join(map(str, lines))}{more}"

    def _line(self, rowid: int) -> int:
        line = rowid + 2  # the header is line 1
        if self._blank is None:
            self._blank = _blank_lines(self.path) if self.path and self.layout != "workbook" else []
        for blank in self._blank:  # DuckDB skips blank lines; count them back in
            if blank <= line:
                line += 1
        return line

    def close(self) -> None:
        self.con.close()
        if self.temporary and self.path:
            self.path.unlink(missing_ok=True)


def _blank_lines(path: Path) -> list[int]:
    """Line numbers of blank lines after the header (DuckDB skips them, which would shift line numbers)."""
    found = []
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            if number > 1 and not line.strip():
                found.append(number)
    return found


def _check_utf8(path: Path, name: str) -> None:
    """Reject a CSV that is not UTF-8, naming the first bad byte's line."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line += chunk[: exc.start].count(b"\n")
                raise ImportRejected(f"{name} is not UTF-8 (byte 0x{chunk[exc.start]:02x} on line {line}); "
                                     "save it as 'CSV UTF-8' or give IEA's .xlsx workbook") from None
            line += chunk.count(b"\n")


def _header(cells: Sequence[object]) -> dict[str, int]:
    """Core column name -> position, from a header row (names trimmed and matched without case)."""
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        name = str(cell).strip().lstrip("\ufeff").casefold() if cell is not None else ""
        name = ALIASES.get(name, name)
        if name in CORE and name not in found:
            found[name] = i
    return found


def _missing(name: str, header: dict[str, int]) -> ImportRejected:
    missing = [c for c in CORE if c not in header]
    return ImportRejected(f"{name} lacks column(s): {', '.join(missing)}; an IEA Global EV Data Explorer file has "
                          f"{', '.join(CORE)} (the 2025 layout names the first 'region_country')")


CSV_LIMITS = csv_lines.LineLimits(max_lines=MAX_ROWS + 1, max_line_bytes=MAX_LINE_BYTES,
                                  typical="under 200 characters in IEA's files")


def read_csv(path: Path, name: str, progress: Progress = quiet, deadline: float | None = None) -> RawFile:
    """Read a CSV of either IEA layout with DuckDB (every column as text), its lines checked first."""
    deadline = time.monotonic() + MAX_PARSE_SECONDS if deadline is None else deadline
    if problem := csv_lines.problem(path, name, CSV_LIMITS, deadline, MAX_PARSE_SECONDS):
        raise ImportRejected(problem)
    with path.open("rb") as f:
        first = f.readline()
    text = first.decode("utf-8-sig", errors="replace").rstrip("\r\n")
    if not text.strip():
        raise ImportRejected(f"{name} is empty")
    columns = next(csv.reader([text]))
    header = _header(columns)
    if len(header) < len(CORE):
        raise _missing(name, header)
    layout = "csv-export" if any(str(c).strip().casefold() == "region_country" for c in columns) else "csv-older"
    progress(0.05, f"Reading {name} ({LAYOUTS[layout]})")
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    picked = ", ".join(f"c{header[c]} AS {c}" for c in CORE)  # by position; cells are cleaned later
    try:
        con.execute(f"CREATE TABLE raw AS SELECT {picked} FROM read_csv(?, all_varchar = true, header = true, "
                    "delim = ',', quote = '\"', escape = '\"', names = ?)",
                    [str(path), [f"c{i}" for i in range(len(columns))]])
    except duckdb.Error as exc:
        con.close()
        if "utf-8" in str(exc).casefold() or "unicode" in str(exc).casefold():
            _check_utf8(path, name)
        first_lines = " ".join(str(exc).splitlines()[:2])
        raise ImportRejected(f"{name} is not a readable CSV: {first_lines}") from None
    rows = con.execute("SELECT count(*) FROM raw").fetchone()[0]
    if rows == 0:
        con.close()
        raise ImportRejected(f"{name} has a header but no data rows")
    progress(0.4, f"Read {rows:,} rows")
    return RawFile(name, layout, con, rows, path=path)


def _pick_sheet(book, name: str) -> tuple[object, dict[str, int]]:
    """The GEVO_EV_<year> sheet, else the first sheet whose first row is the IEA header."""
    ordered = sorted(book.worksheets, key=lambda ws: not SHEET.match(ws.title))
    best: dict[str, int] = {}
    for ws in ordered:
        first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
        header = _header(first)
        if len(header) == len(CORE):
            return ws, header
        if SHEET.match(ws.title) or len(header) > len(best):
            best = header if len(header) >= len(best) else best
    raise _missing(f"{name} (no sheet holds the IEA table)", best)


def _citation(book) -> tuple[str | None, int | None]:
    """IEA's citation and its year from the Notes sheet, if there is one."""
    notes = next((ws for ws in book.worksheets if ws.title.strip().casefold() == "notes"), None)
    if notes is None:
        return None, None
    for row in notes.iter_rows(values_only=True):
        for cell in row:
            if isinstance(cell, str) and (m := CITATION.search(cell)):
                return m.group(0), int(m.group(1))
    return None, None


def open_checked(path: Path, name: str, limits: Limits, deadline: float):  # -> openpyxl Workbook, file handle
    """The workbook opened read-only (cached values), once its package passed `limits` (ImportRejected with one
    plain line for a workbook too large, damaged or not one at all)."""
    from openpyxl import load_workbook

    try:
        check(path, limits, deadline=deadline, seconds=MAX_PARSE_SECONDS)
    except WorkbookRefused as exc:
        raise ImportRejected(f"{name}: {exc}") from None
    handle = path.open("rb")  # a file object: openpyxl would judge a path by its name
    try:
        return load_workbook(handle, read_only=True, data_only=True), handle
    except Exception as exc:  # openpyxl and the XML parser raise many kinds on a malformed part
        handle.close()
        raise ImportRejected(f"{name} is not a readable Excel workbook ({type(exc).__name__}: "
                             f"{str(exc)[:200]})") from None


def read_workbook(path: Path, name: str, progress: Progress = quiet, deadline: float | None = None) -> RawFile:
    """Read IEA's workbook with openpyxl (read-only, cached values, never formulas), its package checked first."""
    deadline = time.monotonic() + MAX_PARSE_SECONDS if deadline is None else deadline
    book, handle = open_checked(path, name, WORKBOOK_LIMITS, deadline)
    try:
        ws, header = _pick_sheet(book, name)
        citation, citation_year = _citation(book)
        total = max((ws.max_row or 2) - 1, 1)
        positions = [header[c] for c in CORE]
        records: list[tuple] = []
        step = max(total // 10, 1)
        for i, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=1):
            records.append(tuple(_text(row[p]) if p < len(row) else None for p in positions))
            if i % step == 0:
                progress(0.05 + 0.35 * min(i / total, 1.0), f"Read {i:,} of about {total:,} rows")
            if i % 1000 == 0:
                deadline_passed(deadline, name)
        title = ws.title
    except ImportRejected:
        raise
    except Exception as exc:  # a malformed sheet part (an undefined entity, broken XML)
        raise ImportRejected(f"{name} is not a readable Excel workbook ({type(exc).__name__}: "
                             f"{str(exc)[:200]})") from None
    finally:
        book.close()
        handle.close()
    while records and all(v is None for v in records[-1]):
        records.pop()  # trailing empty rows of the sheet
    if not records:
        raise ImportRejected(f"{name}: sheet {title} has a header but no data rows")
    frame = pd.DataFrame.from_records(records, columns=list(CORE)).astype(object)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.register("_sheet", frame)
    con.execute("CREATE TABLE raw AS SELECT " + ", ".join(f"CAST({c} AS VARCHAR) AS {c}" for c in CORE)
                + " FROM _sheet")
    con.unregister("_sheet")
    year = int(m.group(1)) if (m := SHEET.match(title)) else None
    return RawFile(name, "workbook", con, len(records), sheet=title, sheet_year=year, citation=citation, path=path,
                   citation_year=citation_year)


def _text(value: object) -> str | None:
    """A cell as text: numbers without float noise from the format ('48', '2.1'), text trimmed."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if isinstance(value, str) else str(value)


def read(source: Path | str | bytes, name: str | None = None, progress: Progress = quiet,
         deadline: float | None = None) -> RawFile:
    """Read an IEA file (a path, or the bytes of an upload) of any supported layout. ImportRejected if not.
    Reading stops MAX_PARSE_SECONDS after it started (or at `deadline`, a time.monotonic() value)."""
    deadline = time.monotonic() + MAX_PARSE_SECONDS if deadline is None else deadline
    if isinstance(source, bytes):
        if len(source) > MAX_BYTES:
            raise ImportRejected(f"{name or 'the uploaded file'} is {len(source) / 1e6:.0f} MB; files over "
                                 f"{MAX_BYTES // 2**20} MB are refused")
        with tempfile.NamedTemporaryFile(prefix="iea-upload-", delete=False) as tmp:
            tmp.write(source)
        try:
            raw = read(Path(tmp.name), name or "the uploaded file", progress, deadline)
        except BaseException:
            Path(tmp.name).unlink(missing_ok=True)
            raise
        raw.temporary = True
        return raw
    path = Path(source)
    name = name or path.name
    if path.is_dir():
        raise ImportRejected(f"{path} is a folder, not a file: give the IEA .xlsx or .csv file")
    if not path.is_file():
        raise ImportRejected(f"{path}: no such file")
    if (size := path.stat().st_size) > MAX_BYTES:
        raise ImportRejected(f"{name} is {size / 1e6:.0f} MB; files over {MAX_BYTES // 2**20} MB are refused")
    with path.open("rb") as f:
        magic = f.read(8)
    if not magic.strip():
        raise ImportRejected(f"{name} is empty")
    if magic.startswith(b"PK\x03\x04"):
        return read_workbook(path, name, progress, deadline)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRejected(f"{name} is an old-style Excel (.xls) file; open it in Excel and save it as .xlsx "
                             "or as 'CSV UTF-8'")
    if magic.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRejected(f"{name} is UTF-16 text; save it as 'CSV UTF-8' or give IEA's .xlsx workbook")
    _check_utf8_head(path, name)
    return read_csv(path, name, progress, deadline)


def _check_utf8_head(path: Path, name: str) -> None:
    """A cheap early check of the first 64 KB, so a Latin-1 file gets its message before DuckDB reads it."""
    with path.open("rb") as f:
        head = f.read(1 << 16)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the end of the sample
            _check_utf8(path, name)
