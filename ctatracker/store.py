"""The database: connect, create the schema, and the one write path (validate, permit, transaction, audit)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from ctatracker.ddl import schema_sql
from ctatracker.enums import AuditAction, Unit
from ctatracker.permissions import Actor, refusal
from ctatracker.schema import TABLES, Row

PERCENT_RANGE = (0.0, 100.0)


@dataclass(frozen=True)
class Problem:
    """One reason a row was refused, located so that a person can find it."""

    where: str
    column: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.where}:{self.column}: {self.message}" if self.column else f"{self.where}: {self.message}"


class WriteRejected(Exception):
    """Raised when any row of a write is refused; nothing was written."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class WriteConflict(Exception):
    """Raised when another session changed the same record at the same time; nothing was written."""


@dataclass(frozen=True)
class WriteResult:
    """What a write changed."""

    table: str
    added: int
    updated: int
    unchanged: int


def connect(path: Path | str | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the tracker database (the configured file by default; ':memory:' for tests)."""
    if path is None:
        from ctatracker.config import settings

        path = settings().db_path
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute("SET enable_progress_bar = false")
    return con


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table generated from the row models (idempotent)."""
    for statement in schema_sql():
        con.execute(statement)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block in one transaction: all of it is applied or none."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    try:
        con.execute("COMMIT")
    except duckdb.TransactionException as exc:
        raise WriteConflict(_conflict_message(exc)) from exc


def _conflict_message(exc: Exception) -> str:
    return ("Someone else changed the same record at the same moment, so nothing was saved. "
            f"Reload to see their version and try again. ({exc})")


def _key_text(model: type[Row], key: tuple) -> str:
    return json.dumps(dict(zip(model.__primary_key__, [str(k) for k in key], strict=True)))


def _existing_values(con: duckdb.DuckDBPyConnection, table: str, column: str) -> set:
    return {r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM {table}").fetchall()}


def _unit_of_indicators(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT code, unit FROM indicators").fetchall())


def check_rows(con: duckdb.DuckDBPyConnection, rows: Sequence[Row], actor: Actor,
               origins: Sequence[str]) -> list[Problem]:
    """Every problem that stops these rows from being written: permission, duplicates, references, ranges."""
    if not rows:
        return []
    model = type(rows[0])
    table = model.__table__
    problems: list[Problem] = []
    seen: dict[tuple, str] = {}
    for row, where in zip(rows, origins, strict=True):
        if type(row) is not model:
            problems.append(Problem(where, None, f"a {type(row).__name__} row cannot go into {table}"))
            continue
        reason = refusal(actor, table, row)
        if reason:
            problems.append(Problem(where, None, f"not allowed: {reason}"))
        if row.key() in seen:
            keys = ", ".join(f"{c}={v}" for c, v in zip(model.__primary_key__, row.key(), strict=True))
            problems.append(Problem(where, None, f"duplicate record ({keys}); first given at {seen[row.key()]}"))
        seen.setdefault(row.key(), where)
    for column, (ref_table, ref_column) in model.__references__.items():
        known = _existing_values(con, ref_table, ref_column)
        for row, where in zip(rows, origins, strict=True):
            value = getattr(row, column)
            if value is not None and value not in known:
                problems.append(Problem(where, column, f"unknown {ref_column} '{value}': not in {ref_table}"))
    problems.extend(_range_problems(con, rows, origins))
    return problems


def _range_problems(con: duckdb.DuckDBPyConnection, rows: Sequence[Row], origins: Sequence[str]) -> list[Problem]:
    """Values that are impossible for their indicator's unit (a share outside 0-100%, a negative count)."""
    if "indicator_code" not in type(rows[0]).model_fields:
        return []
    units = _unit_of_indicators(con)
    problems = []
    for row, where in zip(rows, origins, strict=True):
        unit = units.get(row.indicator_code)
        for column in ("value", "target_value", "baseline_value"):
            value = getattr(row, column, None)
            if value is None or unit is None:
                continue
            if unit == Unit.PERCENT and not PERCENT_RANGE[0] <= value <= PERCENT_RANGE[1]:
                problems.append(Problem(where, column, f"{value:g} is not a percentage between 0 and 100"))
            elif unit != Unit.PERCENT and value < 0 and unit not in (Unit.MT_CO2, Unit.MT_CO2E):
                problems.append(Problem(where, column, f"{value:g} cannot be negative for a count"))
    return problems


def _fetch_existing(con: duckdb.DuckDBPyConnection, model: type[Row], keys: list[tuple]) -> dict[tuple, dict]:
    if not keys:
        return {}
    pk = list(model.__primary_key__)
    wanted = pd.DataFrame(keys, columns=pk).astype(str)
    con.register("_wanted_keys", wanted)
    try:
        cond = " AND ".join(f"CAST(t.{c} AS VARCHAR) = w.{c}" for c in pk)
        df = con.execute(f"SELECT t.* FROM {model.__table__} t JOIN _wanted_keys w ON {cond}").fetchdf()
    finally:
        con.unregister("_wanted_keys")
    existing = {}
    for record in df.astype(object).where(df.notna(), None).to_dict("records"):
        row = model.model_validate(record)
        existing[row.key()] = row.model_dump(mode="json")
    return existing


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], records: list[dict]) -> None:
    frame = pd.DataFrame.from_records(records, columns=columns).astype(object)
    con.register("_incoming", frame)
    try:
        cols = ", ".join(columns)
        con.execute(f"INSERT OR REPLACE INTO {table} ({cols}) SELECT {cols} FROM _incoming")
    finally:
        con.unregister("_incoming")


def write_rows(con: duckdb.DuckDBPyConnection, rows: Sequence[Row], actor: Actor, *,
               origins: Sequence[str] | None = None, reason: str | None = None,
               own_transaction: bool = True) -> WriteResult:
    """Insert or update rows of one table after every check; record each change in the audit log.

    All rows are checked first; if any is refused, WriteRejected lists every problem and nothing is
    written. Unchanged rows are left alone. With own_transaction=False the caller holds the transaction.
    """
    if not rows:
        return WriteResult("", 0, 0, 0)
    model = type(rows[0])
    origins = list(origins) if origins is not None else [f"{model.__table__} row {i + 1}" for i in range(len(rows))]
    problems = check_rows(con, rows, actor, origins)
    if problems:
        raise WriteRejected(problems)
    existing = _fetch_existing(con, model, [r.key() for r in rows])
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    changed, audit = [], []
    for row in rows:
        new = row.model_dump(mode="json")
        old = existing.get(row.key())
        if old == new:
            continue
        changed.append(row.model_dump(mode="python"))
        audit.append({
            "id": uuid.uuid4().hex, "changed_at": now, "actor": actor.name, "actor_role": actor.role.value,
            "table_name": model.__table__, "row_key": _key_text(model, row.key()),
            "action": (AuditAction.UPDATE if old else AuditAction.INSERT).value,
            "old_values": json.dumps(old) if old else None, "new_values": json.dumps(new), "reason": reason,
        })
    updated = sum(1 for a in audit if a["action"] == AuditAction.UPDATE.value)
    result = WriteResult(model.__table__, len(changed) - updated, updated, len(rows) - len(changed))
    if not changed:
        return result
    columns = list(model.model_fields)

    def apply() -> None:
        _insert_frame(con, model.__table__, columns, changed)
        _insert_frame(con, "audit_log", list(TABLES["audit_log"].model_fields), audit)

    try:
        if own_transaction:
            with transaction(con):
                apply()
        else:
            apply()
    except duckdb.TransactionException as exc:
        raise WriteConflict(_conflict_message(exc)) from exc
    return result


def read_table(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    """All rows of one table as a DataFrame (used by pipelines and tests)."""
    if table not in TABLES:
        raise KeyError(f"unknown table {table}")
    return con.execute(f"SELECT * FROM {table}").fetchdf()
