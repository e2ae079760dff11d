"""A backup copied over the database beside the log of a writer killed -9: the log is never applied to it
silently; the file is refused with one plain line until the log is moved aside."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from ctatracker.store.database import connect
from ctatracker.store.dbfile import DatabaseUnavailable
from pipelines.__main__ import main
from tests.holder import holding, leave_wal


def _tables(db: Path) -> set[str]:
    con = connect(db, read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    finally:
        con.close()


@pytest.fixture()
def restored(built_db: Path, tmp_path: Path) -> Path:
    """The app wrote (table scratch, in its log only) and was killed -9; a minute later the operator copied the
    backup (the file as it was before) over the database, leaving the log beside it."""
    db = tmp_path / "tracker.duckdb"
    shutil.copyfile(built_db, db)
    backup = tmp_path / "backup.duckdb"
    shutil.copyfile(db, backup)
    leave_wal(db)
    wal = Path(f"{db}.wal")
    a_minute_ago = time.time() - 60
    os.utime(wal, (a_minute_ago, a_minute_ago))
    shutil.copyfile(backup, db)
    return db


def test_a_restored_backup_is_not_given_the_dead_writers_log(restored: Path, capsys) -> None:
    """DuckDB replayed the log onto the backup: the killed writer's table appeared in the restored copy."""
    with pytest.raises(DatabaseUnavailable) as caught:
        connect(restored)
    assert caught.value.reason == "stale_wal"
    assert "restored backup" in str(caught.value) and "move tracker.duckdb.wal out of" in str(caught.value)
    assert main(["gaps", "--db", str(restored)]) == 1
    err = capsys.readouterr().err
    assert "restored backup" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    Path(f"{restored}.wal").rename(restored.with_name("set-aside.wal"))
    assert "scratch" not in _tables(restored)  # the backup as it was


def test_a_crashed_writer_whose_file_was_not_replaced_is_recovered(built_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "tracker.duckdb"
    shutil.copyfile(built_db, db)
    leave_wal(db)
    assert "scratch" in _tables(db)  # its own log: applied, as DuckDB does after a crash


def test_a_running_writer_is_explained_as_holding_the_file(restored: Path) -> None:
    Path(f"{restored}.wal").unlink()
    with holding(restored, "write"):
        os.utime(Path(f"{restored}.wal"), (time.time() - 60, time.time() - 60))
        os.utime(restored)
        with pytest.raises(DatabaseUnavailable) as caught:
            connect(restored)
        assert caught.value.reason == "locked"
