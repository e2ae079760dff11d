"""AppTest: the Import IEA data page (secretariat and admins only; preview writes nothing; apply writes once)."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher

from ctatracker.store import auth
from ctatracker.store.database import connect
from tests.app.conftest import open_signed_in

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "iea"
PAGE = "views/iea_import.py"
PASSWORD = "correct horse battery"
SECRETARIAT, ADMIN, FOCAL = "sec@alp.example", "admin@alp.example", "fp@ind.example"


@pytest.fixture()
def db(built_db: Path, tmp_path: Path, point_at, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(auth, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8192))
    path = tmp_path / "tracker.duckdb"
    path.write_bytes(built_db.read_bytes())
    con = connect(path)
    auth.add_user(con, SECRETARIAT, "secretariat", password=PASSWORD)
    auth.add_user(con, ADMIN, "admin", password=PASSWORD)
    auth.add_user(con, FOCAL, "focal_point", country="IND", password=PASSWORD)
    con.close()
    point_at(path)
    return path


def _count(db: Path, sql: str) -> int:
    con = connect(db)  # the app in this process holds the file read-write: same configuration
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _text(at, kind: str) -> str:
    return "\n".join(str(e.value) for e in getattr(at, kind))


@pytest.mark.parametrize("email", [None, FOCAL])
def test_only_the_secretariat_and_admins_see_it(db: Path, email: str | None) -> None:
    at = open_signed_in(PAGE, email)
    assert not at.get("file_uploader")
    assert "Import IEA data** is for the" in _text(at, "info") + _text(at, "warning")


def test_preview_writes_nothing_and_apply_imports_once(db: Path) -> None:
    at = open_signed_in(PAGE, SECRETARIAT)
    before = _count(db, "SELECT count(*) FROM audit_log")
    upload = (FIXTURES / "gev-2024-crlf.csv").read_bytes()
    at.file_uploader(key="iea_file_0").set_value(("gev-2024.csv", upload, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Added"] == "10" and metrics["Conflicts"] == "0" and metrics["Scenario values"] == "2"
    assert "Global EV Outlook 2024 edition" in _text(at, "markdown")
    assert _count(db, "SELECT count(*) FROM audit_log") == before  # the preview wrote nothing
    at.button(key="iea_apply").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "10 added" in _text(at, "success")
    assert _count(db, "SELECT count(*) FROM observations WHERE source_id = 'iea-gev-data-2024'") == 10
    assert _count(db, "SELECT count(DISTINCT actor) FROM audit_log WHERE reason = 'IEA import gev-2024.csv'") == 1
    at.file_uploader(key="iea_file_1").set_value(("gev-2024.csv", upload, "text/csv")).run()
    assert {m.label: m.value for m in at.metric}["Added"] == "0"
    assert at.button(key="iea_apply").disabled
    assert "already holds everything" in _text(at, "info")


def test_admin_sees_the_real_workbook_already_imported(db: Path) -> None:
    at = open_signed_in(PAGE, ADMIN)
    workbook = (Path(__file__).resolve().parents[2] / "data" / "external" / "EVDataExplorer2025.xlsx").read_bytes()
    at.file_uploader(key="iea_file_0").set_value(("EVDataExplorer2025.xlsx", workbook, "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Added"], metrics["Updated"], metrics["Conflicts"]) == ("0", "0", "0")  # the build imported it


def test_a_bad_file_gets_its_reason_and_nothing_is_written(db: Path) -> None:
    at = open_signed_in(PAGE, SECRETARIAT)
    before = _count(db, "SELECT count(*) FROM audit_log")
    bad = (FIXTURES / "reject_share_120.csv").read_bytes()
    at.file_uploader(key="iea_file_0").set_value(("shares.csv", bad, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    error = _text(at, "error")
    assert "cannot be imported" in error and "a share outside 0-100%: line 3" in error
    assert not at.get("button") or not any(b.key == "iea_apply" for b in at.button)
    assert _count(db, "SELECT count(*) FROM audit_log") == before
