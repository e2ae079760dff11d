"""Seed limits: an over-long cell, NUL bytes, a lower-case country code, too many rows or problems all get a
readable message and leave nothing written; a header-only file builds with a warning."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import pipelines.seed as seed
from pipelines.__main__ import main
from pipelines.seed import BuildFailed, build

BROKEN = Path(__file__).parent.parent / "fixtures" / "broken_seed"
CASES = {
    # the csv module's cell limit is set for the whole process, so another library may have raised it: then the
    # row's own check names the cell instead; either way one located line and nothing written
    "long_cell": ("observations.csv:", r"cannot be read as CSV \(field larger than field limit|too long \(200,000"),
    "nul_byte": ("observations.csv:3", "the file holds NUL characters"),
    "lowercase_iso": ("observations.csv:3:country_iso3", "a country code is three capital letters, such as IND"),
}


def _seed_with(seed_dir: Path, tmp_path: Path, case: str) -> Path:
    seed_copy = tmp_path / "seed"
    shutil.copytree(seed_dir, seed_copy)
    for broken in (BROKEN / case).iterdir():
        shutil.copy(broken, seed_copy / broken.name)
    return seed_copy


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_seed_file_gets_a_message_and_nothing_is_written(case: str, seed_dir: Path, tmp_path: Path) -> None:
    seed_copy = _seed_with(seed_dir, tmp_path, case)
    db = tmp_path / "tracker.duckdb"
    db.write_bytes(b"previous database")
    with pytest.raises(BuildFailed) as err:
        build(seed_copy, db, progress=lambda _: None)
    where, message = CASES[case]
    texts = [str(p) for p in err.value.problems]
    assert any(where in t and re.search(message, t) for t in texts), texts
    assert db.read_bytes() == b"previous database"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no .building files


def test_the_long_cell_through_the_command_line_gives_no_traceback(seed_dir: Path, tmp_path: Path, capsys) -> None:
    seed_copy = _seed_with(seed_dir, tmp_path, "long_cell")
    assert main(["build", "--seed-dir", str(seed_copy), "--db", str(tmp_path / "t.duckdb")]) == 1
    err = capsys.readouterr().err
    assert re.search(CASES["long_cell"][1], err) and "Traceback" not in err
    assert not list(tmp_path.glob(".*"))


def test_a_header_only_file_builds_with_a_warning(seed_dir: Path, tmp_path: Path) -> None:
    lines: list[str] = []
    build(_seed_with(seed_dir, tmp_path, "header_only"), tmp_path / "t.duckdb", progress=lines.append)
    assert any("observations" in line and "header but no rows" in line for line in lines), lines


def test_a_seed_file_over_the_row_cap_is_refused(seed_dir: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(seed, "MAX_SEED_ROWS", 10)
    with pytest.raises(BuildFailed) as err:
        build(seed_dir, tmp_path / "t.duckdb", progress=lambda _: None)
    assert any("more than 10 rows" in str(p) for p in err.value.problems)
    assert not list(tmp_path.iterdir())


def test_a_build_lists_fifty_problems_then_counts_the_rest(seed_dir: Path, tmp_path: Path, capsys) -> None:
    seed_copy = tmp_path / "seed"
    shutil.copytree(seed_dir, seed_copy)
    head = "country_iso3,indicator_code,mode,year,value,source_id,confidence,note\n"
    bad = "".join(f"IND,ev_sales_share,cars,{2000 + i % 20},{i},no-such-source-{i},high,\n" for i in range(80))
    (seed_copy / "observations.csv").write_text(head + bad)
    assert main(["build", "--seed-dir", str(seed_copy), "--db", str(tmp_path / "t.duckdb")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert sum(1 for line in err if "observations.csv:" in line) == 50
    assert err[-1].startswith("  ... and ") and err[-1].endswith(" more")
