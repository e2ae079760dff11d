"""export-data puts the package in place in one step: killed at any moment it leaves the earlier package whole
(never one without csv/ or parquet/), the next export removes what a killed one left, and a folder holding other
files is never replaced."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ctatracker.config import PROJECT_ROOT
from ctatracker.io import folder_swap
from pipelines.__main__ import main

_KILLED = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from ctatracker.io import folder_swap, open_data
    from pipelines.__main__ import main

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    stage = sys.argv[3]
    if stage == "writing":  # half the tables written
        real = open_data.write_table
        def write_table(cur, table, out_dir):
            if table == open_data.EXPORT_TABLES[len(open_data.EXPORT_TABLES) // 2]:
                die()
            return real(cur, table, out_dir)
        open_data.write_table = write_table
    elif stage == "swapped":  # the new package in place, the old one not yet removed
        real_exchange = folder_swap._exchange
        def exchange(a, b):
            done = real_exchange(a, b)
            die()
        folder_swap._exchange = exchange
    elif stage == "between renames":  # where one-step exchange is missing: the old package moved aside
        folder_swap._exchange = lambda a, b: False
        real_rename = Path.rename
        def rename(self, target):
            result = real_rename(self, target)
            if ".old-" in str(target):
                die()
            return result
        Path.rename = rename
    sys.exit(main(["export-data", "--db", sys.argv[1], "--out", sys.argv[2]]))
""")


def _complete(out: Path) -> bool:
    return (out / "datapackage.json").is_file() and any((out / "csv").glob("*.csv")) and any(
        (out / "parquet").glob("*.parquet"))


@pytest.mark.parametrize("stage", ["writing", "swapped", "between renames"])
def test_a_killed_export_leaves_the_earlier_package_whole_and_the_next_cleans_up(
        stage: str, built_db: Path, tmp_path: Path) -> None:
    """Killed during its final moves it left a package without csv/ or parquet/, and .export-* folders."""
    out = tmp_path / "package"
    assert main(["export-data", "--db", str(built_db), "--out", str(out)]) == 0
    (out / "README.md").write_text("the earlier package\n", encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", _KILLED, str(built_db), str(out), stage], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=600)
    assert killed.returncode == -9, killed.stderr
    if stage == "between renames":  # the one moment without the folder; the next run puts the old one back
        folder_swap.recover(out)
    assert _complete(out)  # old or new, whole
    earlier = (out / "README.md").read_text(encoding="utf-8") == "the earlier package\n"
    assert earlier == (stage != "swapped")
    assert main(["export-data", "--db", str(built_db), "--out", str(out)]) == 0
    assert _complete(out) and "the earlier package" not in (out / "README.md").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["package"], "no .export-* or set-aside folder is left"
    assert not list(out.glob(".*"))


def test_a_folder_holding_other_files_is_never_replaced(built_db: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["export-data", "--db", str(built_db), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "holds other files (notes.txt)" in err and len(err.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_export_folders_an_older_version_left_inside_are_removed(built_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "package"
    (out / ".export-abc123" / "csv").mkdir(parents=True)
    assert main(["export-data", "--db", str(built_db), "--out", str(out)]) == 0
    assert _complete(out) and not list(out.glob(".export-*"))
