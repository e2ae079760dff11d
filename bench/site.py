"""python -m bench.site [--runs 3]: the public edition's speed figures, each against its goal.

Build time: cold (a new output folder, every chart image drawn) and warm (over the last edition: unchanged images
copied), each reading the data afresh. Bytes: the overview page and everything it loads, as served plainly and
gzipped (what a CDN or nginx's gzip_static sends; the edition writes the .gz files beside the large ones). Browser,
with Playwright and Debian's chromium over a local web server (plain, and serving the .gz files as a CDN would): the
time from navigation until the overview's first chart is on the screen (its poster) and until it is interactive
(plotly.js has drawn it), with an empty cache and a warm one, the CPU time the browser spent, against a bare page that
only loads plotly.js and against the Streamlit overview on the same database. The machine is shared: read the load
average printed and the spread of the runs.
"""
from __future__ import annotations

import argparse
import gzip
import http.server
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import BinaryIO

from ctatracker.config import settings

GOAL_FIRST_CHART_S = 1.0
STREAMLIT_MB = 9.0
"""What the Streamlit overview loads before its first chart (measured again below when it can be)."""
DRAWN = ".plot[data-drawn='yes'] .main-svg"
_BYTES = """() => { const n = performance.getEntriesByType('navigation')[0];
  const r = performance.getEntriesByType('resource');
  return {transfer: n.transferSize + r.reduce((a, x) => a + (x.transferSize || 0), 0),
          body: n.decodedBodySize + r.reduce((a, x) => a + (x.decodedBodySize || 0), 0), files: r.length + 1}; }"""


def build_times(db: Path, runs: int) -> tuple[list[float], list[float], Path, object]:
    """`runs` cold builds (each into a new folder) and `runs` warm ones (over the last); the last edition kept."""
    from ctatracker.edition.build import write_edition_file

    base = Path(tempfile.mkdtemp(prefix="cta-site-bench-"))
    cold, warm = [], []
    done = None
    for i in range(runs):
        done = write_edition_file(db, base / f"cold{i}" / "site")
        cold.append(done.seconds)
    out = base / f"cold{runs - 1}" / "site"
    for _ in range(runs):
        done = write_edition_file(db, out)
        warm.append(done.seconds)
    return cold, warm, out, done


def page_bytes(root: Path) -> list[tuple[str, int, int]]:
    """The overview page and what it loads on a screen: (file, bytes, gzipped bytes)."""
    assets = root / "assets"
    files = ["index.html", *(next(assets.glob(p)).relative_to(root).as_posix() for p in (
        "site.*.css", "print.*.css", "site.*.js", "plotly.min.*.js", "topojson.*/asia_50m.json"))]
    return [(f, (root / f).stat().st_size, len(gzip.compress((root / f).read_bytes(), 6))) for f in files]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class _Compressed(_Quiet):
    """Serves a file's .gz sibling, when there is one and the browser accepts gzip (as nginx gzip_static does)."""

    def send_head(self) -> BinaryIO | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        zipped = path.with_name(path.name + ".gz")
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not zipped.is_file():
            return super().send_head()
        f = zipped.open("rb")
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(zipped.stat().st_size))
        self.send_header("Last-Modified", self.date_time_string(int(zipped.stat().st_mtime)))
        self.end_headers()
        return f


@contextmanager
def serve(root: Path, handler: type) -> Iterator[str]:
    """A local web server on a free port for the edition in `root`."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _descendants_cpu() -> float:
    """CPU seconds used so far by every process this one started (the browser's, a Streamlit server's)."""
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = fields
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        total += int(stats[pid][11]) + int(stats[pid][12])  # utime, stime
        todo += children.get(pid, [])
    return total / os.sysconf("SC_CLK_TCK")


BARE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bare</title>
<script src="{plotly}" defer></script></head><body><div id="c" class="plot"></div>
<script>addEventListener("DOMContentLoaded", function () { Plotly.newPlot("c", [{y: [1, 3, 2]}], {height: 300})
.then(function () { document.getElementById("c").setAttribute("data-drawn", "yes"); }); });</script></body></html>"""
"""A page that only loads plotly.js and draws one small chart: what any page drawing with plotly.js costs."""


SHOWN = """() => [...document.querySelectorAll('.plot img.poster, .js-plotly-plot .main-svg')].some(
  (e) => e.tagName !== 'IMG' || (e.complete && e.naturalWidth > 0))"""
"""The first chart is on the screen: its poster has loaded, or plotly.js has drawn it."""


