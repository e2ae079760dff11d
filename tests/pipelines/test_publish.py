"""Publishing a snapshot for viewers: consistent, without private data, atomic even under `kill -9`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from ctatracker.config import PROJECT_ROOT
from ctatracker.model.schema import Source
from ctatracker.store import auth
from ctatracker.store.database import connect, write_rows
from ctatracker.store.permissions import SYSTEM
from ctatracker.store.publish import publish, publish_file
from pipelines.__main__ import main
from tests.holder import holding


@pytest.fixture()
def db(built_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "t.duckdb"
    path.write_bytes(built_db.read_bytes())
    return path


def _count(path: Path, sql: str) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _add_source(db: Path, ident: str) -> None:
    con = connect(db)
    try:
        write_rows(con, [Source(id=ident, title="A test source", publisher="Test", year=2024,
                                url="https://example.org/a", licence="CC BY 4.0")], SYSTEM)
    finally:
        con.close()


def test_snapshot_holds_published_data_and_no_accounts(db: Path, tmp_path: Path) -> None:
    con = connect(db)
    auth.add_user(con, "sec@alp.example", "secretariat", password="a long enough password")
    observations = con.execute("SELECT count(*) FROM observations").fetchone()[0]
    done = publish(con, tmp_path / "snap.duckdb")  # the editing app's own read-write connection
    con.close()
    snap = done.path
    assert _count(snap, "SELECT count(*) FROM observations") == observations
    assert _count(snap, "SELECT count(*) FROM users") == 0
    assert _count(snap, "SELECT count(*) FROM audit_log WHERE actor LIKE '%@%'") == 0
    assert _count(snap, "SELECT count(*) FROM audit_log WHERE table_name = 'users'") == 0
    assert _count(snap, "SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'") >= 20
    assert not list(tmp_path.glob(".snap.duckdb*")), "no temporary file is left behind"
    assert not Path(f"{snap}.wal").exists()


def test_publish_replaces_the_snapshot_and_clears_leftovers(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "snap.duckdb"
    publish_file(db, out)
    before = _count(out, "SELECT count(*) FROM sources")
    (tmp_path / ".snap.duckdb.1.2.tmp").write_bytes(b"half a file")  # what a killed publish leaves
    _add_source(db, "test-new-source")
    publish_file(db, out)
    assert _count(out, "SELECT count(*) FROM sources") == before + 1
    assert not (tmp_path / ".snap.duckdb.1.2.tmp").exists()


_KILLABLE = textwrap.dedent("""
    import sys, time
    from ctatracker.store import publish as p
    copy = p._copy
    def slow(con, source):
        rows = copy(con, source)
        print("copied", flush=True)
        time.sleep(float(sys.argv[3]))
        return rows
    p._copy = slow
    p.publish_file(sys.argv[1], sys.argv[2])
    print("published", flush=True)
""")


def _start(db: Path, out: Path, pause: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _KILLABLE, str(db), str(out), str(pause)], cwd=PROJECT_ROOT,
                            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})


def test_kill_9_mid_write_leaves_the_old_snapshot_whole(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "snap.duckdb"
    publish_file(db, out)
    old = _count(out, "SELECT count(*) FROM sources")
    _add_source(db, "test-killed-source")
    proc = _start(db, out, pause=60)
    assert proc.stdout.readline().strip() == "copied"  # the new snapshot is half-way: written, not yet in place
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert _count(out, "SELECT count(*) FROM sources") == old  # the old one, whole
    publish_file(db, out)  # the next publish completes and removes what the killed one left
    assert _count(out, "SELECT count(*) FROM sources") == old + 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".snap")] == []


@pytest.mark.parametrize("delay", [0.05, 0.3, 0.6, 1.0])
def test_kill_9_at_any_moment_leaves_old_or_new(db: Path, tmp_path: Path, delay: float) -> None:
    out = tmp_path / "snap.duckdb"
    publish_file(db, out)
    old = _count(out, "SELECT count(*) FROM sources")
    _add_source(db, "test-raced-source")
    proc = _start(db, out, pause=0)
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert _count(out, "SELECT count(*) FROM sources") in (old, old + 1)
    assert _count(out, "SELECT count(*) FROM observations") > 0


def test_cli_publishes_and_refuses_the_database_itself(db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "viewer" / "snap.duckdb"
    assert main(["publish", "--db", str(db), "--out", str(out)]) == 0
    assert "Published" in capsys.readouterr().out and out.exists()
    assert main(["publish", "--db", str(db), "--out", str(db)]) == 1
    assert "another file than the database" in capsys.readouterr().err


def test_cli_explains_a_database_held_by_the_editor(db: Path, tmp_path: Path, capsys) -> None:
    with holding(db):  # the editing app holds the file read-write
        assert main(["publish", "--db", str(db), "--out", str(tmp_path / "snap.duckdb")]) == 1
    assert "open in another program" in capsys.readouterr().err
    assert not (tmp_path / "snap.duckdb").exists()


def test_a_needs_author_is_withheld_in_the_audit_logs_values_too(db: Path, tmp_path: Path) -> None:
    """The audit log's new_values of a need held its author's email in the snapshot (the docs promise it is
    withheld)."""
    from ctatracker.model.schema import Need

    con = connect(db)
    try:
        need = Need(country_iso3="IND", action_area_code="electric_vehicles", need="Charging finance",
                    submitted_by="fp@ind.example")
        write_rows(con, [need], SYSTEM, reason="test")
        write_rows(con, [need.model_copy(update={"need": "Charging and grid finance"})], SYSTEM, reason="test")
    finally:
        con.close()
    snap = publish_file(db, tmp_path / "snap.duckdb").path
    assert _count(snap, "SELECT count(*) FROM audit_log WHERE table_name = 'needs'") == 2
    assert _count(snap, "SELECT count(*) FROM audit_log WHERE coalesce(old_values, '') LIKE '%fp@ind.example%' "
                        "OR coalesce(new_values, '') LIKE '%fp@ind.example%'") == 0
    assert _count(snap, "SELECT count(*) FROM audit_log WHERE table_name = 'needs' "
                        "AND json_extract_string(new_values, '$.submitted_by') = 'withheld' "
                        "AND json_extract_string(new_values, '$.need') = 'Charging and grid finance'") == 1
    assert _count(snap, "SELECT count(*) FROM needs WHERE submitted_by LIKE '%@%'") == 0
    assert _count(db, "SELECT count(*) FROM audit_log WHERE new_values LIKE '%fp@ind.example%'") == 2  # kept there
