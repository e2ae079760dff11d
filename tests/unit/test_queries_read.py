"""The large observations read goes through Arrow and gives the frame the plain DuckDB read gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from ctatracker.store import queries
from ctatracker.store.database import connect


def _plain(cur, sql: str, params: list) -> pd.DataFrame:
    return cur.execute(sql, params).fetchdf()


def test_observations_equal_the_plain_read_with_the_same_types(built_db: Path, monkeypatch) -> None:
    con = connect(built_db, read_only=True)
    try:
        fast = queries.observations(con.cursor())
        monkeypatch.setattr(queries, "_large_frame", lambda cur, sql, params=None: _plain(cur, sql, list(params or [])))
        plain = queries.observations(con.cursor())
    finally:
        con.close()
    assert len(fast) > 100
    pd.testing.assert_frame_equal(fast, plain)


def test_a_missing_integer_stays_a_nullable_integer(built_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(built_db, db)
    con = connect(db)
    try:
        source = con.execute("SELECT source_id FROM observations LIMIT 1").fetchone()[0]
        con.execute("UPDATE sources SET year = NULL WHERE id = ?", [source])
        frame = queries.observations(con.cursor())
    finally:
        con.close()
    assert str(frame["source_year"].dtype) == "Int32"
    assert frame.loc[frame["source_id"] == source, "source_year"].isna().all()
    assert frame.loc[frame["source_id"] != source, "source_year"].notna().all()
    assert frame["year"].dtype.kind == "i"  # no missing year: a plain integer column, as before
