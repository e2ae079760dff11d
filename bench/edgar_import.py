"""python -m bench.edgar_import: the EDGAR importer's speed on the real workbook (data/external/
EDGAR_2024_GHG_booklet_2024.xlsx) imported into a copy of the seed database without its EDGAR rows: read, check,
map, plan and write through the write path. Goal: under 5 s.

Each run is a fresh process: `cold` is its first import (the workbook read from disk, the importer's first call),
`warm` a second first-import into another fresh copy in the same process. Wall and CPU seconds are both printed:
on a shared machine the wall time carries other programs' load.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ctatracker.config import PROJECT_ROOT, settings

OUT = PROJECT_ROOT / "bench" / "out"
WORKBOOK = PROJECT_ROOT / "data" / "external" / "EDGAR_2024_GHG_booklet_2024.xlsx"
GOAL_SECONDS = 5.0


def _strip_edgar(db: Path) -> None:
    """Remove the EDGAR editions the seed build imported, so a run times a first import."""
    from ctatracker.store.database import connect

    con = connect(db)
    try:
        con.execute("DELETE FROM observations WHERE source_id LIKE 'edgar-ghg-%'")
        con.execute("DELETE FROM sources WHERE id LIKE 'edgar-ghg-%'")
        con.execute("DELETE FROM audit_log WHERE reason LIKE '%EDGAR import%'")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _once(db: Path) -> dict:
    from ctatracker.io.edgar import run

    wall, cpu = time.perf_counter(), time.process_time()
    summary = run(WORKBOOK, db)
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
            "rows": summary.plan.prepared.mapped.rows_read, "added": summary.counts["added"],
            "countries": len(summary.plan.prepared.mapped.matched)}


def measure(seed_db: Path, run: int) -> dict:
    """One process: a cold and a warm first import, each into its own copy of the stripped seed database."""
    import ctatracker.io.edgar  # noqa: F401  (modules loaded before the clock: the measure is the work)

    out = {}
    for kind in ("cold", "warm"):
        db = OUT / f"edgar-run{run}-{kind}.duckdb"
        shutil.copy(seed_db, db)
        try:
            out[kind] = _once(db)
        finally:
            db.unlink(missing_ok=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.edgar_import", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs (fresh processes), median reported")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(Path(args.one[0]), int(args.one[1]))))
        return 0
    from pipelines.seed import build

    OUT.mkdir(parents=True, exist_ok=True)
    seed_db = OUT / "edgar-seed.duckdb"
    seed_db.unlink(missing_ok=True)
    build(settings().seed_dir, seed_db, progress=lambda _line: None)
    _strip_edgar(seed_db)
    runs = []
    for i in range(args.runs):
        done = subprocess.run([sys.executable, "-m", "bench.edgar_import", "--one", str(seed_db), str(i)],
                              cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    seed_db.unlink(missing_ok=True)
    first = runs[0]["cold"]
    print(f"EDGAR workbook import ({first['rows']:,} rows read, {first['added']:,} observations written, "
          f"{first['countries']} countries), {args.runs} runs:")
    ok = True
    for kind in ("cold", "warm"):
        walls = [r[kind]["wall"] for r in runs]
        cpus = [r[kind]["cpu"] for r in runs]
        median = statistics.median(walls)
        ok &= median < GOAL_SECONDS
        print(f"  {kind}: median {median:.2f} s wall (runs {', '.join(f'{w:.2f}' for w in walls)}), CPU "
              f"{', '.join(f'{c:.2f}' for c in cpus)} s; goal < {GOAL_SECONDS:.0f} s")
    print("EDGAR import target met" if ok else "EDGAR import target missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
