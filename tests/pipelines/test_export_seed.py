"""export-seed: the database's tables written back as seed CSVs (round trip, edits, datasets, all-or-nothing)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ctatracker.io import seed_export
from ctatracker.model.enums import Role
from ctatracker.model.schema import FACT_MODELS, Observation, Policy
from ctatracker.store.database import connect, current_record, write_rows
from ctatracker.store.permissions import Actor
from pipelines.__main__ import main
from pipelines.seed import build
from tests.conftest import SEED_DIR

SECRETARIAT = Actor(name="sec@alp.example", role=Role.SECRETARIAT)
TABLES = [f"{m.__table__}.csv" for m in FACT_MODELS]


@pytest.fixture()
def seed_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "seed"
    shutil.copytree(SEED_DIR, folder)
    return folder


@pytest.fixture()
def db_copy(built_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "tracker.duckdb"
    path.write_bytes(built_db.read_bytes())
    return path


def test_exporting_an_unchanged_database_rewrites_the_seed_byte_for_byte(built_db, seed_copy) -> None:
    con = connect(built_db, read_only=True)
    try:
        counts = seed_export.export(con, seed_copy)
    finally:
        con.close()
    assert sorted(counts) == sorted(m.__table__ for m in FACT_MODELS)
    for name in TABLES:
        assert (seed_copy / name).read_bytes() == (SEED_DIR / name).read_bytes(), name
    assert not list(seed_copy.glob(".export-*"))  # the staging folder is gone


def test_imported_dataset_rows_stay_out_of_the_seed(built_db, tmp_path) -> None:
    con = connect(built_db, read_only=True)
    try:
        in_db = con.execute("SELECT count(*) FROM observations WHERE source_id = 'iea-gev-data-2023'").fetchall()[0][0]
        counts = seed_export.export(con, tmp_path / "out")
    finally:
        con.close()
    assert in_db > 0, "the build imported no IEA rows; this test needs some"
    text = (tmp_path / "out" / "observations.csv").read_text(encoding="utf-8")
    assert "iea-gev-data-2023" not in text
    assert counts["observations"] == len(text.splitlines()) - 1


def test_an_approved_edit_changes_only_its_rows_and_survives_a_rebuild(db_copy, seed_copy, tmp_path) -> None:
    con = connect(db_copy)
    key = con.execute("SELECT country_iso3, indicator_code, mode, year, source_id FROM observations "
                      "WHERE source_id <> 'iea-gev-data-2023' AND source_id NOT LIKE 'edgar-ghg-%' ORDER BY ALL LIMIT 1"
                      ).fetchall()[0]
    old = current_record(con, Observation, key)
    write_rows(con, [Observation(**{**old, "value": 12.34, "note": "corrected, with its source"})], SECRETARIAT)
    some = current_record(con, Policy, (con.execute("SELECT id FROM policies LIMIT 1").fetchall()[0][0],))
    write_rows(con, [Policy(**{**some, "id": "zz-new-policy", "name": "A new policy, added in the tracker"})],
               SECRETARIAT)
    seed_export.export(con, seed_copy)
    con.close()

    changed = {}
    for name in TABLES:
        before = (SEED_DIR / name).read_text(encoding="utf-8").splitlines()
        after = (seed_copy / name).read_text(encoding="utf-8").splitlines()
        if before != after:
            changed[name] = (set(before) ^ set(after), len(after) - len(before))
    assert set(changed) == {"observations.csv", "policies.csv"}
    lines, grown = changed["observations.csv"]
    assert len(lines) == 2 and grown == 0  # one row out, the same row back with the new value
    assert any(",12.34," in line for line in lines)
    lines, grown = changed["policies.csv"]
    assert grown == 1 and len(lines) == 1
    assert (seed_copy / "policies.csv").read_text(encoding="utf-8").splitlines()[-1].startswith("zz-new-policy,")

    rebuilt = tmp_path / "rebuilt.duckdb"
    build(seed_copy, rebuilt, progress=lambda _line: None)
    con = connect(rebuilt, read_only=True)
    try:
        assert current_record(con, Observation, key)["value"] == 12.34
        assert current_record(con, Policy, ("zz-new-policy",))["name"] == "A new policy, added in the tracker"
    finally:
        con.close()


def test_a_failed_export_leaves_the_folder_as_it_was(built_db, seed_copy, monkeypatch) -> None:
    real = seed_export.table_csv
    calls = []

    def failing(con, model, previous=None):
        calls.append(model)
        if len(calls) == 5:
            raise OSError("disk full")
        return real(con, model, previous)

    monkeypatch.setattr(seed_export, "table_csv", failing)
    con = connect(built_db, read_only=True)
    try:
        with pytest.raises(OSError, match="disk full"):
            seed_export.export(con, seed_copy)
    finally:
        con.close()
    for name in TABLES:
        assert (seed_copy / name).read_bytes() == (SEED_DIR / name).read_bytes(), name
    assert not list(seed_copy.glob(".export-*"))


def test_command_line(built_db, tmp_path, capsys) -> None:
    assert main(["export-seed", "--out", str(tmp_path / "out"), "--db", str(built_db)]) == 0
    said = capsys.readouterr().out
    assert "observations" in said and f"Wrote {len(FACT_MODELS)} files" in said
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(TABLES)
    assert (tmp_path / "out" / "sources.csv").read_bytes().split(b"\n")[0].endswith(b"\r")  # CRLF for new files
    assert main(["export-seed", "--out", str(tmp_path / "x"), "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "No database" in capsys.readouterr().err


def test_text_a_spreadsheet_would_run_as_a_formula_is_neutralised_and_survives_a_rebuild(db_copy, seed_copy,
                                                                                        tmp_path) -> None:
    """export-seed wrote '=HYPERLINK(...)' as it was: a reviewer opening the CSV in a spreadsheet ran it."""
    import csv

    con = connect(db_copy)
    key = con.execute("SELECT country_iso3, indicator_code, mode, year, source_id FROM observations "
                      "WHERE source_id <> 'iea-gev-data-2023' AND source_id NOT LIKE 'edgar-ghg-%' ORDER BY ALL LIMIT 1"
                      ).fetchall()[0]
    note = '=HYPERLINK("https://evil.example","click")\n+1 more line\n@SUM(A1)'
    old = current_record(con, Observation, key)
    write_rows(con, [Observation(**{**old, "note": note})], SECRETARIAT)
    seed_export.export(con, seed_copy)
    con.close()
    with (seed_copy / "observations.csv").open(encoding="utf-8", newline="") as f:
        notes = [row["note"] for row in csv.DictReader(f)]
    written = next(n for n in notes if "HYPERLINK" in n)
    assert written == "'=HYPERLINK(\"https://evil.example\",\"click\")\n'+1 more line\n'@SUM(A1)"
    assert not any(line.startswith(("=", "+", "-", "@")) for n in notes for line in n.splitlines())
    rebuilt = tmp_path / "rebuilt.duckdb"
    build(seed_copy, rebuilt, progress=lambda _line: None)
    con = connect(rebuilt, read_only=True)
    try:
        assert current_record(con, Observation, key)["note"] == note  # the apostrophes come off again
    finally:
        con.close()


def test_what_a_killed_export_left_is_removed_by_the_next(built_db, seed_copy) -> None:
    (seed_copy / ".export-killed").mkdir()
    (seed_copy / ".export-killed" / "observations.csv").write_text("half", encoding="utf-8")
    con = connect(built_db, read_only=True)
    try:
        seed_export.export(con, seed_copy)
    finally:
        con.close()
    assert not list(seed_copy.glob(".export-*"))
