"""Build the database from data/seed/*.csv: every row validated, all errors reported, nothing half-written."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ctatracker.io.seed_export import unguard
from ctatracker.model.schema import FACT_MODELS, Row
from ctatracker.store.database import Problem, check_rows, connect, create_schema, transaction, write_rows
from ctatracker.store.dbfile import DatabaseUnavailable, wal_path
from ctatracker.store.permissions import SYSTEM
from ctatracker.text.validation import plain_message

Progress = Callable[[str], None]
MAX_SEED_BYTES = 50 * 1024 * 1024
"""Largest seed file read."""
MAX_SEED_ROWS = 100_000
"""Rows read per seed file (the seed holds hundreds; bulk datasets belong in data/external)."""
MAX_SEED_CELL_CHARS = 10_000
"""Characters in one cell (text fields take at most 4,000; the csv module itself stops at 131,072)."""
MULTILINE_COLUMNS = frozenset({"note", "summary", "description", "definition", "wording", "communique_wording",
                               "scope_note", "outputs", "need"})
"""The only columns whose cells may span lines (within quotes): paragraphs of text. Anywhere else a cell that runs
over lines is a quote never closed, swallowing the rows after it."""


class BuildFailed(Exception):
    """The seed data has problems; the existing database was left as it was."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the seed data")


@dataclass(frozen=True)
class ParsedFile:
    rows: list[Row]
    origins: list[str]
    problems: list[Problem]


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(f"{name}:{line}", None,
                              f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                              "save it as 'CSV UTF-8'")]


def _error_message(error: dict) -> str:
    message = error["msg"].removeprefix("Value error, ")
    value = error.get("input")
    if error["type"] == "missing":
        return "a value is required"
    if error["type"] == "string_pattern_mismatch":  # e.g. 'ind': country codes are upper case
        return plain_message(error)
    if isinstance(value, str) and len(value) <= 60:
        return f"{message} (got '{value}')"
    return message


def _limit_problem(path: Path, name: str) -> Problem | None:
    """A file that is missing, a folder or too large to read."""
    if not path.exists():
        return Problem(name, None, f"file is missing: every build needs {path.name}")
    if not path.is_file():
        return Problem(name, None, "this is a folder, not a CSV file")
    size = path.stat().st_size
    if size > MAX_SEED_BYTES:
        return Problem(name, None, f"the file is {size / 1024 / 1024:.0f} MB; a seed file may hold at most "
                       f"{MAX_SEED_BYTES // 1024 // 1024} MB ({MAX_SEED_ROWS:,} rows)")
    return None


def parse_file(path: Path, model: type[Row]) -> ParsedFile:
    """Read one seed CSV into validated rows, with every problem located as file:row:column.

    Limits: MAX_SEED_BYTES per file, MAX_SEED_ROWS rows, MAX_SEED_CELL_CHARS characters per cell, no NUL
    characters. A file that breaks one gets a problem, never a traceback.
    """
    name = _display(path)
    limit = _limit_problem(path, name)
    if limit:
        return ParsedFile([], [], [limit])
    text, problems = _decode(path.read_bytes(), name)
    if text is None:
        return ParsedFile([], [], problems)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return ParsedFile([], [], [Problem(f"{name}:{line}", None, "the file holds NUL characters (it may be a "
                                           "spreadsheet or UTF-16 file renamed .csv): save it as 'CSV UTF-8'")])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # a stray quote is an error, not a note
    try:
        return _parse_records(reader, name, model, problems)
    except csv.Error as exc:  # a cell over the csv module's limit, a quote never closed or misplaced
        return ParsedFile([], [], [*problems, Problem(f"{name}:{reader.line_num}", None,
                                                      f"cannot be read as CSV ({exc}): a cell holds at most "
                                                      f"{MAX_SEED_CELL_CHARS:,} characters; check for a quote "
                                                      "that is never closed, or one inside a cell that is not "
                                                      "doubled (\"\")")])


def _row_problems(record: list[str], header: list[str], where: str, lines: tuple[int, int]) -> list[Problem]:
    """A row with the wrong number of cells, or a cell spanning lines where the format allows none, or a
    multi-line note holding what looks like rows of its own (a quote never closed swallows the rows after it)."""
    if len(record) != len(header):
        return [Problem(where, None, f"the row has {len(record)} cells; the header has {len(header)}: check for a "
                        "comma too many or too few, or a quote that is never closed")]
    if lines[0] == lines[1]:
        return []
    found = []
    for column, value in zip(header, record, strict=True):
        if "\n" not in value and "\r" not in value:
            continue
        if column not in MULTILINE_COLUMNS:
            found.append(Problem(where, column, f"the cell runs over lines {lines[0]}-{lines[1]}; only "
                                 f"{', '.join(sorted(MULTILINE_COLUMNS))} may hold line breaks: check for a quote "
                                 "that is never closed"))
        elif any(line.count(",") >= len(header) - 1 for line in value.splitlines()[1:]):
            found.append(Problem(where, column, f"the cell runs over lines {lines[0]}-{lines[1]}, which look like "
                                 "rows of their own: check for a quote that is never closed"))
    return found


