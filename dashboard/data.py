"""The only module that caches: one DuckDB connection per server process, a cursor per script run.

The app is the single read-write process on the database file once accounts exist (settings.db_mode "auto"):
people edit through it, and batch jobs run while it is stopped. Without accounts it opens the file read-only,
so that other processes (the seed build's readers, tests) can read it at the same time. A viewer
(settings.viewer) opens a published snapshot read-only and refuses every write; the editing app can publish
that snapshot after each change to published data (settings.publish_to).
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import streamlit as st

from ctatracker.analysis import derived
from ctatracker.config import settings
from ctatracker.findings import profile
from ctatracker.findings.read import findings as read_findings
from ctatracker.model.schema import TABLES
from ctatracker.store import queries
from ctatracker.store.contributions import account_count
from ctatracker.store.database import connect
from ctatracker.store.dbfile import DatabaseUnavailable, explain
from ctatracker.store.migrate import missing_columns, upgrade_schema
from ctatracker.store.publish import PRIVATE_TABLES, publish

BUILD_COMMAND = "python -m pipelines build"
_log = logging.getLogger(__name__)
_generation = 0
_generation_lock = threading.Lock()
_SNAPSHOT = "snapshot"


@dataclass(frozen=True)
class Database:
    """The process's connection and whether it may write."""

    con: duckdb.DuckDBPyConnection
    read_only: bool


class ReadOnlyCopy(RuntimeError):
    """A write was asked of a copy of the tracker that may not write (a viewer, or a read-only database)."""


def viewer() -> bool:
    """True when this app is a read-only viewer of a published snapshot."""
    return settings().viewer


def _wants_read_write(path: str) -> bool:
    if viewer():
        return False
    mode = settings().db_mode
    if mode != "auto":
        return mode == "read_write"
    try:
        probe = connect(path, read_only=True)
    except duckdb.ConnectionException:  # this process already holds it read-write
        return True
    try:
        return account_count(probe) > 0
    finally:
        probe.close()


