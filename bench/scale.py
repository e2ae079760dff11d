"""How the gap table and the overview's figures grow with the data: seed, 100x and a 1000x point.

The 1000x database (1,000 countries, 40 indicators, 1990-2025: about 1.4 million observations, 1,000 times
the seed) is not a real
case; it shows the curve. It is made from the 100x one with SQL in a few seconds (the synthetic rows skip
the write path and its audit trail, which these two measures never read). Run alone with
`python -m bench.scale`; `python -m bench` prints the same rows in its table.
"""

from __future__ import annotations

import itertools
import shutil
import statistics
import string
import sys
import time
from pathlib import Path

COUNTRIES, FIRST_YEAR = 1000, 1990  # the schema takes years from 1990


def make_1000x(x100: Path, out: Path) -> int:
    """Copy the 100x database to `out` and fill it up to COUNTRIES countries x its indicators x the years from
    FIRST_YEAR of synthetic observations; returns the number of observations."""
    import duckdb

    out.unlink(missing_ok=True)
    shutil.copy(x100, out)
    con = duckdb.connect(str(out))
    try:
        have = {r[0] for r in con.execute("SELECT iso3 FROM countries").fetchall()}
        codes = ("".join(t) for t in itertools.product(string.ascii_uppercase, repeat=3))
        new = [c for c in codes if c not in have and c[0] in "QXZ"][: COUNTRIES - len(have)]
        con.begin()
        con.executemany("INSERT INTO countries (iso3, name, subregion, note) VALUES (?, ?, 'South Asia', 'synthetic')",
                        [(c, f"Synthetic country {i:03d}") for i, c in enumerate(new, 1)])
        con.execute("DELETE FROM observations WHERE source_id = 'synthetic-bench'")
        con.execute("SELECT setseed(0.7)")
        con.execute(f"""
            INSERT INTO observations
            WITH codes AS (SELECT code, (row_number() OVER (ORDER BY code) - 1) % 4 AS k FROM indicators)
            SELECT c.iso3, codes.code, ['cars', 'all_vehicles', 'two_three_wheelers', 'buses'][codes.k + 1], y,
                   round(least(100, greatest(0, 2 + (y - {FIRST_YEAR}) * 0.8 + 6 * (random() - 0.5))), 3),
                   'synthetic-bench', 'low', 'annual', 'bev_and_phev', 'synthetic'
            FROM countries c, codes, range({FIRST_YEAR}, 2026) AS t(y)""")
        con.commit()
        con.execute("CHECKPOINT")
        return con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    finally:
        con.close()


def time_measures(db: Path, runs: int = 3) -> dict[str, float]:
    """Median seconds of the gap table and of the overview's figures (headline and findings), each
    computed afresh, as on the first view after a data change."""
    from ctatracker.analysis import derived, headline
    from ctatracker.findings import read
    from ctatracker.store.database import connect

    con = connect(db, read_only=True)
    gap, overview = [], []
    try:
        for _ in range(runs):
            started = time.perf_counter()
            with derived.sharing({}):
                derived.gap_table(con.cursor())
            gap.append(time.perf_counter() - started)
            started = time.perf_counter()
            with derived.sharing({}):
                headline.overview_headline(con.cursor())
                read.findings(con.cursor())
            overview.append(time.perf_counter() - started)
    finally:
        con.close()
    return {"gap table": statistics.median(gap), "overview figures": statistics.median(overview)}


def curve(seed_db: Path, x100_db: Path, x1000_db: Path) -> list[tuple[str, dict[str, float]]]:
    """Each measure at each scale, with the database's observation count in the label."""
    import duckdb

    out = []
    for label, db in (("seed", seed_db), ("100x", x100_db), ("1000x", x1000_db)):
        con = duckdb.connect(str(db), read_only=True)
        n = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
        con.close()
        out.append((f"{label} ({n:,} observations)", time_measures(db)))
    return out


def print_curve(points: list[tuple[str, dict[str, float]]]) -> None:
    base = points[0][1]
    print("\nGrowth of the derived tables with the data (computed afresh, median of 3)")
    for label, got in points:
        print(f"  {label:<34}" + "   ".join(f"{k} {v:.2f} s ({v / base[k]:.1f}x)" for k, v in got.items()))


def main() -> int:
    from bench.__main__ import OUT

    seed_db, x100_db, x1000_db = OUT / "seed.duckdb", OUT / "x100.duckdb", OUT / "x1000.duckdb"
    if not (seed_db.exists() and x100_db.exists()):
        print("Run `python -m bench` once first: it builds the seed and 100x databases.", file=sys.stderr)
        return 1
    print(f"1000x database: {make_1000x(x100_db, x1000_db):,} observations")
    print_curve(curve(seed_db, x100_db, x1000_db))
    return 0


if __name__ == "__main__":
    sys.exit(main())