def _parse_records(reader, name: str, model: type[Row], problems: list[Problem]) -> ParsedFile:
    header = next(reader, [])
    expected = list(model.model_fields)
    # A column whose field has a default may be left out (files made before the column existed).
    missing = [c for c in expected if c not in header and model.model_fields[c].is_required()]
    unknown = [c for c in header if c not in expected]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s): {', '.join(unknown)}")
        return ParsedFile([], [], [Problem(f"{name}:1", None, "; ".join(parts) + f". Expected: {', '.join(expected)}")])
    rows, origins = [], []
    start, count = reader.line_num + 1, 0
    for cells in reader:
        first, start = start, reader.line_num + 1
        if not cells:
            continue  # a blank line
        count += 1
        where = f"{name}:{first}"
        if count > MAX_SEED_ROWS:
            problems.append(Problem(where, None, f"more than {MAX_SEED_ROWS:,} rows: a seed file holds at most "
                                    f"{MAX_SEED_ROWS:,}; put bulk datasets in data/external"))
            break
        shape = _row_problems(cells, header, where, (first, reader.line_num))
        if shape:
            problems += shape
            continue
        record = dict(zip(header, cells, strict=True))
        long = [k for k, v in record.items() if len(v) > MAX_SEED_CELL_CHARS]
        if long:
            problems += [Problem(where, k, f"too long ({len(record[k]):,} characters); at most "
                                 f"{MAX_SEED_CELL_CHARS:,}") for k in long]
            continue
        cleaned = {k: unguard(v).strip() or None for k, v in record.items()}  # '=... as export-seed writes =...
        try:
            rows.append(model.model_validate(cleaned))
            origins.append(where)
        except ValidationError as exc:
            for error in exc.errors():
                column = str(error["loc"][0]) if error["loc"] else None
                problems.append(Problem(where, column, _error_message(error)))
    return ParsedFile(rows, origins, problems)


def _import_datasets(con, external_dir: Path, progress: Progress, problems: list[Problem]) -> dict[str, int]:
    """Import the public datasets kept in data/external (every IEA Global EV Data Explorer workbook or CSV there,
    and every EDGAR workbook, told apart by content), oldest edition first, so that each edition is its own
    source."""
    from ctatracker.io import edgar, iea

    covered = {r[0] for r in con.execute("SELECT iso3 FROM countries").fetchall()}
    prepared, edgar_files = [], []
    for path in sorted([*external_dir.glob("*.xlsx"), *external_dir.glob("*.csv")]):
        if edgar.looks_like(path):
            edgar_files.append(path)
            continue
        try:
            prepared.append(iea.prepare(path, covered))
        except iea.ImportRejected as exc:
            problems.append(Problem(_display(path), None, str(exc)))
    added = scenarios = 0
    for item in sorted(prepared, key=lambda p: (p.edition, p.name)):
        try:
            summary = iea.apply(con, item, SYSTEM)
        except iea.ImportRejected as exc:
            problems.append(Problem(item.name, None, str(exc)))
            continue
        added += summary.counts["added"]
        scenarios += summary.counts["scenario_values"]
        kept = f", {len(summary.plan.conflicts)} edited value(s) kept" if summary.plan.conflicts else ""
        progress(f"  {item.name:<40} {summary.counts['added']:>5} observations added (edition {item.edition}"
                 f"{kept}), {summary.counts['scenario_values']} scenario values")
    added += _import_edgar(con, edgar_files, progress, problems)
    counts = {"observations (datasets)": added, "scenario_values (datasets)": scenarios}
    return {k: v for k, v in counts.items() if v}


def _import_edgar(con, paths: list[Path], progress: Progress, problems: list[Problem]) -> int:
    """Import EDGAR workbooks, oldest edition first; their audit entries read as the build's own."""
    from ctatracker.io import edgar

    countries = edgar.countries(con)
    prepared = []
    for path in paths:
        try:
            prepared.append(edgar.prepare(path, countries))
        except edgar.ImportRejected as exc:
            problems.append(Problem(_display(path), None, str(exc)))
    added = 0
    for item in sorted(prepared, key=lambda p: (p.edition, p.name)):
        try:
            summary = edgar.apply(con, item, SYSTEM, reason=edgar.BUILD_REASON)
        except edgar.ImportRejected as exc:
            problems.append(Problem(item.name, None, str(exc)))
            continue
        added += summary.counts["added"]
        progress(f"  {item.name:<40} {summary.counts['added']:>5} observations added (edition {item.edition}, "
                 f"{len(item.mapped.matched)} countries)")
    return added


