"""python -m bench.site [--runs 3] [--quick]: the public edition's speed figures, each against its goal.

One block, a row per figure, each beside its goal:

- Generation: cold builds of the seed edition (a new folder, every chart image drawn; goal under 30 s) and warm ones
  (over the last edition: unchanged images copied), then cold builds at 100x (bench.synthetic's database, cached in
  bench/out like bench.scale's). When the chart images took most of the seed build, the 100x build draws none (as
  `python -m pipelines site --no-cards`) and the row says so.
- Page weight: everything an empty-cache load of the home page and of a country page fetches (the browser's
  performance entries), over a local server sending the .gz files as nginx's gzip_static does: on arrival, and once
  scrolled to the end with every chart drawn (goal: a country page at most 1.5 MB transferred).
- Browser: the time from navigation until the first chart is on the screen (its poster) and interactive (drawn by
  plotly.js), empty cache, for the home page and a country page against the bare one-chart Streamlit page
  (bench/bare_app.py) in the same run (goal: at most half its time, interactive), with a bare plotly.js page and the
  Streamlit overview beside them (Playwright, Debian's chromium).
- nginx: deploy/edition-nginx.conf (Debian's nginx) serving the edition, ApacheBench on the country page with
  keep-alive and gzip accepted (goal: at least 1,000 requests/s, 95% under 100 ms), with the load average.

`--quick`: one run, seed only (no 100x), to check the bench works. The machine may be shared: read the load
average printed and the spread of the runs.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.site_parts import (
    BARE,
    OUT,
    STREAMLIT_DRAWN,
    ab_load,
    ab_missing,
    country_page,
    first_chart,
    fmt,
    observations,
    page_weight,
    serve,
    x100_db,
)
from ctatracker.config import settings

GOAL_BUILD_S = 30.0
GOAL_COUNTRY_MB = 1.5
GOAL_RATIO = 0.5
"""An edition page's first chart (interactive) at most this share of the bare Streamlit page's time."""
GOAL_FIRST_CHART_S = 1.0
"""The home page's first chart on the screen (its poster)."""
GOAL_RPS, GOAL_P95_MS = 1000, 100
IMAGES_SHARE = 0.5
"""Above this share of the seed build spent on chart images, the 100x build draws none."""
WIDTH = 46


class Table:
    """The rows printed at the end, with the goals met and missed."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.goals: list[tuple[str, bool]] = []

    def section(self, title: str) -> None:
        self.lines.append(title)

    def row(self, label: str, value: str, goal: str = "", ok: bool | None = None, name: str = "") -> None:
        verdict = "" if ok is None else ("ok" if ok else "MISSED")
        self.lines.append(f"  {label:<{WIDTH}}{value}")
        if goal:
            self.lines.append(f"  {'':<{WIDTH}}goal: {goal}{'  -> ' + verdict if verdict else ''}")
        if ok is not None:
            self.goals.append((name or label, ok))

    def note(self, text: str) -> None:
        self.lines.append(f"  {'':<{WIDTH}}{text}")

    def print(self) -> None:
        print("\n".join(self.lines))
        missed = [label.strip() for label, ok in self.goals if not ok]
        print(f"{len(self.goals) - len(missed)} of {len(self.goals)} goals met" +
              (f"; missed: {', '.join(missed)}" if missed else "") +
              f" (load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def _progress(text: str) -> None:
    print(f"... {text}", file=sys.stderr, flush=True)


def build_times(db: Path, runs: int, cards: bool = True, warm_runs: int | None = None):
    """`runs` cold builds (each into a new folder) and `warm_runs` warm ones (over the last; default `runs`): the
    seconds of each, the last edition's folder, and the summaries of the last cold build and of the last build."""
    from ctatracker.edition.build import write_edition_file

    base = Path(tempfile.mkdtemp(prefix="cta-site-bench-"))
    cold, warm = [], []
    done = None
    for i in range(runs):
        done = write_edition_file(db, base / f"cold{i}" / "site", cards=cards)
        cold.append(done.seconds)
    last_cold = done
    out = base / f"cold{runs - 1}" / "site"
    for _ in range(runs if warm_runs is None else warm_runs):
        done = write_edition_file(db, out, cards=cards)
        warm.append(done.seconds)
    return cold, warm, out, last_cold, done


