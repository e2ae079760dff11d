"""The database: connect, create the schema, and the one write path (validate, permit, transaction, audit)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from ctatracker.model.bounds import out_of_range
from ctatracker.model.enums import AuditAction
from ctatracker.model.schema import TABLES, Row
from ctatracker.store.dbfile import open_database
from ctatracker.store.migrate import create_missing_tables, create_schema, upgrade_schema  # noqa: F401 (re-exported)
from ctatracker.store.permissions import Actor, refusal


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


class RecordChanged(WriteConflict):
    """Raised when a record differs from the version the editor saw; nothing was written."""

    def __init__(self, table: str, changes: Sequence[tuple[str, dict | None, dict | None]]):
        self.table = table
        self.changes = list(changes)  # (row key, as the editor saw it, as it is now)
        lines = []
        for key, seen, now in self.changes:
            key = " / ".join(json.loads(key).values())
            if now is None:
                lines.append(f"{table} {key} has been removed since you opened it.")
                continue
            if seen is None:
                lines.append(f"{table} {key} already exists; open that record to change it.")
                continue
            shown = ", ".join(f"{c} is now {v}" for c, v in now.items() if seen.get(c) != v)
            lines.append(f"{table} {key} was changed by someone else since you opened it: {shown}.")
        super().__init__(" ".join(lines) + " Nothing was saved: look at the current values and submit again "
                         "if your change still applies.")


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
    con = open_database(path, read_only=read_only)  # plain message when locked, stale or not a database
    con.execute("SET enable_progress_bar = false")
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block in one transaction: all of it is applied or none."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        with suppress(duckdb.Error):  # a failed statement may already have ended the transaction
            con.execute("ROLLBACK")
        raise
    try:
        con.execute("COMMIT")
    except duckdb.TransactionException as exc:
        raise WriteConflict(_conflict_message(exc)) from exc


def _conflict_message(exc: Exception) -> str:
    """The words for a write that lost a race; the database's own text goes to the server log, never to people."""
    logging.getLogger(__name__).info("write conflict: %s", exc)
    return ("Someone else changed the same record at the same moment, so nothing was saved. "
            "Reload to see their version and try again.")


def key_text(model: type[Row], key: tuple) -> str:
    """A primary key as JSON text, as the audit log and submissions store it."""
    return json.dumps(dict(zip(model.__primary_key__, [str(k) for k in key], strict=True)))


