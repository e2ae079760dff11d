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
"""

from __future__ import annotations

import codecs
import csv
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

CORE = ("region", "category", "parameter", "mode", "powertrain", "year", "unit", "value")
ALIASES = {"region_country": "region"}
MAX_BYTES = 500 * 1024 * 1024
SHEET = re.compile(r"^GEVO_EV_(\d{4})$", re.IGNORECASE)
CITATION = re.compile(r"IEA \((\d{4})\),\s*(Global E(?:lectric )?V(?:ehicle)? Outlook \d{4}|Global EV Data Explorer)")
LAYOUTS = {"workbook": "IEA's Excel workbook", "csv-export": "CSV export of IEA's workbook (region_country, ...)",
           "csv-older": "older IEA CSV (region, ...)"}
SHOWN = 5
"""How many lines a message names before 'and N more'."""

Progress = Callable[[float, str], None]


class ImportRejected(Exception):
    """The file or its data cannot be imported; nothing was written. The message says why and where."""

    def __init__(self, message: str, problems: Sequence[str] = ()):
        self.problems = list(problems)
        super().__init__(message + "".join(f"\n  {p}" for p in self.problems))


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


def read_csv(path: Path, name: str, progress: Progress = quiet) -> RawFile:
    """Read a CSV of either IEA layout with DuckDB (every column as text)."""
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


def read_workbook(path: Path, name: str, progress: Progress = quiet) -> RawFile:
    """Read IEA's workbook with openpyxl (read-only, cached values, never formulas)."""
    import zipfile

    from openpyxl import load_workbook

    handle = path.open("rb")  # a file object: openpyxl would judge a path by its name
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        handle.close()
        raise ImportRejected(f"{name} is not a readable Excel workbook ({exc})") from None
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
        title = ws.title
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


def read(source: Path | str | bytes, name: str | None = None, progress: Progress = quiet) -> RawFile:
    """Read an IEA file (a path, or the bytes of an upload) of any supported layout. ImportRejected if not."""
    if isinstance(source, bytes):
        with tempfile.NamedTemporaryFile(prefix="iea-upload-", delete=False) as tmp:
            tmp.write(source)
        try:
            raw = read(Path(tmp.name), name or "the uploaded file", progress)
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
        return read_workbook(path, name, progress)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRejected(f"{name} is an old-style Excel (.xls) file; open it in Excel and save it as .xlsx "
                             "or as 'CSV UTF-8'")
    if magic.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRejected(f"{name} is UTF-16 text; save it as 'CSV UTF-8' or give IEA's .xlsx workbook")
    _check_utf8_head(path, name)
    return read_csv(path, name, progress)


def _check_utf8_head(path: Path, name: str) -> None:
    """A cheap early check of the first 64 KB, so a Latin-1 file gets its message before DuckDB reads it."""
    with path.open("rb") as f:
        head = f.read(1 << 16)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the end of the sample
            _check_utf8(path, name)