def generation(table: Table, db: Path, runs: int, quick: bool) -> Path:
    """Build rows at seed (and 100x unless `quick`); the seed edition's folder."""
    _progress(f"building the seed edition {runs} times cold, {runs} warm")
    cold, warm, out, last_cold, done = build_times(db, runs)
    table.section(f"Generation (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    n = observations(db)
    table.row(f"seed ({n:,} obs), cold, all images", fmt(cold), f"under {GOAL_BUILD_S:.0f} s",
              statistics.median(cold) < GOAL_BUILD_S, "seed build")
    table.row("seed, warm (unchanged images reused)", fmt(warm))
    table.note(f"{len(done.pages)} pages, {done.files} files, {done.bytes / 1e6:.1f} MB")
    for name, build in (("last cold", last_cold), ("last warm", done)):
        table.note(f"{name} build: " + ", ".join(f"{k} {v:.1f} s" for k, v in build.timings.items()))
    if quick:
        table.row("100x", "not built (--quick)")
        return out
    images = last_cold.timings.get("images", 0.0) / last_cold.seconds
    cards = images <= IMAGES_SHARE
    started = time.perf_counter()
    big, made = x100_db()
    making = f"made now in {time.perf_counter() - started:.0f} s" if made else "cached in bench/out"
    _progress(f"building the 100x edition {runs} times cold ({'with' if cards else 'without'} images)")
    cold100, _, out100, done100, _ = build_times(big, runs, cards=cards, warm_runs=0)
    shutil.rmtree(out100.parent.parent, ignore_errors=True)
    what = "all images" if cards else "no images (as --no-cards)"
    table.row(f"100x ({observations(big):,} obs), cold, {what}", fmt(cold100))
    table.note(f"{len(done100.pages)} pages, {done100.bytes / 1e6:.1f} MB; database {making}; " +
               f"chart images took {images:.0%} of the last cold seed build" +
               ("" if cards else ", so the 100x builds draw none"))
    return out


def weights(table: Table, browser, out: Path, country: str) -> None:
    table.section("Page weight, gzip as nginx sends it: everything an empty-cache load fetches")
    with serve(out) as url:
        for label, path in (("home", "index.html"), ("country", country)):
            arrival, end = page_weight(browser, url + path)
            value = (f"{arrival['transfer'] / 1e6:.2f} MB in {arrival['files']} files on arrival; "
                     f"{end['transfer'] / 1e6:.2f} MB in {end['files']} files read to the end "
                     f"({end['body'] / 1e6:.2f} MB unpacked)")
            if label == "country":
                table.row(f"{label} ({path})", value, f"at most {GOAL_COUNTRY_MB} MB transferred (read to the end)",
                          end["transfer"] / 1e6 <= GOAL_COUNTRY_MB, "country page weight")
            else:
                table.row(f"{label} ({path})", value)


def _chart_row(table: Table, label: str, got: tuple, bare: float | None, goal: str = "", ok=None,
               name: str = "") -> float:
    cold, warm, size = got
    ratio = f" = {statistics.median(cold) / bare:.2f}x the bare Streamlit page" if bare else ""
    table.row(label, f"interactive {fmt(cold)}{ratio}", goal, ok, name)
    table.note(f"on screen {fmt(size['shown'])}; warm cache {fmt(warm)}")
    table.note(f"cpu {size['cpu']:.2f} s; {size['transfer'] / 1e6:.2f} MB over the wire in {size['files']} files")
    return statistics.median(cold)


def browser_times(table: Table, browser, out: Path, country: str, db: Path | None, runs: int,
                  streamlit_overview: bool) -> None:
    from tests.e2e.conftest import _free_port, start_app

    table.section(f"Browser: first chart, empty cache, {runs} load{'s' * (runs > 1)} each (load average "
                  f"{os.getloadavg()[0]:.1f}; cpu: the browser's and its server's, per empty-cache load)")
    port = _free_port()
    _progress("the bare Streamlit page")
    bare_app = start_app(db or OUT / "site-bare.duckdb", port, script="bench/bare_app.py")
    try:
        url = f"http://127.0.0.1:{port}/"
        first_chart(browser, url, 1, STREAMLIT_DRAWN)  # the server's first run
        bare = _chart_row(table, "bare Streamlit one-chart page", first_chart(browser, url, runs, STREAMLIT_DRAWN),
                          None)
        table.note("(the reference of the goals below)")
    finally:
        bare_app.terminate()
        bare_app.wait(timeout=20)
    plotly = next((out / "assets").glob("plotly.min.*.js")).relative_to(out).as_posix()
    (out / "bare.html").write_text(BARE.replace("{plotly}", plotly), encoding="utf-8")
    try:
        with serve(out) as url:
            for label, path in (("home", "index.html"), ("country", country)):
                _progress(f"the {label} page")
                got = first_chart(browser, url + path, runs)
                ratio = statistics.median(got[0]) / bare
                goal = f"at most {GOAL_RATIO}x the bare Streamlit page, interactive"
                ok = ratio <= GOAL_RATIO
                if label == "home":
                    shown = statistics.median(got[2]["shown"])
                    goal += f"; on screen under {GOAL_FIRST_CHART_S:.0f} s"
                    ok = ok and shown < GOAL_FIRST_CHART_S
                _chart_row(table, f"{label} ({path})", got, bare, goal, ok, f"{label} first chart")
            _chart_row(table, "bare plotly.js page", first_chart(browser, url + "bare.html", runs), bare)
    finally:
        (out / "bare.html").unlink()
    if streamlit_overview and db is not None:
        _progress("the Streamlit overview")
        port = _free_port()
        app = start_app(db, port)
        try:
            url = f"http://127.0.0.1:{port}/"
            first_chart(browser, url, 1, STREAMLIT_DRAWN)  # the server's first run
            _chart_row(table, "Streamlit overview", first_chart(browser, url, runs, STREAMLIT_DRAWN), bare)
        finally:
            app.terminate()
            app.wait(timeout=20)


def nginx_load(table: Table, out: Path, country: str) -> None:
    from tests.deploy.stack import nginx_missing

    table.section("nginx under load: deploy/edition-nginx.conf, ApacheBench with keep-alive and gzip accepted")
    why = nginx_missing() or ab_missing()
    if why:
        table.row(f"country ({country})", f"not measured: {why}")
        return
    _progress("ApacheBench against nginx")
    got = ab_load(out, country)
    zipped = out / (country + ".gz")
    if zipped.is_file() and got["bytes"] == zipped.stat().st_size:
        sent = "the .gz file"
    elif zipped.is_file():
        sent = (f"the plain file, not the {zipped.stat().st_size:,}-byte .gz: ab speaks HTTP/1.0 and nginx compresses "
                "only for HTTP/1.1 (gzip_http_version), so this is the heavier case")
    else:
        sent = "the plain file: the page is too small for a .gz"
    table.row(f"country ({country})", f"{got['rps']:,.0f} requests/s, p95 {got['p95']:.0f} ms, "
              f"p50 {got['p50']:.0f} ms; load average {got['after']:.1f} (before {got['before']:.1f}) on "
              f"{os.cpu_count()} cores",
              f"at least {GOAL_RPS:,} requests/s and p95 under {GOAL_P95_MS} ms",
              got["rps"] >= GOAL_RPS and got["p95"] < GOAL_P95_MS and not got["failed"] and not got["non2xx"],
              "nginx under load")
    table.note(f"ab -k -n {got['requests']} -c {got['concurrency']} -H 'Accept-Encoding: gzip': {got['keepalive']:,} "
               f"kept alive, {got['failed']} failed, {got['non2xx']} not 2xx; nginx and ab share the cores")
    table.note(f"{got['bytes']:,} bytes each: {sent}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.site", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="builds and browser loads of each (median printed)")
    parser.add_argument("--quick", action="store_true", help="one run, seed only (no 100x): checks the bench works")
    parser.add_argument("--db", help="database (default: built from the seed into a temporary folder)")
    parser.add_argument("--no-streamlit", action="store_true", help="skip the Streamlit overview (the bare "
                        "Streamlit page, the reference of the browser goal, is always measured)")
    parser.add_argument("--site", help="an edition already written: no builds")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    db = Path(args.db) if args.db else None
    if db is None and not (args.site and args.no_streamlit):
        from pipelines.seed import build

        _progress("building the seed database")
        db = Path(tempfile.mkdtemp(prefix="cta-site-db-")) / "tracker.duckdb"
        build(settings().seed_dir, db, progress=lambda _line: None)
    table = Table()
    print(f"\nPublic edition speed, {runs} run{'s' * (runs > 1)} each{' (--quick)' * args.quick}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start", flush=True)
    if args.site:
        out = Path(args.site)
        table.section("Generation")
        table.row("builds", "not timed (--site)")
    else:
        out = generation(table, db, runs, args.quick)
    country = country_page(out)
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, LAUNCH_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            _progress("weighing the pages")
            weights(table, browser, out, country)
            browser_times(table, browser, out, country, db, runs, not args.no_streamlit)
        finally:
            browser.close()
    nginx_load(table, out, country)
    table.print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
