"""python -m bench: one table of the tracker's speed figures, each against its goal.

Server-side render time of each page at seed and 100x scale, cold (the first view after a data change: every
cache of the data version is empty) and warm (a rerun); how page time grows from seed to 100x; browser time to
first chart of four pages against a bare one-chart Streamlit page (bench.browser); the gap table and the
overview's figures at seed, 100x and 1000x (bench.scale); briefing pack times
(bench.briefing); the IEA importer (bench.imports); N people at once on one viewer and on two (bench.load).
The machine is shared: run it more than once and read the spread.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from ctatracker.config import PROJECT_ROOT, settings

OUT = PROJECT_ROOT / "bench" / "out"
PAGES = ["views/overview.py", "views/progress.py", "views/country.py", "views/compare.py", "views/gaps.py",
         "views/activities.py", "views/cooperation.py", "views/catalogue.py", "views/reporting_status.py",
         "views/what_changed.py", "views/methodology.py", "views/download.py", "views/briefing.py"]


SECRETARIAT = "bench@alp.example"
"""The account the bench signs in with for the secretariat-only Briefing page."""


def add_secretariat(db: Path) -> None:
    """Give a bench database the secretariat account the Briefing page asks for."""
    from ctatracker.store import auth
    from ctatracker.store.database import connect

    con = connect(db)
    try:
        auth.add_user(con, SECRETARIAT, "secretariat", password="bench only, never served")
    finally:
        con.close()


def page_times(db: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Median server-side render time of each page (AppTest, signed in as the secretariat), cold and warm, in s.

    Cold: the first run after the data version moved on (as after an approval), once the app's warm-up of the
    findings has run, as it does right after every change: every cached query and figure of the page is computed
    again; warm: a rerun of the same view."""
    from streamlit.testing.v1 import AppTest

    from ctatracker.briefing.figure_export import Exporter
    from ctatracker.store import auth
    from dashboard import data

    os.environ["CTA_DB_PATH"] = str(db)
    os.environ["CTA_DB_MODE"] = "read_only"  # pages only read; the browser measure opens the file next
    settings.cache_clear()
    Exporter.warm_up = classmethod(lambda cls: None)  # the export browser is timed in bench.briefing, not here
    token = auth.make_token(SECRETARIAT, auth.secret_key())
    result = {}
    for page in PAGES:
        if not (PROJECT_ROOT / "dashboard" / page).exists():
            continue
        at = AppTest.from_file(str(PROJECT_ROOT / "dashboard" / "app.py"), default_timeout=120)
        at.session_state["cta_token"] = token
        at.run()
        at.switch_page(page)
        at.run()  # warm-up
        if at.exception:
            raise RuntimeError(f"{page} raised: {at.exception[0].value}")
        cold, warm = [], []
        for _ in range(runs):
            data._generation += 1  # what a write made in the app does, and then, in the background:
            data.warm()  # the findings of the new data version, computed once for every session
            started = time.perf_counter()
            at.run()
            cold.append(time.perf_counter() - started)
            started = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - started)
        result[page] = (statistics.median(cold), statistics.median(warm))
    return result


Row = tuple[str, str, str, bool | None]
"""measure, figure, goal, met (None: no goal)"""


def page_rows(seed: dict, big: dict) -> list[Row]:
    rows: list[Row] = []
    for page in seed:
        name = Path(page).stem
        (sc, sw), (bc, bw) = seed[page], big[page]
        rows += [(f"page {name}: seed cold / warm", f"{sc:.2f} / {sw:.2f} s", "< 0.3 / < 0.2 s",
                  sc < 0.3 and sw < 0.2),
                 (f"page {name}: 100x cold / warm", f"{bc:.2f} / {bw:.2f} s", "< 1 / < 0.2 s", bc < 1 and bw < 0.2),
                 (f"page {name}: growth seed to 100x (cold)", f"{bc / sc:.1f}x", "< 3x", bc / sc < 3)]
    return rows


def browser_rows(db: Path, runs: int) -> list[Row]:
    from bench import browser

    loads = browser.measure(db, runs)
    browser.print_loads(loads, runs)
    bare = loads.pop("bare page").median
    return [(f"browser first chart {name} / bare page", f"{got.median:.0f} / {bare:.0f} ms = {got.median / bare:.2f}",
             f"< {browser.GOAL_RATIO}", got.median / bare < browser.GOAL_RATIO) for name, got in loads.items()]


def scale_rows(seed_db: Path, big_db: Path) -> list[Row]:
    from bench import scale

    x1000 = OUT / "x1000.duckdb"
    scale.make_1000x(big_db, x1000)
    points = scale.curve(seed_db, big_db, x1000)
    scale.print_curve(points)
    base = points[0][1]
    return [(f"{measure} at {label}", f"{got[measure]:.2f} s ({got[measure] / base[measure]:.0f}x seed)", "", None)
            for label, got in points[1:] for measure in got]