def first_chart(browser, url: str, runs: int, selector: str = DRAWN) -> tuple[list[float], list[float], dict]:
    """Seconds to the first interactive chart: `runs` loads with an empty cache, `runs` with a warm one; for the
    empty-cache loads, the seconds until the first chart is on the screen (its poster, or the chart), the bytes, and
    the CPU seconds of the browser (and a server it started)."""
    cold, warm, shown = [], [], []
    size: dict = {}
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        cpu = _descendants_cpu()
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(SHOWN, polling="raf", timeout=120_000)
        shown.append(time.perf_counter() - started)
        page.wait_for_selector(selector, timeout=120_000)
        cold.append(time.perf_counter() - started)
        size = {**page.evaluate(_BYTES), "cpu": _descendants_cpu() - cpu, "shown": shown}
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(selector, timeout=120_000)
        warm.append(time.perf_counter() - started)
        context.close()
    return cold, warm, size


def _fmt(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s (runs: {', '.join(f'{v:.2f}' for v in values)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.site", description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="database (default: built from the seed into a temporary folder)")
    parser.add_argument("--no-streamlit", action="store_true", help="skip the Streamlit overview")
    parser.add_argument("--site", help="an edition already written: time only the browser (no build)")
    args = parser.parse_args(argv)
    db = Path(args.db) if args.db else None
    if db is None and not (args.site and args.no_streamlit):
        from pipelines.seed import build

        db = Path(tempfile.mkdtemp(prefix="cta-site-db-")) / "tracker.duckdb"
        build(settings().seed_dir, db, progress=lambda _line: None)
    if args.site:
        out = Path(args.site)
    else:
        cold, warm, out, done = build_times(db, args.runs)
        print(f"\nPublic edition of {db}: {len(done.pages)} pages, {done.files} files, {done.bytes / 1e6:.1f} MB "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        print(f"Build, cold (every preview image drawn): {_fmt(cold)}")
        print(f"Build, warm (unchanged preview images reused): {_fmt(warm)}")
        print("  last build: " + ", ".join(f"{k} {v:.1f} s" for k, v in done.timings.items()))
    sizes = page_bytes(out)
    print("\nThe overview page and what it loads on a screen (bytes, gzipped):")
    for name, raw, zipped in sizes:
        print(f"  {name:<32}{raw:>12,}{zipped:>12,}")
    raw, zipped = sum(s[1] for s in sizes), sum(s[2] for s in sizes)
    print(f"  {'total':<32}{raw:>12,}{zipped:>12,}  ({zipped / 1e6:.2f} MB gzipped: "
          f"{zipped / 1e6 / STREAMLIT_MB:.0%} of Streamlit's {STREAMLIT_MB:.0f} MB)")
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, LAUNCH_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        print(f"\nBrowser time to the overview's first chart on screen (goal: under "
              f"{GOAL_FIRST_CHART_S:.0f} s) and interactive, {args.runs} loads each:")
        plotly = next((out / "assets").glob("plotly.min.*.js")).relative_to(out).as_posix()
        (out / "bare.html").write_text(BARE.replace("{plotly}", plotly), encoding="utf-8")
        print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; cpu: the CPU time the browser "
              "and any server it talks to used for an empty-cache load, what it would take on an idle core)")
        for label, handler, path in (("edition, plain files", _Quiet, "index.html"),
                                     ("edition, gzip as a CDN sends it", _Compressed, "index.html"),
                                     ("bare plotly.js page, gzip", _Compressed, "bare.html")):
            with serve(out, handler) as url:
                c, w, size = first_chart(browser, url + path, args.runs)
            first = statistics.median(size["shown"])
            verdict = "" if path == "bare.html" else "ok" if first < GOAL_FIRST_CHART_S else "SLOW"
            print(f"  {label:<34} on screen {_fmt(size['shown'])}  {verdict}\n{'':<36} interactive, empty cache "
                  f"{_fmt(c)}; warm cache {_fmt(w)}; cpu {size['cpu']:.2f} s; {size['transfer'] / 1e6:.2f} MB over "
                  f"the wire in {size['files']} files")
        (out / "bare.html").unlink()
        if not args.no_streamlit:
            from tests.e2e.conftest import _free_port, start_app

            port = _free_port()
            app = start_app(db, port)
            try:
                url = f"http://127.0.0.1:{port}/"
                first_chart(browser, url, 1, ".js-plotly-plot .main-svg")  # the server's first run
                c, w, size = first_chart(browser, url, args.runs, ".js-plotly-plot .main-svg")
                print(f"  {'Streamlit overview':<34} on screen {_fmt(size['shown'])}\n{'':<36} interactive, empty "
                      f"cache {_fmt(c)}; warm cache {_fmt(w)}; cpu {size['cpu']:.2f} s; {size['transfer'] / 1e6:.2f} "
                      f"MB over the wire in {size['files']} files")
            finally:
                app.terminate()
                app.wait(timeout=20)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
