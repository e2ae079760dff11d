"""AppTest: a database held by another program or with a stale write-ahead log is explained, never 'build it'."""

from __future__ import annotations

import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

from pipelines.seed import build
from tests.app.conftest import APP
from tests.holder import holding, leave_wal


def test_a_database_held_by_another_program_is_explained(point_at, built_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "tracker.duckdb"
    shutil.copy(built_db, db)
    point_at(db)
    with holding(db, "rw") as holder:
        at = AppTest.from_file(APP).run()
    assert not at.exception
    text = at.error[0].value
    assert "open in another program" in text and f"process {holder.pid}" in text
    assert "pipelines build" not in text and "do not rebuild" in text


def test_a_stale_write_ahead_log_is_explained(point_at, seed_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "tracker.duckdb"
    build(seed_dir, db, progress=lambda _line: None)
    leave_wal(db)
    build(seed_dir, tmp_path / "other.duckdb", progress=lambda _line: None)
    (tmp_path / "other.duckdb").replace(db)  # a new file beside the old file's log
    point_at(db)
    at = AppTest.from_file(APP).run()
    assert not at.exception
    text = at.error[0].value
    assert "tracker.duckdb.wal" in text and "belongs to an earlier copy" in text
    assert "pipelines build" not in text
