"""A build of the public edition killed with SIGKILL half-way leaves the edition being served as it was, byte for
byte; the next build removes what the killed one left beside it and puts a whole new edition in place."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ctatracker.config import PROJECT_ROOT
from ctatracker.edition.build import write_edition_file
from ctatracker.edition.files import MARKER

OLD, NEW = "https://old.example.org/", "https://new.example.org/"


def _contents(root: Path) -> dict[str, str]:
    """Every file of a folder by its path, as the SHA-256 of its bytes."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _wait_for(condition, what: str, proc: subprocess.Popen, timeout: float = 300) -> object:
    """Poll `condition` until it holds (the build still running), or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        assert proc.poll() is None, f"the build ended before {what}: {proc.stdout.read() if proc.stdout else ''}"
        time.sleep(0.02)
    raise TimeoutError(f"waited {timeout:.0f} s for {what}")


def test_a_build_killed_midway_leaves_the_old_edition_and_the_next_build_tidies_up(built_db: Path,
                                                                                    tmp_path: Path) -> None:
    out = tmp_path / "public" / "site"
    write_edition_file(built_db, out, OLD, cards=False)
    before = _contents(out)
    proc = subprocess.Popen([sys.executable, "-m", "pipelines", "site", "--out", str(out), "--db", str(built_db),
                             "--base-url", NEW, "--no-cards"], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        def midway() -> Path | None:
            """The killed build's temporary folder once it holds its assets and its first data files."""
            return next((t for t in out.parent.glob(f".{out.name}.{proc.pid}.*.tmp")
                         if (t / MARKER).is_file() and (t / "data" / "package").is_dir()), None)

        tmp = _wait_for(midway, "the build's temporary folder to fill", proc)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL  # killed, not finished
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()
    assert isinstance(tmp, Path) and tmp.is_dir()  # the half-written edition is left beside the live one ...
    assert _contents(out) == before  # ... which is the old edition, byte for byte
    assert OLD in (out / "index.html").read_text(encoding="utf-8")
    again = write_edition_file(built_db, out, NEW, cards=False)
    assert not tmp.exists() and not list(out.parent.glob(f".{out.name}.*"))  # the leftovers removed
    assert again.out == out.resolve() and NEW in (out / "index.html").read_text(encoding="utf-8")
    assert (out / MARKER).is_file() and "index.html" in again.pages
