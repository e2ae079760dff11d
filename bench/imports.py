"""python -m bench.imports: the IEA importer's speed and memory.

- The 2025 workbook (data/external/EVDataExplorer2025.xlsx) imported into a copy of the seed database (read, map,
  plan, write through the write path). Goal: under 5 s.
- A synthetic 1,000,000-row CSV in IEA's layout (random values, made for this bench only, never imported into the
  tracker): read + map by the importer against DuckDB's own read_csv of the same file. Goal: within 3x.

Each measure runs in a fresh process, so its peak memory (max RSS) is its own.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ctatracker.config import PROJECT_ROOT, settings

OUT = PROJECT_ROOT / "bench" / "out"
WORKBOOK = PROJECT_ROOT / "data" / "external" / "EVDataExplorer2025.xlsx"
REGIONS = ["China", "India", "Indonesia", "Korea", "Malaysia", "Thailand", "Viet Nam", "Japan", "USA", "Germany",
           "France", "United Kingdom", "Brazil", "World", "Europe", "EU27", "Asia Pacific", "Rest of the world"]
PARAMS = [("EV sales", "Vehicles", ["BEV", "PHEV", "FCEV"]), ("EV stock", "Vehicles", ["BEV", "PHEV", "FCEV"]),
          ("EV sales share", "percent", ["EV"]), ("EV stock share", "percent", ["EV"]),
          ("Battery demand", "GWh", ["EV"]), ("Oil displacement Mbd", "Million barrels per day", ["EV"])]
MODES = ["Cars", "2 and 3 wheelers", "Vans", "Buses", "Trucks"]


def synthetic_csv(path: Path, rows: int = 1_000_000, seed: int = 11) -> Path:
    """A CSV in IEA's 2025 export layout with `rows` distinct rows (random values, for the bench only)."""
    rng = random.Random(seed)
    keys = [(r, p, u, pt, m) for r in REGIONS for p, u, pts in PARAMS for pt in pts for m in MODES]
    keys += [(r, "EV charging points", "charging points", pt, "EV") for r in REGIONS
             for pt in ("Publicly available fast", "Publicly available slow")]
    cats = ["Historical"] + [f"Projection-{s}" for s in ("STEPS", "APS", "NZE")] + [f"Projection-S{i}"
                                                                                    for i in range(40)]
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write("region_country,category,parameter,mode,powertrain,year,unit,value,Aggregate group\n")
        written = 0
        for cat, year in itertools.product(cats, range(1990, 2031)):
            if cat == "Historical" and year > 2024:
                continue
            for region, param, unit, pt, mode in keys:
                value = rng.uniform(0, 100) if unit == "percent" else rng.randint(0, 5_000_000)
                f.write(f"{region},{cat},{param},{mode},{pt},{year},{unit},{value:.4g},Other\n")
                written += 1
                if written == rows:
                    return path
    raise ValueError("not enough distinct keys for that many rows")


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM belongs to the process's own memory, unlike ru_maxrss, which
    Linux carries over from the parent through fork and exec (a large bench parent would show as the child's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(what: str, path: Path, db: Path | None) -> dict:
    """One measure, in this process (called in a child process by main). Modules are loaded before the clock
    starts: the measure is the work, not Python's start-up."""
    import duckdb

    from ctatracker.io.iea import prepare, run

    started = time.perf_counter()
    if what == "duckdb":
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true, header = true)", [str(path)])
        rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
        return {"seconds": time.perf_counter() - started, "rows": rows, "peak_mb": _peak_mb()}
    if what == "importer":
        prepared = prepare(path, {"CHN", "IND", "IDN", "KOR", "MYS", "THA", "VNM"})
        return {"seconds": time.perf_counter() - started, "rows": prepared.mapped.rows_read,
                "observations": len(prepared.mapped.observations), "scenarios": len(prepared.mapped.scenarios),
                "peak_mb": _peak_mb()}
    summary = run(path, db, overwrite_edits=True)
    return {"seconds": time.perf_counter() - started, "rows": summary.plan.prepared.mapped.rows_read,
            "written": summary.counts["added"] + summary.counts["updated"], "peak_mb": _peak_mb()}


def _child(what: str, path: Path, db: Path | None = None) -> dict:
    args = [sys.executable, "-m", "bench.imports", "--one", what, str(path)] + ([str(db)] if db else [])
    done = subprocess.run(args, cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure (median reported)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the synthetic CSV")
    parser.add_argument("--one", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        what, path, *db = args.one
        print(json.dumps(measure(what, Path(path), Path(db[0]) if db else None)))
        return 0
    from pipelines.seed import build

    OUT.mkdir(parents=True, exist_ok=True)
    seed_db, csv_path = OUT / "imports-seed.duckdb", OUT / "iea-synthetic-1m.csv"
    seed_db.unlink(missing_ok=True)
    build(settings().seed_dir, seed_db, progress=lambda _line: None)
    if not csv_path.exists() or sum(1 for _ in csv_path.open("rb")) != args.rows + 1:
        synthetic_csv(csv_path, args.rows)
    ok = True
    book = []
    for i in range(args.runs):  # a fresh copy of the seed database without the 2025 rows each time
        db = OUT / f"imports-run{i}.duckdb"
        shutil.copy(seed_db, db)
        _strip_2025(db)
        book.append(_child("workbook", WORKBOOK, db))
        db.unlink(missing_ok=True)
    secs = statistics.median(r["seconds"] for r in book)
    ok &= secs < 5
    runs = ", ".join(f"{r['seconds']:.2f}" for r in book)
    print(f"2025 workbook import ({book[0]['rows']:,} rows, {book[0]['written']:,} observations written), median of "
          f"{args.runs}: {secs:.2f} s (runs {runs}; goal < 5 s), "
          f"peak memory {max(r['peak_mb'] for r in book):.0f} MB")
    base = [_child("duckdb", csv_path) for _ in range(args.runs)]
    mine = [_child("importer", csv_path) for _ in range(args.runs)]
    b, m = statistics.median(r["seconds"] for r in base), statistics.median(r["seconds"] for r in mine)
    ok &= m / b <= 3
    print(f"synthetic CSV, {csv_path.stat().st_size / 1e6:.0f} MB, {base[0]['rows']:,} rows, median of {args.runs}: "
          f"DuckDB read_csv {b:.2f} s (peak {max(r['peak_mb'] for r in base):.0f} MB); importer read + map "
          f"{m:.2f} s (peak {max(r['peak_mb'] for r in mine):.0f} MB, {mine[0]['observations']:,} observations, "
          f"{mine[0]['scenarios']:,} scenario values): ratio {m / b:.2f} (goal within 3x)")
    print("all import targets met" if ok else "some import targets missed")
    return 0


def _strip_2025(db: Path) -> None:
    """Remove the 2025 edition's rows (the seed build imported them) so the bench times a first import."""
    from ctatracker.store.database import connect

    con = connect(db)
    try:
        for table in ("observations", "scenario_values"):
            con.execute(f"DELETE FROM {table} WHERE source_id = 'iea-gev-data-2025'")
        con.execute("DELETE FROM audit_log WHERE row_key LIKE '%iea-gev-data-2025%'")
        con.execute("CHECKPOINT")
    finally:
        con.close()


if __name__ == "__main__":
    sys.exit(main())
