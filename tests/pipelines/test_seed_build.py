"""The seed build: the real seed builds; every broken file is rejected with its location and nothing written."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ctatracker.model.schema import FACT_MODELS
from ctatracker.store.database import connect
from pipelines.__main__ import main
from pipelines.seed import BuildFailed, build

BROKEN = Path(__file__).parent.parent / "fixtures" / "broken_seed"

CASES = {
    "bad_iso": ("observations.csv:3:country_iso3", "not an ISO 3166 alpha-3 country code"),
    "year_3020": ("observations.csv:3:year", "less than or equal to 2100"),
    "share_130": ("observations.csv:3:value", "130 is not a percentage between 0 and 100"),
    "unknown_source": ("observations.csv:3:source_id", "unknown id 'no-such-source'"),
    "duplicate_key": ("observations.csv:3", "duplicate record"),
    "text_in_value": ("observations.csv:3:value", "valid number"),
    "missing_column": ("observations.csv:1", "missing column(s): confidence"),
    "not_utf8": ("observations.csv:2", "not UTF-8"),
    # strict CSV: an unclosed quote swallowed the rows after it into a note, and the build exited 0
    "unclosed_quote": ("observations.csv:", "check for a quote that is never closed"),
    "swallowed_rows": ("observations.csv:2:note", "runs over lines 2-3, which look like rows of their own"),
    "line_break_in_code": ("observations.csv:3:mode", "the cell runs over lines 3-4; only"),
    "short_row": ("observations.csv:3", "the row has 7 cells; the header has 8"),
}


def test_real_seed_builds_every_table(built_db: Path) -> None:
    con = connect(built_db, read_only=True)
    for model in FACT_MODELS:
        assert con.execute(f"SELECT count(*) FROM {model.__table__}").fetchall()[0][0] > 0, model.__table__


def test_every_observation_cites_a_source_with_url_and_year(built_db: Path) -> None:
    con = connect(built_db, read_only=True)
    orphans = con.execute("""
        SELECT o.country_iso3, o.indicator_code, o.year, o.source_id FROM observations o
        LEFT JOIN sources s ON s.id = o.source_id WHERE s.url IS NULL OR s.year IS NULL""").fetchall()
    assert orphans == []


def test_rebuild_is_idempotent(seed_dir: Path, built_db: Path, tmp_path: Path) -> None:
    """A build over a built database gives as many rows in every table (built_db: a first build of the seed)."""
    db = tmp_path / "t.duckdb"
    shutil.copy(built_db, db)
    build(seed_dir, db, progress=lambda _: None)

    def rows(path: Path) -> dict[str, int]:
        con = connect(path, read_only=True)
        try:
            tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
            return {table: con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
        finally:
            con.close()

    first, second = rows(built_db), rows(db)
    assert first == second and second["observations"] > 1000


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_seed_file_is_rejected_and_nothing_written(case: str, seed_dir: Path, tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    shutil.copytree(seed_dir, seed)
    for broken in (BROKEN / case).iterdir():
        shutil.copy(broken, seed / broken.name)
    db = tmp_path / "tracker.duckdb"
    db.write_bytes(b"previous database")  # must survive untouched
    with pytest.raises(BuildFailed) as err:
        build(seed, db, progress=lambda _: None)
    where, message = CASES[case]
    texts = [str(p) for p in err.value.problems]
    assert any(where in t and message in t for t in texts), texts
    assert db.read_bytes() == b"previous database"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_reports_problems_and_exit_code(seed_dir: Path, tmp_path: Path, capsys) -> None:
    seed = tmp_path / "seed"
    shutil.copytree(seed_dir, seed)
    shutil.copy(BROKEN / "share_130" / "observations.csv", seed / "observations.csv")
    assert main(["build", "--seed-dir", str(seed), "--db", str(tmp_path / "x.duckdb")]) == 1
    err = capsys.readouterr().err
    assert "The database was not changed" in err and "130 is not a percentage" in err
    assert not (tmp_path / "x.duckdb").exists()


def test_rebuild_refuses_to_discard_edits_made_in_the_tracker(built_db: Path, tmp_path: Path, capsys) -> None:
    from ctatracker.model.enums import Role
    from ctatracker.model.schema import Observation
    from ctatracker.store.database import write_rows
    from ctatracker.store.permissions import Actor

    db = tmp_path / "edited.duckdb"
    shutil.copy(built_db, db)
    assert main(["build", "--db", str(db)]) == 0  # a database with only seed and import rows: rebuilt freely
    con = connect(db)
    write_rows(con, [Observation(country_iso3="IND", indicator_code="ev_sales_share", mode="cars", year=2023,
                                 value=2.0, source_id="iea-gev-data-2023", confidence="high")],
               Actor(name="alp", role=Role.SECRETARIAT), reason="submission abc")
    con.close()
    before = db.read_bytes()
    assert main(["build", "--db", str(db)]) == 1
    assert "1 account(s), submission(s) or edit(s)" in capsys.readouterr().err
    assert db.read_bytes() == before
    assert main(["build", "--db", str(db), "--force"]) == 0


def test_a_build_removes_what_killed_builds_left_and_keeps_a_running_ones(seed_dir: Path, tmp_path: Path) -> None:
    """Killed builds left .building files (and logs) that no later build removed."""
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)  # a process that has ended
    db = tmp_path / "tracker.duckdb"
    left = [tmp_path / f".tracker.duckdb.{dead}.building", tmp_path / f".tracker.duckdb.{dead}.building.wal",
            tmp_path / f".tracker.duckdb.wal.{dead}.replaced"]
    running = tmp_path / f".tracker.duckdb.{os.getppid()}.building"  # a build still at work elsewhere
    for path in [*left, running]:
        path.write_bytes(b"half a database")
    build(seed_dir, db, progress=lambda _: None)
    assert not any(path.exists() for path in left)
    assert running.exists()


def test_control_characters_quoted_from_a_seed_file_are_printed_as_codes(seed_dir: Path, tmp_path: Path,
                                                                         capsys) -> None:
    seed = tmp_path / "seed"
    shutil.copytree(seed_dir, seed)
    (seed / "observations.csv").write_text(
        "country_iso3,indicator_code,mode,year,value,source_id,confidence,note\n"
        "IND,ev_sales_share,cars,2021,\x1b[2Jfour,iea-gev-data-2023,high,\n", encoding="utf-8")
    assert main(["build", "--seed-dir", str(seed), "--db", str(tmp_path / "x.duckdb")]) == 1
    err = capsys.readouterr().err
    assert "\\x1b[2Jfour" in err and "\x1b" not in err
