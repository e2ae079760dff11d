"""Opening the database file: plain explanations of why it cannot be opened, and what to do about it.

DuckDB keeps recent writes in a write-ahead log beside the file (`tracker.duckdb.wal`). The log belongs to one
database file: a log left beside a *different* file (after the file was replaced) makes every open fail. The seed
build never leaves one behind (see pipelines/seed.py); these messages cover the cases a person can still meet.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb


class DatabaseUnavailable(duckdb.IOException):
    """The database file cannot be opened; the message says why and what to do (safe to show to a person)."""

    def __init__(self, message: str, reason: str):
        self.reason = reason  # "locked", "stale_wal", "missing", "not_a_file", "not_a_database" or "unreadable"
        super().__init__(message)


def wal_path(db_path: Path | str) -> Path:
    """The write-ahead log DuckDB keeps beside a database file."""
    return Path(f"{db_path}.wal")


def reason_of(exc: BaseException) -> str:
    """Classify an error raised while opening a database file."""
    text = str(exc)
    if "Conflicting lock" in text or "Could not set lock" in text:
        return "locked"
    if "WAL" in text and ("does not match" in text or "replaying" in text):
        return "stale_wal"
    if "does not exist" in text or "No such file" in text:
        return "missing"
    if "Is a directory" in text:
        return "not_a_file"
    if "not a valid DuckDB database" in text or "valid DuckDB" in text:
        return "not_a_database"
    return "unreadable"


def explain(db_path: Path | str, exc: BaseException) -> DatabaseUnavailable:
    """A DatabaseUnavailable whose message tells a person what happened to `db_path` and what to do."""
    path = Path(db_path)
    reason = reason_of(exc)
    if reason == "locked":
        pid = re.search(r"PID (\d+)", str(exc))
        holder = f" (process {pid.group(1)})" if pid else ""
        message = (f"The database {path} is open in another program{holder}. Only one program may write it at a "
                   "time: stop the tracker app or the other `python -m pipelines` command, then try again. "
                   "The file itself is fine; do not rebuild it.")
    elif reason == "stale_wal":
        wal = wal_path(path)
        message = (f"The database {path} cannot be opened: the write-ahead log {wal.name} beside it belongs to an "
                   "earlier copy of the file (it was left when the file was replaced). The database file itself "
                   f"is intact. Stop the app, move {wal.name} out of {path.parent}, then start the app again.")
    elif reason == "missing":
        message = f"There is no database at {path}; build it with `python -m pipelines build`."
    elif reason == "not_a_file":
        message = f"{path} is a folder, not a database file: give the path of the .duckdb file."
    elif reason == "not_a_database":
        message = f"{path} is not a tracker database (DuckDB cannot read it): check the path."
    else:
        message = f"The database {path} cannot be opened: {exc}"
    error = DatabaseUnavailable(message, reason)
    error.__cause__ = exc
    return error


RESTORE_SLACK_NS = 1_000_000_000
"""How much later than its log a database file may have been written before it counts as replaced (file systems
keep times to a second or two)."""


def _replaced_under_log(path: Path) -> bool:
    """Whether the database file was written after its write-ahead log last was: a program stopped without closing
    it, and the file was replaced since (a backup copied in). DuckDB would apply that program's log to the copy."""
    try:
        return path.stat().st_mtime_ns > wal_path(path).stat().st_mtime_ns + RESTORE_SLACK_NS
    except OSError:
        return False


def _refuse_replaced(path: Path) -> None:
    """Refuse to open a file replaced under a left-over log, unless a running program holds it (then it is that
    program's live log, and the lock is what to explain)."""
    try:
        duckdb.connect(str(path), read_only=True).close()  # a read-only look changes nothing on disk
    except (duckdb.IOException, duckdb.SerializationException, duckdb.InvalidInputException) as exc:
        raise explain(path, exc) from exc
    wal = wal_path(path)
    raise DatabaseUnavailable(
        f"The database {path} cannot be opened: the write-ahead log {wal.name} beside it belongs to an earlier "
        "copy of the file (a program stopped without closing it, and the file was replaced since, e.g. by a "
        "restored backup); opening would apply that program's unsaved changes to this copy. Nothing was opened. "
        f"To use the file as it is, stop the app, move {wal.name} out of {path.parent}, then start again.",
        "stale_wal")


def open_database(db_path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, raising DatabaseUnavailable with a plain explanation when the file cannot be opened (or
    when it was replaced under a log left by a program that stopped without closing it)."""
    if str(db_path) == ":memory:":
        return duckdb.connect(":memory:")
    if _replaced_under_log(Path(db_path)):
        _refuse_replaced(Path(db_path))
    try:
        return duckdb.connect(str(db_path), read_only=read_only)
    except (duckdb.IOException, duckdb.SerializationException, duckdb.InvalidInputException) as exc:
        raise explain(db_path, exc) from exc
