"""Every command meets a held database, a missing file or a folder given as a file with one clear line on stderr
and a non-zero exit, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ctatracker.config import PROJECT_ROOT
from pipelines.__main__ import main
from tests.holder import holding

IEA = Path(__file__).parent.parent / "fixtures" / "iea" / "good.csv"


def commands(db: Path, out: Path) -> dict[str, list[str]]:
    """One invocation of every command against `db`."""
    return {
        "build": ["build", "--db", str(db)],
        "users": ["users", "list", "--db", str(db)],
        "import-iea": ["import-iea", str(IEA), "--db", str(db)],
        "gaps": ["gaps", "--db", str(db)],
        "export-seed": ["export-seed", "--out", str(out / "seed"), "--db", str(db)],
        "briefing": ["briefing", "--event", "cop30", "--countries", "LKA", "--out", str(out / "b.pptx"),
                     "--db", str(db)],
    }


def one_clear_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture(scope="module")
def held(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    db = tmp_path_factory.mktemp("held") / "tracker.duckdb"
    shutil.copy(built_db, db)
    with holding(db, "rw"):
        yield db


@pytest.mark.parametrize("command", list(commands(Path("x"), Path("y"))))
def test_a_held_database_is_named_with_one_line(command: str, held: Path, tmp_path: Path, capsys) -> None:
    before = held.stat().st_mtime_ns
    assert main(commands(held, tmp_path)[command]) == 1
    line = one_clear_line(capsys)
    assert "open in another program" in line and "stop the tracker app" in line
    assert held.stat().st_mtime_ns == before and not list(tmp_path.iterdir())


@pytest.mark.parametrize("command", [c for c in commands(Path("x"), Path("y")) if c != "build"])
def test_a_missing_database_is_named_with_one_line(command: str, tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nothing.duckdb"
    assert main(commands(missing, tmp_path)[command]) == 1
    assert "No database at" in one_clear_line(capsys)
    assert not missing.exists()


@pytest.mark.parametrize("command", list(commands(Path("x"), Path("y"))))
def test_a_folder_given_as_the_database_is_named_with_one_line(command: str, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "folder.duckdb"
    folder.mkdir()
    assert main(commands(folder, tmp_path)[command]) == 1
    assert "is a folder, not a database file" in one_clear_line(capsys)


def test_build_with_a_missing_seed_folder(tmp_path: Path, capsys) -> None:
    assert main(["build", "--seed-dir", str(tmp_path / "none"), "--db", str(tmp_path / "t.duckdb")]) == 1
    assert "seed folder" in one_clear_line(capsys)
    assert not (tmp_path / "t.duckdb").exists()


@pytest.mark.parametrize("args", [
    ["gaps", "--csv", "{dir}"],  # an output path that is a folder
    ["export-seed", "--out", "{file}"],  # an output folder that is a file
    ["import-iea", "{dir}"],  # an input file that is a folder
    ["import-iea", "{dir}/missing.csv"],  # an input file that does not exist
])
def test_bad_file_arguments_get_one_line(args: list[str], built_db: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "t.duckdb"
    shutil.copy(built_db, db)
    (tmp_path / "a-file").write_text("x")
    argv = [a.format(dir=tmp_path, file=tmp_path / "a-file") for a in args] + ["--db", str(db)]
    assert main(argv) == 1
    one_clear_line(capsys)


def test_the_real_command_line_prints_no_traceback_while_the_app_holds_the_file(held: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pipelines", "gaps", "--db", str(held)], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: The database") and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
