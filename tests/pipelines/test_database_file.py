"""Replacing the database never leaves a write-ahead log of another file; a stale log or a held file is explained."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ctatracker.store.database import connect
from ctatracker.store.dbfile import DatabaseUnavailable
from pipelines.__main__ import main
from pipelines.seed import build, swap_in
from tests.holder import holding, leave_wal


@pytest.fixture()
def db(built_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "tracker.duckdb"
    shutil.copy(built_db, path)
    return path


def _tables(db: Path) -> set[str]:
    con = connect(db)  # read-write: fails on a stale log
    try:
        return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    finally:
        con.close()


def test_forced_rebuild_after_a_killed_writer_leaves_a_database_that_opens(db: Path, capsys) -> None:
    leave_wal(db)  # the app wrote, then was killed -9
    assert main(["build", "--force", "--db", str(db)]) == 0
    assert not Path(f"{db}.wal").exists()
    assert "scratch" not in _tables(db)  # the rebuilt file, opened read-write without a WAL error
    assert not list(db.parent.glob(".*")), "no temporary or set-aside files left"


def _stale_log(db: Path, seed_dir: Path) -> None:
    """A log left beside a file it does not belong to (what the old build did: a new file, the old log)."""
    leave_wal(db)
    other = db.with_name("other.duckdb")
    build(seed_dir, other, progress=lambda _line: None)
    other.replace(db)


def test_a_stale_log_is_explained_and_never_answered_with_build_it(db: Path, seed_dir: Path, capsys) -> None:
    _stale_log(db, seed_dir)
    with pytest.raises(DatabaseUnavailable) as caught:
        connect(db)
    assert caught.value.reason == "stale_wal"
    assert "tracker.duckdb.wal" in str(caught.value) and "belongs to an earlier copy" in str(caught.value)
    assert main(["build", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "belongs to an earlier copy" in err and "--force" in err and "Traceback" not in err


def test_forced_rebuild_sets_a_stale_log_aside(db: Path, seed_dir: Path) -> None:
    _stale_log(db, seed_dir)
    assert main(["build", "--force", "--db", str(db)]) == 0
    assert "countries" in _tables(db)
    assert not Path(f"{db}.wal").exists()


def test_the_swap_is_refused_while_a_writer_holds_the_database(db: Path, built_db: Path) -> None:
    new = db.with_name("new.duckdb")
    shutil.copy(built_db, new)
    inode = db.stat().st_ino
    with holding(db, "rw"), pytest.raises(DatabaseUnavailable) as caught:
        swap_in(new, db)
    assert caught.value.reason == "locked" and "open in another program" in str(caught.value)
    assert db.stat().st_ino == inode and new.exists()


def test_the_swap_goes_ahead_beside_readers(db: Path, built_db: Path) -> None:
    new = db.with_name("new.duckdb")
    shutil.copy(built_db, new)
    with holding(db, "ro"):
        swap_in(new, db)
    assert not new.exists() and "countries" in _tables(db)
