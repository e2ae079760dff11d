"""A read-only snapshot of the published data for viewer replicas, written atomically.

The editing app is the only process that writes the database. Viewers (see settings.viewer) open a snapshot
of it read-only. The snapshot is written to a temporary file in the destination's folder, flushed to disk, then
renamed over the destination (os.replace), so a reader, or a crash at any moment (even `kill -9`), sees the old
snapshot or the new one, never a partial file. Accounts, submissions and public suggestions are left out; the
audit log keeps published changes with roles but no emails: who wrote a need is withheld in the needs table and in
the old and new values the audit log records for it.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ctatracker.model.schema import TABLES

PRIVATE_TABLES = ("users", "submissions", "public_suggestions")
"""Tables copied empty: a snapshot is served to anyone."""

WITHHELD = {"needs": ("submitted_by",)}
"""Columns of published tables whose values are replaced by 'withheld' (a focal point's email), in the table and
in the audit log's JSON of its rows."""

_SNAPSHOT = "cta_snapshot"


@dataclass(frozen=True)
class Published:
    """What a publish wrote."""

    path: Path
    rows: int
    seconds: float


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temporary(out: Path) -> Path:
    return out.with_name(f".{out.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")


def remove_leftovers(out: Path) -> int:
    """Delete temporary files an interrupted publish left beside `out` (never the snapshot itself)."""
    removed = 0
    for stale in out.parent.glob(f".{out.name}.*.tmp*"):
        stale.unlink(missing_ok=True)
        removed += 1
    return removed


def _redacted(column: str) -> str:
    """SQL for an audit log JSON column with the withheld columns of its table's rows set to 'withheld'."""
    cases = " ".join(
        f"WHEN table_name = '{table}' AND {column} IS NOT NULL THEN CAST(json_merge_patch({column}, "
        f"'{json.dumps(dict.fromkeys(columns, 'withheld'))}') AS VARCHAR)" for table, columns in WITHHELD.items())
    return f"CASE {cases} ELSE {column} END AS {column}"


def _copy(con: duckdb.DuckDBPyConnection, source: str) -> int:
    """Copy every table of `source` into the attached snapshot in one read transaction; returns rows copied."""
    rows = 0
    con.execute("BEGIN TRANSACTION")  # one consistent view of the source for every table
    try:
        con.execute(f'COPY FROM DATABASE "{source}" TO {_SNAPSHOT} (SCHEMA)')
        for table in TABLES:
            if table in PRIVATE_TABLES:
                continue
            select = f'SELECT * FROM "{source}".main.{table}'
            if table == "audit_log":  # published changes only, and who by role, never by email
                private = ", ".join(f"'{t}'" for t in PRIVATE_TABLES)
                select = (f"SELECT * REPLACE (CAST(actor_role AS VARCHAR) AS actor, {_redacted('old_values')}, "
                          f'{_redacted("new_values")}) FROM "{source}".main.audit_log '
                          f"WHERE table_name NOT IN ({private})")
            elif table in WITHHELD:
                withheld = ", ".join(f"'withheld' AS {c}" for c in WITHHELD[table])
                select = f'SELECT * REPLACE ({withheld}) FROM "{source}".main.{table}'
            con.execute(f"INSERT INTO {_SNAPSHOT}.main.{table} {select}")
            rows += con.execute(f"SELECT count(*) FROM {_SNAPSHOT}.main.{table}").fetchone()[0]
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return rows


def publish_file(db_path: Path | str, out: Path | str) -> Published:
    """Publish the database file `db_path` (opened read-only; it must not be held by a running editor)."""
    from ctatracker.store.dbfile import open_database

    open_database(db_path, read_only=True).close()  # a held, missing or foreign file is explained plainly
    con = duckdb.connect(":memory:")
    try:
        quoted = str(db_path).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS cta_source (READ_ONLY)")
        return publish(con, out, source="cta_source")
    finally:
        con.close()


def publish(con: duckdb.DuckDBPyConnection, out: Path | str, source: str | None = None) -> Published:
    """Write a consistent read-only snapshot of the database open on `con` (read-write, or an in-memory
    connection with the database attached as `source`) to `out`, atomically."""
    started = time.perf_counter()
    out = Path(out).resolve()
    if out.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    tmp = _temporary(out)
    source = source or con.execute("SELECT current_database()").fetchone()[0]
    quoted = str(tmp).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS {_SNAPSHOT}")
    try:
        rows = _copy(con, source)
        con.execute(f"CHECKPOINT {_SNAPSHOT}")
    finally:
        con.execute(f"DETACH {_SNAPSHOT}")
    try:
        Path(f"{tmp}.wal").unlink(missing_ok=True)  # empty after the checkpoint; it must not follow the file
        _fsync(tmp)
        os.replace(tmp, out)
        _fsync(out.parent)  # the rename itself reaches the disk
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Published(out, rows, time.perf_counter() - started)
