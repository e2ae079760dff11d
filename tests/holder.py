"""Another process that holds a database file open, as the running app does (for lock and crash tests)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_SCRIPT = textwrap.dedent("""
    import sys, time
    import duckdb
    con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
    if sys.argv[2] == "write":  # a write kept in the write-ahead log only (no checkpoint), like the app's edits
        con.execute("SET checkpoint_threshold = '1GB'")
        con.execute("CREATE TABLE scratch AS SELECT range AS x FROM range(1000)")
    print("ready", flush=True)
    time.sleep(600)
""")


@contextmanager
def holding(db: Path, mode: str = "rw") -> Iterator[subprocess.Popen]:
    """A subprocess holding `db` open (mode "rw", "ro" or "write": rw plus an unsaved write), killed -9 on exit."""
    proc = subprocess.Popen([sys.executable, "-c", _SCRIPT, str(db), mode], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


def leave_wal(db: Path) -> None:
    """Write to `db` from a process that is then killed -9: its write-ahead log stays beside the file."""
    with holding(db, "write"):
        pass
    assert Path(f"{db}.wal").exists()