def _upgrade_if_needed(path: str) -> None:
    """A database built by an older version gets the tables and columns added since (with their defaults),
    once, before the app opens it; a file held by another process is left for `database_problem` to explain."""
    probe = connect(path, read_only=True)
    try:
        outdated = bool(missing_columns(probe)) or not {m for m in TABLES} <= {
            r[0] for r in probe.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    finally:
        probe.close()
    if outdated:
        con = connect(path)
        try:
            upgrade_schema(con)
        finally:
            con.close()


@st.cache_resource(show_spinner=False)
def _database(path: str, identity: int) -> Database:
    """Open the database once per process (and again when the file is replaced by a rebuild)."""
    # held read-write by this process: already up to date; held by another: explained by database_problem
    with suppress(duckdb.ConnectionException, DatabaseUnavailable):
        _upgrade_if_needed(path)
    read_only = not _wants_read_write(path)
    return Database(connect(path, read_only=read_only), read_only)


@st.cache_resource(show_spinner=False, max_entries=3)
def _snapshot(path: str, identity: int) -> Database:
    """A viewer's snapshot, opened once per published file; older ones are let go (a session still reading
    one keeps its cursor until its run ends)."""
    return Database(_open_snapshot(path), True)


def _open_snapshot(path: str) -> duckdb.DuckDBPyConnection:
    """A snapshot attached read-only to a connection of its own: DuckDB keeps one instance per file path in a
    process, so connecting to the path again would keep serving the replaced file."""
    con = duckdb.connect(":memory:")
    quoted = path.replace("'", "''")
    try:
        con.execute(f"ATTACH '{quoted}' AS {_SNAPSHOT} (READ_ONLY)")
    except duckdb.Error as exc:
        con.close()
        raise explain(path, exc) from exc
    return con


def _db_path() -> Path:
    return settings().db_path


def _identity(path: Path) -> int:
    return path.stat().st_ino if path.exists() else 0


def db_version() -> str:
    """Changes whenever the data may have changed: a rebuild, a checkpoint or a write made by this app."""
    path = _db_path()
    if not path.exists():
        return "missing"
    wal = Path(f"{path}.wal")
    wal_time = wal.stat().st_mtime_ns if wal.exists() else 0
    return f"{path.stat().st_ino}:{path.stat().st_mtime_ns}:{wal_time}:{_generation}"


def database() -> Database:
    """The shared connection of this process."""
    path = _db_path()
    return (_snapshot if viewer() else _database)(str(path), _identity(path))


def cursor() -> duckdb.DuckDBPyConnection:
    """A fresh cursor on the shared connection (a connection must not serve two sessions at once)."""
    cur = database().con.cursor()
    if viewer():
        cur.execute(f"USE {_SNAPSHOT}")
    return cur


def editable() -> bool:
    """True when this app may write (it opened the database read-write)."""
    return not database().read_only


def write(action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run one write-path function with its own cursor; derived caches refresh afterwards, and when published data
    changed: with settings.publish_to set, viewers get a new snapshot; with settings.site_dir set, the public edition
    is written again in the background."""
    global _generation
    if viewer():  # (a read-only database connection refuses writes by itself)
        raise ReadOnlyCopy("This copy of the tracker is read-only, so nothing can be changed here.")
    target, site = settings().publish_to, settings().site_dir
    before = _published_changes()
    result = action(cursor(), *args, **kwargs)
    with _generation_lock:
        _generation += 1
    if _published_changes() == before:  # an account, a submission, a sign-in: nothing readers see changed
        return result
    if target:
        with _publish_lock:
            publish(cursor(), target)
    if site:
        edition_after_change(site)
    _warming.request()
    return result


def edition_after_change(out: Path) -> None:
    """Ask for the public edition in `out` to be written again from the current data, in the background (one
    build at a time; changes made meanwhile are folded into one more), reusing this data version's tables."""
    from ctatracker.edition.build import write_edition
    from ctatracker.edition.refresh import refresher

    def build() -> None:
        write_edition(cursor(), out, settings().site_base_url, shared=_derived_tables(db_version()))

    refresher(out, build).request()


class _OneAtATime:
    """Runs `job` in a background thread, one run at a time: requests made during a run lead to one more run."""

    def __init__(self, job: Callable[[], None]) -> None:
        self._job, self._lock, self._running, self._again = job, threading.Lock(), False, False

    def request(self) -> None:
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
        threading.Thread(target=self._run, name="warm-findings", daemon=True).start()

    def _run(self) -> None:
        again = True
        while again:
            try:
                self._job()
            finally:
                with self._lock:
                    again, self._again = self._again, False
                    self._running = again


def warm() -> None:
    """Compute the findings (and the gap, 30%, Euro and matching tables they rest on) and every country's profile
    of the current data version once, for every session: run right after a change, so no reader meets a cold
    page."""
    with suppress(duckdb.Error), derived.sharing(_derived_tables(db_version())):
        read_findings(cursor())
        countries = queries.countries(cursor())
        profile.country_profiles(cursor(), list(countries["iso3"]))  # every country page, ready


_publish_lock = threading.Lock()
_warming = _OneAtATime(lambda: warm())


def _published_changes() -> int:
    """How many changes to published data the audit log holds (accounts and submissions left out)."""
    private = ", ".join(f"'{t}'" for t in PRIVATE_TABLES)
    return cursor().execute(f"SELECT count(*) FROM audit_log WHERE table_name NOT IN ({private})").fetchone()[0]


def database_problem() -> str | None:
    """What is wrong with the database and what to do (Markdown), or None when it can be read.

    Building is advised only when there is no database or it is empty: a locked file or a stale write-ahead log
    is explained as such (rebuilding would discard accounts and edits).
    """
    path = _db_path()
    if viewer():
        return _viewer_problem(path)
    build_it = f"\n\nBuild it from the seed data with:\n\n```\n{BUILD_COMMAND}\n```\n\nthen reload this page. " \
               "`make run` does both."
    if not path.exists():
        return f"The tracker's database has not been built yet (no file at `{path}`).{build_it}"
    try:
        counts = load(queries.table_counts)  # read again only when the data changes
    except DatabaseUnavailable as exc:
        return f"{exc}\n\nReload this page once that is done."
    except duckdb.Error as exc:
        return (f"The tracker's database at `{path}` exists but cannot be read ({exc}). Stop the app, check the "
                "file (or restore it from a backup), then start the app again.")
    if counts.get("countries", 0) == 0:
        return f"The tracker's database at `{path}` is empty.{build_it}"
    return None


NOT_PUBLISHED = ("Nothing has been published on this site yet. The tracker's figures appear here as soon as the "
                 "secretariat publishes them: please come back in a few minutes.")
UNAVAILABLE = "The tracker's figures cannot be shown at the moment. Please reload this page in a few minutes."


def _viewer_problem(path: Path) -> str | None:
    """What a viewer's readers (the public) are told when its snapshot cannot be served: plain words, never a
    command or a path; the details go to the server log."""
    if not path.exists():
        return NOT_PUBLISHED
    try:
        counts = load(queries.table_counts)
    except duckdb.Error as exc:
        _log.warning("The snapshot %s cannot be read: %s", path, exc)
        return UNAVAILABLE
    return None if counts.get("countries", 0) else NOT_PUBLISHED


def load(query: Callable[..., Any], **filters: Any) -> Any:
    """The result of one query-layer or analysis function (queries.x, analysis.gap_table, ...), cached until the
    data changes (see db_version)."""
    return _query_result(query.__module__, query.__qualname__, db_version(), **filters)


@st.cache_data(show_spinner=False, max_entries=256)
def _query_result(module: str, name: str, version: str, **filters: Any) -> Any:
    with derived.sharing(_derived_tables(version)):  # gap table and the like: once per data version
        return getattr(importlib.import_module(module), name)(cursor(), **filters)


@st.cache_resource(show_spinner=False, max_entries=2)
def _derived_tables(version: str) -> dict:
    """The derived tables of one data version, shared by every session and page (see analysis.sharing)."""
    return {}


def figure(build: Callable[..., Any], **inputs: Any) -> Any:
    """A chart built by a charts function from query results, kept until the data or the inputs change.

    The same figure object serves every session (it is not copied): draw it, never change it.
    """
    return _figure(build.__module__, build.__qualname__, db_version(), **inputs)


@st.cache_resource(show_spinner=False, max_entries=64)
def _figure(module: str, name: str, version: str, **inputs: Any) -> Any:
    return getattr(importlib.import_module(module), name)(**inputs)
