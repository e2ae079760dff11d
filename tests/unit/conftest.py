"""Fixtures of the unit tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from ctatracker.store.database import connect


@pytest.fixture()
def con(seed_copy: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the test's own copy of the seed database, to write to (a test file may define its own)."""
    con = connect(seed_copy)
    yield con
    con.close()
