"""python -m bench.hardening: time to refuse hostile uploads and to read a full one.

Targets (hardening issue): the 18 KB workbook that declares A1:XFD1048576 refused in under 2 s (it once pinned a
CPU for 318 s); a sheet hiding a cell in its last row behind a small declared size refused in under 2 s; a sheet
without a <dimension> holding 9,000,000 empty rows (79 KB), on the observations sheet or on another one, refused
in under 1 s (it took 46.5 s, and 27.5 s to be accepted on another sheet); a full 5,000-row upload read within the
parse limit (ctatracker.store.bulk.MAX_PARSE_SECONDS).
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from ctatracker.config import PROJECT_ROOT, settings
from ctatracker.model.enums import Role
from ctatracker.store import bulk
from ctatracker.store.database import connect
from ctatracker.store.permissions import Actor

BAD = PROJECT_ROOT / "tests" / "fixtures" / "bad_uploads"
FOCAL = Actor(name="bench@ind.example", role=Role.FOCAL_POINT, country_iso3="IND")


def full_upload() -> bytes:
    """An observations sheet of bulk.MAX_ROWS rows."""
    book = Workbook()
    ws = book.active
    ws.title = "observations"
    ws.append(bulk.columns("observations"))
    for i in range(bulk.MAX_ROWS):
        ws.append(["IND", "ev_stock", "buses", 1990 + i % 35, float(i), "iea-gev-data-2023", "low", "annual",
                   "bev_and_phev"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def seconds(con, data: bytes, name: str, runs: int) -> tuple[float, str]:
    """Median seconds to parse `data`, and the first problem found."""
    times, first = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        upload = bulk.parse(con, data, name, FOCAL)
        times.append(time.perf_counter() - started)
        first = str(upload.problems[0]) if upload.problems else "accepted"
    return statistics.median(times), first


def main() -> int:
    """Print each measure beside its target; exit 1 when one is missed."""
    from pipelines.seed import build

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        build(settings().seed_dir, db, progress=lambda _line: None)
        con = connect(db, read_only=True)
        cases = [("dimension bomb (18 KB, A1:XFD1048576)", (BAD / "dimension_bomb.xlsx").read_bytes(), 2.0, 5),
                 ("cell in row 1,048,576 behind A1:H2", (BAD / "far_row.xlsx").read_bytes(), 2.0, 5),
                 ("9,000,000 empty rows, no <dimension>", (BAD / "empty_rows.xlsx").read_bytes(), 1.0, 5),
                 ("the same on another sheet", (BAD / "empty_rows_other_sheet.xlsx").read_bytes(), 1.0, 5),
                 (f"full upload ({bulk.MAX_ROWS:,} rows)", full_upload(), bulk.MAX_PARSE_SECONDS, 1)]
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"{'upload':<40}{'seconds':>9}{'target':>8}  verdict / first message")
        ok = True
        for label, data, target, runs in cases:
            took, first = seconds(con, data, f"{label}.xlsx", runs)
            ok &= took < target
            print(f"{label:<40}{took:>9.3f}{target:>8.1f}  {'ok' if took < target else 'MISSED'} / {first[:70]}")
        con.close()
    print("\nall targets met" if ok else "\nsome targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
