"""IEA importer against edits made in the tracker: left and reported as conflicts unless overwritten; export-seed
keeps them; only the secretariat, admins and the system may import (checked in the write path too)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ctatracker.io import iea
from ctatracker.io.iea import ImportRejected, apply, prepare
from ctatracker.io.seed_export import table_csv
from ctatracker.model.enums import Role
from ctatracker.model.schema import Observation
from ctatracker.store import database
from ctatracker.store.permissions import Actor
from pipelines.seed import build
from tests.pipelines.iea_helpers import FIXTURES, do_import, make_db, query

FILE = FIXTURES / "gev-2024-crlf.csv"
KEY = ("THA", "ev_sales_share", "cars", 2023, "iea-gev-data-2024")
SECRETARIAT = Actor(name="sec@alp.example", role=Role.SECRETARIAT)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = make_db(tmp_path / "tracker.duckdb")
    do_import(FILE, path)
    return path


def _edit(db: Path, value: float | None) -> None:
    """The secretariat edits (or removes, value None) Thailand's 2023 share through the write path."""
    con = database.connect(db)
    try:
        if value is None:
            database.delete_rows(con, Observation, [KEY], SECRETARIAT, reason="not an annual figure")
        else:
            row = Observation.model_validate({**database.current_record(con, Observation, KEY), "value": value})
            database.write_rows(con, [row], SECRETARIAT, reason="corrected from the national registry")
    finally:
        con.close()


def _value(db: Path) -> list[tuple]:
    return query(db, "SELECT value FROM observations WHERE country_iso3 = ? AND indicator_code = ? AND mode = ? "
                     "AND year = ? AND source_id = ?", list(KEY))


def _changed_file(tmp_path: Path) -> Path:
    changed = tmp_path / "changed.csv"
    changed.write_bytes(FILE.read_bytes().replace(b"Cars,EV,2023,percent,10\r\n", b"Cars,EV,2023,percent,11\r\n"))
    assert changed.read_bytes() != FILE.read_bytes()
    return changed


def test_an_edit_is_left_and_reported_as_a_conflict(db: Path) -> None:
    _edit(db, 10.5)
    summary = do_import(FILE, db)
    assert _value(db) == [(10.5,)]
    assert [(o.country_iso3, o.value, now) for o, now in summary.plan.conflicts] == [("THA", 10.0, "10.5")]
    assert summary.counts["updated"] == 0
    assert any("conflict: THA ev_sales_share cars 2023: the file says 10, the tracker holds 10.5" in line
               for line in summary.lines())


def test_overwrite_edits_overwrites_with_audit(db: Path) -> None:
    _edit(db, 10.5)
    summary = do_import(FILE, db, overwrite_edits=True)
    assert _value(db) == [(10.0,)] and summary.counts["updated"] == 1
    last = query(db, "SELECT reason FROM audit_log WHERE row_key LIKE '%THA%ev_sales_share%2023%' "
                     "ORDER BY changed_at DESC LIMIT 1")
    assert last == [("IEA import gev-2024-crlf.csv",)]
    assert do_import(FILE, db).plan.conflicts == []  # the import is again the latest change


def test_a_new_value_from_iea_updates_rows_nobody_edited(db: Path, tmp_path: Path) -> None:
    summary = do_import(_changed_file(tmp_path), db)
    assert _value(db) == [(11.0,)] and summary.counts["updated"] == 1 and not summary.plan.conflicts


def test_a_removal_in_the_tracker_is_an_edit_too(db: Path) -> None:
    _edit(db, None)
    summary = do_import(FILE, db)
    assert _value(db) == [] and summary.counts["added"] == 0
    assert [now for _, now in summary.plan.conflicts] == ["nothing (removed in the tracker)"]


def test_export_seed_keeps_edited_rows_and_leaves_imported_ones_out(db: Path) -> None:
    con = database.connect(db, read_only=True)
    text, n = table_csv(con, Observation)
    con.close()
    assert n == 0, text
    _edit(db, 10.5)
    con = database.connect(db, read_only=True)
    text, n = table_csv(con, Observation)
    con.close()
    assert n == 1 and "THA,ev_sales_share,cars,2023,10.5,iea-gev-data-2024" in text


def test_an_exported_edit_survives_a_rebuild(built_db: Path, seed_dir: Path, tmp_path: Path) -> None:
    seed = shutil.copytree(seed_dir, tmp_path / "seed")
    shutil.copytree(seed_dir.parent / "external", tmp_path / "external")
    db = tmp_path / "t.duckdb"
    shutil.copy(built_db, db)
    con = database.connect(db)
    key = ("VNM", "ev_sales_share", "cars", 2024, "iea-gev-data-2025")
    row = Observation.model_validate({**database.current_record(con, Observation, key), "value": 16.5})
    database.write_rows(con, [row], SECRETARIAT, reason="checked against the registry")
    from ctatracker.io.seed_export import export

    export(con, seed)
    con.close()
    build(seed, tmp_path / "rebuilt.duckdb", progress=lambda _line: None)
    assert query(tmp_path / "rebuilt.duckdb", "SELECT value FROM observations WHERE country_iso3 = 'VNM' AND "
                 "indicator_code = 'ev_sales_share' AND mode = 'cars' AND year = 2024 AND source_id = "
                 "'iea-gev-data-2025'") == [(16.5,)]


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.VIEWER])
def test_only_the_secretariat_admins_and_system_import(db: Path, role: Role) -> None:
    actor = Actor(name="someone", role=role, country_iso3="THA" if role is Role.FOCAL_POINT else None)
    prepared = prepare(FIXTURES / "gevo-2025-export.csv", {"CHN", "IND", "VNM"})
    con = database.connect(db)
    try:
        before = con.execute("SELECT count(*) FROM audit_log").fetchone()
        with pytest.raises(ImportRejected, match="only the secretariat and admins"):
            apply(con, prepared, actor)
        assert con.execute("SELECT count(*) FROM audit_log").fetchone() == before
    finally:
        con.close()


def test_the_write_path_refuses_a_focal_point_even_past_the_importer(db: Path, monkeypatch) -> None:
    monkeypatch.setattr(iea, "IMPORT_ROLES", frozenset(Role))  # as if the importer forgot its check
    actor = Actor(name="fp", role=Role.FOCAL_POINT, country_iso3="CHN")
    prepared = prepare(FIXTURES / "gevo-2025-export.csv", {"CHN", "IND", "VNM"})
    con = database.connect(db)
    try:
        before = con.execute("SELECT (SELECT count(*) FROM observations), (SELECT count(*) FROM sources)").fetchone()
        with pytest.raises(ImportRejected, match="refused") as caught:
            apply(con, prepared, actor)
        assert "not allowed" in str(caught.value)
        assert con.execute("SELECT (SELECT count(*) FROM observations), (SELECT count(*) FROM sources)"
                           ).fetchone() == before
    finally:
        con.close()


def test_the_secretariat_imports_with_its_name_in_the_audit(db: Path) -> None:
    prepared = prepare(FIXTURES / "gevo-2025-export.csv", {"CHN", "IND", "VNM"})
    con = database.connect(db)
    try:
        summary = apply(con, prepared, SECRETARIAT)
    finally:
        con.close()
    assert summary.counts["added"] > 0
    assert query(db, "SELECT DISTINCT actor, reason FROM audit_log WHERE row_key LIKE '%iea-gev-data-2025%'") == [
        ("sec@alp.example", "IEA import gevo-2025-export.csv")]
