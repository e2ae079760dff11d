"""Write the database's fact tables back as seed CSVs, so approved edits can be kept in `data/seed` (and in git).

`python -m pipelines export-seed --out data/seed` writes one CSV per seed table, columns in the order of the
pydantic model; rows keep their place in the file being replaced (new rows follow, in key order), so the
change reads as a small diff. Observations and sources an importer wrote (the IEA and EDGAR editions in
`data/external`) are left out while nobody has changed them since: the build imports them again from their own
file. One edited in the tracker after its import is kept, so the edit survives a rebuild (the next import
reports it as a conflict and leaves it).
Files are written to a temporary folder first and moved in together, so a failed export leaves the folder as it
was. Needs, accounts, submissions, scenario values and the audit log are not seed data and stay in the database.

A text cell (or a line inside one) that a spreadsheet would run as a formula, starting with = + - @ or their
full-width forms, is written with an apostrophe before it, as the open-data package does; the seed build takes that
one apostrophe off again (`unguard`), so an export and a build give back the same text.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import enum
import io
import math
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from ctatracker.io.edgar import BUILD_REASON as EDGAR_BUILD_REASON
from ctatracker.io.edgar import REASON as EDGAR_REASON
from ctatracker.io.exports import FORMULA_CHARS
from ctatracker.io.iea import REASON as IMPORT_REASON
from ctatracker.model.schema import FACT_MODELS
from ctatracker.store.database import key_text

_START = r"(^|\r\n|\r|\n)"
_FORMULA_AHEAD = rf"(?=[ \t\f\v\u00a0\u2000-\u200b\u3000\ufeff]*[{re.escape(FORMULA_CHARS)}])"  # blanks, not breaks
_GUARD = re.compile(rf"{_START}('*){_FORMULA_AHEAD}")
_UNGUARD = re.compile(rf"{_START}'('*){_FORMULA_AHEAD}")


def guard(text: str) -> str:
    """Text with one more apostrophe before every line (the first, and each after a line break) that a
    spreadsheet would run as a formula; `unguard` takes exactly that apostrophe off again."""
    return _GUARD.sub(lambda m: f"{m.group(1)}'{m.group(2)}", text)


def unguard(text: str) -> str:
    """The text `guard` was given (used by the seed build on every text cell it reads)."""
    return _UNGUARD.sub(lambda m: m.group(1) + m.group(2), text)


def cell(value: Any) -> str:
    """One value as the seed files write it: '' for none, true/false, ISO dates, 50 rather than 50.0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _existing_order(path: Path, key: Sequence[str]) -> dict[tuple[str, ...], int]:
    """Position of each key in the file being replaced, so an export changes only the rows that changed."""
    if not path.exists():
        return {}
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            return {tuple((r.get(c) or "").strip() for c in key): i for i, r in enumerate(reader)}
    except (UnicodeDecodeError, csv.Error):
        return {}


def _line_end(path: Path | None) -> str:
    """The line ending of the file being replaced (the seed has both kinds); CRLF, as RFC 4180, for a new one."""
    if path is None or not path.exists():
        return "\r\n"
    with path.open("rb") as f:
        first = f.readline()
    return "\r\n" if first.endswith(b"\r\n") or not first.endswith(b"\n") else "\n"


def imported_keys(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    """Keys (as the audit log writes them) of the rows whose latest change is an import: the build makes them
    again from data/external, so the seed does not hold them."""
    return {r[0] for r in con.execute("""
        SELECT row_key FROM (
            SELECT row_key, reason, row_number() OVER (PARTITION BY row_key ORDER BY changed_at DESC) AS latest
            FROM audit_log WHERE table_name = ?)
        WHERE latest = 1 AND (starts_with(coalesce(reason, ''), ?) OR starts_with(coalesce(reason, ''), ?)
                              OR starts_with(coalesce(reason, ''), ?))""",
                                      [table, IMPORT_REASON, EDGAR_REASON, EDGAR_BUILD_REASON]).fetchall()}


def table_csv(con: duckdb.DuckDBPyConnection, model: type, previous: Path | None = None) -> tuple[str, int]:
    """The CSV text of one seed table and its row count: rows in the order of the `previous` file where they
    were already in it, new rows after them in key order."""
    columns = list(model.model_fields)
    order = ", ".join(model.__primary_key__)
    key_at = [columns.index(c) for c in model.__primary_key__]
    found = con.execute(f"SELECT {', '.join(columns)} FROM {model.__table__} ORDER BY {order}").fetchall()
    imported = imported_keys(con, model.__table__)
    rows = [[guard(v) if isinstance(v, str) else cell(v) for v in row] for row in found
            if not imported or key_text(model, tuple(row[i] for i in key_at)) not in imported]
    known = _existing_order(previous, model.__primary_key__) if previous else {}
    rows.sort(key=lambda r: known.get(tuple(r[i] for i in key_at), len(known)))  # stable: new rows keep key order
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=_line_end(previous))
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue(), len(rows)


def export(con: duckdb.DuckDBPyConnection, out_dir: Path) -> dict[str, int]:
    """Write every seed table into `out_dir` (created if needed), all files or none. Returns rows per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(".export-*"):  # left by an export that was killed
        shutil.rmtree(stale, ignore_errors=True)
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".export-") as tmp:
        for model in FACT_MODELS:
            text, counts[model.__table__] = table_csv(con, model, out_dir / f"{model.__table__}.csv")
            (Path(tmp) / f"{model.__table__}.csv").write_text(text, encoding="utf-8", newline="")
        for model in FACT_MODELS:
            name = f"{model.__table__}.csv"
            os.replace(Path(tmp) / name, out_dir / name)
    return counts


def add_export_parser(subparsers: Any) -> None:
    """Register `export-seed` on the `python -m pipelines` sub-command parser."""
    p = subparsers.add_parser("export-seed", help="write the database's tables back as seed CSV files")
    p.add_argument("--out", required=True, help="folder to write (data/seed to keep approved edits in the seed)")
    p.add_argument("--db", help="database file (default data/tracker.duckdb)")
    p.set_defaults(func=cmd_export_seed)


def cmd_export_seed(args: argparse.Namespace) -> int:
    """Export the seed tables of a database (run while the app is stopped, or on a copy of the file)."""
    from ctatracker.config import settings
    from ctatracker.store.database import connect

    db_path = Path(args.db) if args.db else settings().db_path
    if not db_path.exists():
        print(f"No database at {db_path}; run `python -m pipelines build` first.", file=sys.stderr)
        return 1
    con = connect(db_path, read_only=True)  # a file held by the app is explained by `python -m pipelines`
    try:
        counts = export(con, Path(args.out))
    finally:
        con.close()
    for table, n in counts.items():
        print(f"  {table:<22} {n:>5} rows")
    print(f"Wrote {len(counts)} files to {args.out}. Review the change (git diff), then commit it.")
    return 0
