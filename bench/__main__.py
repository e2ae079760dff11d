"""python -m bench: page render times (seed and 100x scale) and the overview's browser time to first chart.

Targets (issue: public dashboard): every page under 0.5 s at seed scale and under 1 s at 100x; the overview's
browser time to first drawn chart under 1.5x that of a bare one-chart Streamlit page measured in the same run.
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
PAGES = ["views/overview.py", "views/progress.py", "views/country.py", "views/gaps.py", "views/activities.py",
         "views/methodology.py",
         "views/cooperation.py", "views/catalogue.py", "views/briefing.py"]


SECRETARIAT = "bench@alp.example"
"""The account the bench signs in with for the secretariat-only Briefing page."""


def add_secretariat(db: Path) -> None:
    """Give a bench database the secretariat account the Briefing page asks for."""
    from ctatracker import auth
    from ctatracker.store import connect

    con = connect(db)
    try:
        auth.add_user(con, SECRETARIAT, "secretariat", password="bench only, never served")
    finally:
        con.close()


def page_times(db: Path, runs: int) -> dict[str, float]:
    """Median server-side render time of each page (AppTest, warm caches, signed in as the secretariat), in s."""
    from streamlit.testing.v1 import AppTest

    from ctatracker import auth
    from pipelines.figure_export import Exporter

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
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            at.run()
            samples.append(time.perf_counter() - started)
        result[page] = statistics.median(samples)
    return result


def first_chart_ms(page, url: str) -> float:
    """Milliseconds from navigation to the first Plotly chart drawn on the page."""
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    return (time.perf_counter() - started) * 1000


def browser_ratio(db: Path, runs: int) -> tuple[list[float], list[float]]:
    """Times to first chart of the overview and of a bare one-chart page, in ms, measured in turn."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, LAUNCH_ARGS, _free_port, start_app

    port_app, port_bare = _free_port(), _free_port()
    app = start_app(db, port_app)
    bare = start_app(db, port_bare, script="bench/bare_app.py")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            first_chart_ms(page, f"http://127.0.0.1:{port_app}/")  # warm both servers
            first_chart_ms(page, f"http://127.0.0.1:{port_bare}/")
            overview, baseline = [], []
            for _ in range(runs):
                overview.append(first_chart_ms(page, f"http://127.0.0.1:{port_app}/"))
                baseline.append(first_chart_ms(page, f"http://127.0.0.1:{port_bare}/"))
            browser.close()
    finally:
        for proc in (app, bare):
            proc.terminate()
            proc.wait(timeout=10)
    return overview, baseline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measure (median reported)")
    parser.add_argument("--browser-runs", type=int, default=15,
                        help="page loads of each page for the browser measure (median reported; it is noisy)")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser measure")
    parser.add_argument("--no-imports", action="store_true", help="skip the IEA import measures (bench.imports)")
    args = parser.parse_args(argv)
    from bench.synthetic import make
    from pipelines.seed import build

    OUT.mkdir(parents=True, exist_ok=True)
    seed_db, big_db = OUT / "seed.duckdb", OUT / "x100.duckdb"
    for path in (seed_db, big_db):
        path.unlink(missing_ok=True)
    build(settings().seed_dir, seed_db, progress=lambda _line: None)
    started = time.perf_counter()
    counts = make(settings().seed_dir, big_db)
    for path in (seed_db, big_db):
        add_secretariat(path)
    print(f"100x database: {counts['observations']} observations, {counts['countries']} countries, "
          f"{counts['indicators']} indicators, {counts['activities']} activities "
          f"(made in {time.perf_counter() - started:.1f} s through the write path)")
    seed, big = page_times(seed_db, args.runs), page_times(big_db, args.runs)
    print(f"\nServer-side render time per page, median of {args.runs} (targets: < 0.5 s seed, < 1 s 100x)")
    print(f"{'page':<24}{'seed (s)':>10}{'100x (s)':>10}{'ratio':>8}  verdict")
    ok = True
    for page in seed:
        good = seed[page] < 0.5 and big[page] < 1.0
        ok &= good
        print(f"{page:<24}{seed[page]:>10.3f}{big[page]:>10.3f}{big[page] / seed[page]:>8.1f}  "
              f"{'ok' if good else 'SLOW'}")
    if not args.no_browser:
        overview, baseline = browser_ratio(seed_db, args.browser_runs)
        ratio = statistics.median(overview) / statistics.median(baseline)
        ok &= ratio < 1.5
        print(f"\nBrowser time to first chart, median of {args.browser_runs} loads each: overview "
              f"{statistics.median(overview):.0f} ms (range {min(overview):.0f}-{max(overview):.0f}), bare one-chart "
              f"page {statistics.median(baseline):.0f} ms (range {min(baseline):.0f}-{max(baseline):.0f}), "
              f"ratio {ratio:.2f} (target < 1.5)")
    if not args.no_imports:
        from bench import imports

        print("\nIEA importer (python -m bench.imports)")
        imports.main(["--runs", "3"])
    print("\nall targets met" if ok else "\nsome targets missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