def _existing_values(con: duckdb.DuckDBPyConnection, table: str, column: str) -> set:
    return {r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM {table}").fetchall()}


def _unit_of_indicators(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT code, unit FROM indicators").fetchall())


def check_rows(con: duckdb.DuckDBPyConnection, rows: Sequence[Row], actor: Actor,
               origins: Sequence[str], known: Mapping[str, Iterable] | None = None) -> list[Problem]:
    """Every problem that stops these rows from being written: permission, duplicates, references, ranges.

    `known` adds values that references may point to although they are not stored yet, by "table.column"
    (e.g. {"sources.id": [...]} for a new source submitted together with the observation citing it).
    """
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
        present = _existing_values(con, ref_table, ref_column)
        present |= set((known or {}).get(f"{ref_table}.{ref_column}", ()))
        for row, where in zip(rows, origins, strict=True):
            value = getattr(row, column)
            if value is not None and value not in present:
                problems.append(Problem(where, column, f"unknown {ref_column} '{value}': not in {ref_table}"))
    problems.extend(_range_problems(con, rows, origins))
    return problems


def _range_problems(con: duckdb.DuckDBPyConnection, rows: Sequence[Row], origins: Sequence[str]) -> list[Problem]:
    """Values that are impossible for their indicator's unit (a share outside 0-100%, a negative count, 1e15 EV
    sales)."""
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
            if reason := out_of_range(unit, value):  # a plausible range per unit (model/bounds.py)
                problems.append(Problem(where, column, reason))
    return problems


SMALL_BATCH = 20
"""Up to this many rows are read and written with plain parameters; more go through a registered frame."""


def _records(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _fetch_existing(con: duckdb.DuckDBPyConnection, model: type[Row], keys: list[tuple]) -> dict[tuple, dict]:
    if not keys:
        return {}
    pk = list(model.__primary_key__)
    keys = list(dict.fromkeys(tuple(str(k) for k in key) for key in keys))
    if len(keys) <= SMALL_BATCH:
        match = "(" + " AND ".join(f"CAST({c} AS VARCHAR) = ?" for c in pk) + ")"
        params = [v for key in keys for v in key]
        records = _records(con.execute(f"SELECT * FROM {model.__table__} WHERE "
                                       + " OR ".join([match] * len(keys)), params))
    else:
        con.register("_wanted_keys", pd.DataFrame(keys, columns=pk))
        try:
            cond = " AND ".join(f"CAST(t.{c} AS VARCHAR) = w.{c}" for c in pk)
            records = _records(con.execute(f"SELECT t.* FROM {model.__table__} t JOIN _wanted_keys w ON {cond}"))
        finally:
            con.unregister("_wanted_keys")
    existing = {}
    for record in records:
        row = model.model_validate(record)
        existing[row.key()] = row.model_dump(mode="json")
    return existing


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], records: list[dict]) -> None:
    cols = ", ".join(columns)
    if len(records) <= SMALL_BATCH:
        marks = ", ".join("?" for _ in columns)
        con.executemany(f"INSERT OR REPLACE INTO {table} ({cols}) VALUES ({marks})",
                        [[r.get(c) for c in columns] for r in records])
        return
    frame = pd.DataFrame.from_records(records, columns=columns).astype(object)
    con.register("_incoming", frame)
    try:
        con.execute(f"INSERT OR REPLACE INTO {table} ({cols}) SELECT {cols} FROM _incoming")
    finally:
        con.unregister("_incoming")


def current_records(con: duckdb.DuckDBPyConnection, model: type[Row], keys: Sequence[tuple]) -> dict[tuple, dict]:
    """The stored records with these keys, by key (one query however many keys)."""
    return _fetch_existing(con, model, list(keys))


def current_record(con: duckdb.DuckDBPyConnection, model: type[Row], key: tuple) -> dict | None:
    """The stored record with this key, as JSON-ready values (what an editor sees), or None."""
    return _fetch_existing(con, model, [key]).get(tuple(key))


def _audit_json(model: type[Row], values: dict | None) -> str | None:
    if values is None:
        return None
    shown = {c: ("[redacted]" if c in model.__audit_redact__ and v is not None else v) for c, v in values.items()}
    return json.dumps(shown)


def _audit_entry(model: type[Row], actor: Actor, key: tuple, old: dict | None, new: dict | None,
                 reason: str | None, now: dt.datetime) -> dict:
    action = AuditAction.DELETE if new is None else (AuditAction.UPDATE if old else AuditAction.INSERT)
    return {"id": uuid.uuid4().hex, "changed_at": now, "actor": actor.name, "actor_role": actor.role.value,
            "table_name": model.__table__, "row_key": key_text(model, key), "action": action.value,
            "old_values": _audit_json(model, old), "new_values": _audit_json(model, new), "reason": reason}


def _check_expected(model: type[Row], existing: dict[tuple, dict], expected: Mapping[tuple, dict | None]) -> None:
    """Refuse when a record is not what the editor saw (another change came in between): no lost updates."""
    stale = [(key_text(model, key), seen, existing.get(tuple(key))) for key, seen in expected.items()
             if existing.get(tuple(key)) != seen]
    if stale:
        raise RecordChanged(model.__table__, stale)


def _reasons(reason: str | Sequence[str] | None, n: int) -> list[str | None]:
    if reason is None or isinstance(reason, str):
        return [reason] * n
    if len(reason) != n:
        raise ValueError("give one reason per row")
    return list(reason)


@contextmanager
def _writing(con: duckdb.DuckDBPyConnection, own_transaction: bool) -> Iterator[None]:
    """The transaction of one write, with database conflicts turned into WriteConflict."""
    try:
        if own_transaction:
            with transaction(con):
                yield
        else:
            yield
    except (duckdb.TransactionException, duckdb.ConstraintException) as exc:
        if isinstance(exc, duckdb.ConstraintException) and "key" not in str(exc).lower():
            raise WriteRejected([Problem("database", None, f"refused by the database: {exc}")]) from exc
        raise WriteConflict(_conflict_message(exc)) from exc


def write_rows(con: duckdb.DuckDBPyConnection, rows: Sequence[Row], actor: Actor, *,
               origins: Sequence[str] | None = None, reason: str | Sequence[str] | None = None,
               own_transaction: bool = True, expected: Mapping[tuple, dict | None] | None = None,
               known: Mapping[str, Iterable] | None = None) -> WriteResult:
    """Insert or update rows of one table after every check; record each change in the audit log.

    All rows are checked first; if any is refused, WriteRejected lists every problem and nothing is
    written. Unchanged rows are left alone. `expected` maps a row key to the record as the editor saw it
    (None: it did not exist); if the stored record differs, RecordChanged is raised and nothing is written.
    `reason` is one text or one per row. Checks, reads and writes happen in one transaction; with
    own_transaction=False the caller holds it.
    """
    if not rows:
        return WriteResult("", 0, 0, 0)
    model = type(rows[0])
    origins = list(origins) if origins is not None else [f"{model.__table__} row {i + 1}" for i in range(len(rows))]
    reasons = _reasons(reason, len(rows))
    with _writing(con, own_transaction):
        problems = check_rows(con, rows, actor, origins, known)
        if problems:
            raise WriteRejected(problems)
        existing = _fetch_existing(con, model, [r.key() for r in rows] + [tuple(k) for k in (expected or {})])
        _check_expected(model, existing, expected or {})
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        changed, audit = [], []
        for row, why in zip(rows, reasons, strict=True):
            new = row.model_dump(mode="json")
            old = existing.get(row.key())
            if old == new:
                continue
            changed.append(row.model_dump(mode="python"))
            audit.append(_audit_entry(model, actor, row.key(), old, new, why, now))
        updated = sum(1 for a in audit if a["action"] == AuditAction.UPDATE.value)
        result = WriteResult(model.__table__, len(changed) - updated, updated, len(rows) - len(changed))
        if changed:
            _insert_frame(con, model.__table__, list(model.model_fields), changed)
            _insert_frame(con, "audit_log", list(TABLES["audit_log"].model_fields), audit)
    return result


def _inbound_references(con: duckdb.DuckDBPyConnection, model: type[Row], record: dict) -> list[str]:
    """Tables whose rows still point at this record (it cannot be removed while they do)."""
    found = []
    for other in TABLES.values():
        for column, (table, ref_column) in other.__references__.items():
            if table == model.__table__ and record.get(ref_column) is not None:
                n = con.execute(f"SELECT count(*) FROM {other.__table__} WHERE {column} = ?",
                                [record[ref_column]]).fetchall()[0][0]
                if n:
                    found.append(f"{n} row(s) of {other.__table__}")
    return found


def delete_rows(con: duckdb.DuckDBPyConnection, model: type[Row], keys: Sequence[tuple], actor: Actor, *,
                reason: str | Sequence[str] | None = None, own_transaction: bool = True,
                expected: Mapping[tuple, dict | None] | None = None) -> int:
    """Remove records by key after the same checks as write_rows (permission, no lost update, audit).

    A record that other rows still cite is refused. Returns how many records were removed.
    """
    if not keys:
        return 0
    keys = [tuple(k) for k in keys]
    reasons = _reasons(reason, len(keys))
    with _writing(con, own_transaction):
        existing = _fetch_existing(con, model, keys + [tuple(k) for k in (expected or {})])
        _check_expected(model, existing, expected or {})
        problems = []
        for key in keys:
            where = f"{model.__table__} {key_text(model, key)}"
            record = existing.get(key)
            why_not = refusal(actor, model.__table__, model.model_validate(record) if record else None)
            if why_not:
                problems.append(Problem(where, None, f"not allowed: {why_not}"))
            cited = _inbound_references(con, model, record) if record else []
            if cited:
                problems.append(Problem(where, None, f"cannot be removed: still cited by {', '.join(cited)}"))
        if problems:
            raise WriteRejected(problems)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        gone = [(k, why) for k, why in zip(keys, reasons, strict=True) if k in existing]
        cond = " AND ".join(f"{c} = ?" for c in model.__primary_key__)
        for key, _why in gone:
            con.execute(f"DELETE FROM {model.__table__} WHERE {cond}", list(key))
        audit = [_audit_entry(model, actor, k, existing[k], None, why, now) for k, why in gone]
        if audit:
            _insert_frame(con, "audit_log", list(TABLES["audit_log"].model_fields), audit)
    return len(gone)
