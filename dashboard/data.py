"""The only module that caches: one DuckDB connection per server process, a cursor per script run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from ctatracker import queries
from ctatracker.config import settings
from ctatracker.store import connect

BUILD_COMMAND = "python -m pipelines build"


@st.cache_resource(show_spinner=False)
def _connection(path: str, version: float) -> duckdb.DuckDBPyConnection:
    """Open the database once per process (and again when the file is rebuilt)."""
    return connect(path, read_only=True)


def _db_path() -> Path:
    return settings().db_path


def db_version() -> float:
    """Modification time of the database file: changes when it is rebuilt or imported into."""
    path = _db_path()
    return path.stat().st_mtime if path.exists() else 0.0


def cursor() -> duckdb.DuckDBPyConnection:
    """A fresh cursor on the shared connection (a connection must not serve two sessions at once)."""
    return _connection(str(_db_path()), db_version()).cursor()


def database_problem() -> str | None:
    """A plain explanation when the database is missing or empty, else None."""
    path = _db_path()
    if not path.exists():
        return f"The tracker's database has not been built yet (no file at `{path}`)."
    try:
        counts = queries.table_counts(cursor())
    except duckdb.Error as exc:
        return f"The tracker's database at `{path}` cannot be read: {exc}"
    if counts.get("countries", 0) == 0:
        return f"The tracker's database at `{path}` is empty."
    return None


def load(query: Callable[..., Any], **filters: Any) -> Any:
    """Run one query-layer function with a fresh cursor."""
    return query(cursor(), **filters)


@st.cache_data(show_spinner=False, max_entries=64)
def cached(name: str, version: float, **filters: Any) -> pd.DataFrame:
    """Cache an expensive derived table (e.g. the gap table) until the database file changes."""
    from ctatracker import analysis

    return getattr(analysis, name)(cursor(), **filters)