def pack_rows(db: Path) -> list[Row]:
    from bench.briefing import TARGETS, build_once
    from ctatracker.briefing.figure_export import Exporter

    rows: list[Row] = []
    for warm in (False, True):
        if warm:
            Exporter.warm_up()
            build_once(db, ["LKA"], warm=True)  # not counted: waits for the browser the page started
        for label, countries in (("one-country pack", ["LKA"]), ("full regional pack", None)):
            total = build_once(db, countries, warm)["total"]
            rows.append((f"{label} ({'app warm' if warm else 'cold, browser started'})", f"{total:.1f} s",
                         f"< {TARGETS[label]:.0f} s" if warm else "", total < TARGETS[label] if warm else None))
    with Exporter():  # stops the warm server
        pass
    return rows


def import_rows() -> list[Row]:
    from bench import imports

    db = OUT / "imports-bench.duckdb"
    db.unlink(missing_ok=True)
    from pipelines.seed import build

    build(settings().seed_dir, db, progress=lambda _line: None)
    imports._strip_2025(db)
    book = imports._child("workbook", imports.WORKBOOK, db)
    csv_path = OUT / "iea-synthetic-1m.csv"
    if not csv_path.exists():
        imports.synthetic_csv(csv_path, 1_000_000)
    base, mine = imports._child("duckdb", csv_path), imports._child("importer", csv_path)
    ratio = mine["seconds"] / base["seconds"]
    return [("IEA 2025 workbook import", f"{book['seconds']:.1f} s, {book['peak_mb']:.0f} MB", "< 5 s",
             book["seconds"] < 5),
            ("IEA 1M-row CSV: importer / DuckDB read_csv", f"{mine['seconds']:.1f} / {base['seconds']:.1f} s = "
             f"{ratio:.1f}x, {mine['peak_mb']:.0f} MB", "within 3x", ratio <= 3)]


def load_rows(db: Path) -> list[Row]:
    from bench import load

    started = time.perf_counter()
    rounds = load.run(db)
    load.print_rounds(rounds)
    rows: list[Row] = [(f"load {r.setup}, N={r.n}: p50 / p95 first chart",
                        f"{r.p50_ms / 1000:.1f} / {r.p95_ms / 1000:.1f} s, {r.failed} failed", "all drawn",
                        r.failed == 0) for r in rounds]
    peak = {setup: max(r.peak_rss_mb for r in rounds if r.setup == setup) for setup in {r.setup for r in rounds}}
    rows += [(f"load {setup}: peak memory of the viewers", f"{mb:.0f} MB", "", None) for setup, mb in peak.items()]
    took = time.perf_counter() - started
    rows.append(("load script run time", f"{took:.0f} s", "< 300 s", took < 300))
    return rows


def print_table(rows: list[Row]) -> bool:
    width = max(len(r[0]) for r in rows) + 2
    print(f"\n{'measure':<{width}}{'figure':<34}{'goal':<16}verdict")
    for measure, figure, goal, met in rows:
        print(f"{measure:<{width}}{figure:<34}{goal:<16}{'' if met is None else 'ok' if met else 'MISSED'}")
    missed = [r[0] for r in rows if r[3] is False]
    print(f"\n{len(missed)} of {sum(r[3] is not None for r in rows)} goals missed (load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)" if missed else "\nall goals met")
    return not missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per page measure (median reported)")
    parser.add_argument("--browser-runs", type=int, default=9, help="page loads of each page (median reported)")
    for part in ("scale", "browser", "packs", "imports", "load"):
        parser.add_argument(f"--no-{part}", action="store_true", help=f"skip the {part} measures")
    args = parser.parse_args(argv)
    from bench.synthetic import make
    from pipelines.seed import build

    OUT.mkdir(parents=True, exist_ok=True)
    seed_db, big_db = OUT / "seed.duckdb", OUT / "x100.duckdb"
    for path in (seed_db, big_db):
        path.unlink(missing_ok=True)
    build(settings().seed_dir, seed_db, progress=lambda _line: None)
    counts = make(settings().seed_dir, big_db)
    for path in (seed_db, big_db):
        add_secretariat(path)
    print(f"100x database: {counts['observations']} observations, {counts['countries']} countries, "
          f"{counts['activities']} activities; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    rows = page_rows(page_times(seed_db, args.runs), page_times(big_db, args.runs))
    if not args.no_scale:
        rows += scale_rows(seed_db, big_db)
    if not args.no_browser:
        rows += browser_rows(seed_db, args.browser_runs)
    if not args.no_packs:
        rows += pack_rows(seed_db)
    if not args.no_imports:
        rows += import_rows()
    if not args.no_load:
        rows += load_rows(seed_db)
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
