"""A write that loses a race is explained in the tracker's words; DuckDB's own text never reaches people."""

from __future__ import annotations

import duckdb
import pytest

from ctatracker.store import database
from ctatracker.store.database import WriteConflict


def test_a_write_conflict_names_no_database_internals() -> None:
    con = duckdb.connect(":memory:")
    internal = "TransactionContext Error: Catalog write-write conflict on alter with \"observations\""
    with pytest.raises(WriteConflict) as caught, database._writing(con, own_transaction=False):
        raise duckdb.TransactionException(internal)
    text = str(caught.value)
    assert text.startswith("Someone else changed the same record at the same moment, so nothing was saved.")
    assert "TransactionContext" not in text and "Catalog" not in text and "(" not in text
