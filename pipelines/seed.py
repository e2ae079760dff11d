"""Build the database from data/seed/*.csv: every row validated, all errors reported, nothing half-written."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ctatracker.dbfile import DatabaseUnavailable, wal_path
from ctatracker.permissions import SYSTEM
from ctatracker.schema import FACT_MODELS, Row
from ctatracker.store import Problem, check_rows, connect, create_schema, transaction, write_rows

Progress = Callable[[str], None]


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
    if isinstance(value, str) and len(value) <= 60:
        return f"{message} (got '{value}')"
    return message


def parse_file(path: Path, model: type[Row]) -> ParsedFile:
    """Read one seed CSV into validated rows, with every problem located as file:row:column."""
    name = _display(path)
    if not path.exists():
        return ParsedFile([], [], [Problem(name, None, f"file is missing: every build needs {path.name}")])
    text, problems = _decode(path.read_bytes(), name)
    if text is None:
        return ParsedFile([], [], problems)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
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
    for record in reader:
        where = f"{name}:{reader.line_num}"
        if None in record:
            problems.append(Problem(where, None, "the row has more cells than the header"))
            continue
        cleaned = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in record.items()}
        try:
            rows.append(model.model_validate(cleaned))
            origins.append(where)
        except ValidationError as exc:
            for error in exc.errors():
                column = str(error["loc"][0]) if error["loc"] else None
                problems.append(Problem(where, column, _error_message(error)))
    return ParsedFile(rows, origins, problems)


def _import_datasets(con, external_dir: Path, progress: Progress, problems: list[Problem]) -> dict[str, int]:
    """Import the public datasets kept in data/external (every IEA Global EV Data Explorer workbook or CSV there),
    oldest edition first, so that each edition is its own source."""
    from pipelines.importers import iea

    covered = {r[0] for r in con.execute("SELECT iso3 FROM countries").fetchall()}
    prepared = []
    for path in sorted([*external_dir.glob("*.xlsx"), *external_dir.glob("*.csv")]):
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
    counts = {"observations (datasets)": added, "scenario_values (datasets)": scenarios}
    return {k: v for k, v in counts.items() if v}


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


def build(seed_dir: Path, db_path: Path, progress: Progress = print) -> dict[str, int]:
    """Validate every seed file and build the database; swap it in only when everything passed.

    Returns the row count per table. Raises BuildFailed listing every problem; the old database stays.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = db_path.with_name(f".{db_path.name}.{os.getpid()}.building")
    tmp_path.unlink(missing_ok=True)
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
                flag = f"{len(found)} problem(s)" if found else "ok"
                progress(f"  {model.__table__:<20} {len(good):>5} rows  {flag}")
        if not problems:
            counts.update(_import_datasets(con, seed_dir.parent / "external", progress, problems))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    if problems:
        tmp_path.unlink(missing_ok=True)
        raise BuildFailed(problems)
    wal_path(tmp_path).unlink(missing_ok=True)
    swap_in(tmp_path, db_path)
    return counts


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