def local_changes(db_path: Path) -> int:
    """How many records in an existing database came from people rather than from the seed or an import:
    accounts, submissions and audit entries of applied edits. A rebuild would discard them."""
    if not db_path.exists():
        return 0
    con = connect(db_path, read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        count = 0
        for table in ("users", "submissions"):
            if table in tables:
                count += con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        if "audit_log" in tables:
            count += con.execute("""SELECT count(*) FROM audit_log WHERE coalesce(reason, '') NOT LIKE 'seed build%'
                                    AND coalesce(reason, '') NOT LIKE 'IEA import%'""").fetchall()[0][0]
        return count
    finally:
        con.close()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def remove_stale_leftovers(db_path: Path) -> list[Path]:
    """Delete what builds killed part-way left beside `db_path` (`.tracker.duckdb.<pid>.building`, its log, and
    set-aside logs `.tracker.duckdb.wal.<pid>.replaced`), when their process is no longer running; a build still
    running elsewhere keeps its files. Returns what was removed."""
    pattern = re.compile(rf"^\.{re.escape(db_path.name)}(?:\.wal)?\.(\d+)\.(?:building|replaced)(?:\.wal)?$")
    removed = []
    for leftover in db_path.parent.glob(f".{db_path.name}.*"):
        match = pattern.match(leftover.name)
        if match and (int(match.group(1)) == os.getpid() or not _running(int(match.group(1)))):
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def build(seed_dir: Path, db_path: Path, progress: Progress = print) -> dict[str, int]:
    """Validate every seed file and build the database; swap it in only when everything passed.

    Returns the row count per table. Raises BuildFailed listing every problem; the old database stays.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_leftovers(db_path)
    tmp_path = db_path.with_name(f".{db_path.name}.{os.getpid()}.building")
    tmp_path.unlink(missing_ok=True)
    try:
        problems, counts = _build_into(tmp_path, seed_dir, progress)
    except BaseException:  # nothing half-built is left behind, whatever went wrong
        tmp_path.unlink(missing_ok=True)
        wal_path(tmp_path).unlink(missing_ok=True)
        raise
    if problems:
        tmp_path.unlink(missing_ok=True)
        wal_path(tmp_path).unlink(missing_ok=True)
        raise BuildFailed(problems)
    wal_path(tmp_path).unlink(missing_ok=True)
    swap_in(tmp_path, db_path)
    return counts


def _build_into(tmp_path: Path, seed_dir: Path, progress: Progress) -> tuple[list[Problem], dict[str, int]]:
    """Build a fresh database at tmp_path; returns (problems, row counts)."""
    problems: list[Problem] = []
    counts: dict[str, int] = {}
    con = connect(tmp_path)
    try:
        create_schema(con)
        with transaction(con):
            for model in FACT_MODELS:
                parsed = parse_file(seed_dir / f"{model.__table__}.csv", model)
                row_problems = check_rows(con, parsed.rows, SYSTEM, parsed.origins)
                refused = {p.where for p in row_problems}
                good = [r for r, o in zip(parsed.rows, parsed.origins, strict=True) if o not in refused]
                write_rows(con, good, SYSTEM, reason="seed build", own_transaction=False)
                found = parsed.problems + row_problems
                problems += found
                counts[model.__table__] = len(good)
                flag = (f"{len(found)} problem(s)" if found else
                        "ok (warning: the file has a header but no rows)" if not parsed.rows else "ok")
                progress(f"  {model.__table__:<20} {len(good):>5} rows  {flag}")
        if not problems:
            counts.update(_import_datasets(con, seed_dir.parent / "external", progress, problems))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return problems, counts


def swap_in(new_file: Path, db_path: Path) -> None:
    """Replace `db_path` by `new_file` (a closed, checkpointed database) without leaving the old file's
    write-ahead log beside the new one.

    A read-only connection to the old file is held during the swap, so no program can start writing the old file
    (and its log) meanwhile; a program that holds it read-write makes the swap fail with DatabaseUnavailable.
    The old log is renamed aside before the new file takes the name, then deleted: at no moment does a log sit
    beside a file it does not belong to.
    """
    wal = wal_path(db_path)
    aside = db_path.with_name(f".{wal.name}.{os.getpid()}.replaced")
    guard = None
    if db_path.exists():
        try:
            guard = connect(db_path, read_only=True)
        except DatabaseUnavailable as exc:
            if exc.reason != "stale_wal":
                raise  # locked by a writer: the app or another command is running
            os.replace(wal, aside)  # the log belongs to no file here; the new file must not meet it
            guard = connect(db_path, read_only=True)
    try:
        if wal.exists():
            os.replace(wal, aside)
        os.replace(new_file, db_path)
    finally:
        if guard is not None:
            guard.close()
        aside.unlink(missing_ok=True)
