"""The pieces of `python -m bench.site`: local web servers for an edition, timing a page's first chart in chromium,
weighing everything a page loads, the cached 100x database, and ApacheBench against nginx."""
from __future__ import annotations

import http.server
import os
import re
import shutil
import statistics
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import BinaryIO

from ctatracker.config import PROJECT_ROOT, settings

OUT = PROJECT_ROOT / "bench" / "out"
DRAWN = ".plot[data-drawn='yes'] .main-svg"
STREAMLIT_DRAWN = ".js-plotly-plot .main-svg"
_BYTES = """() => { const n = performance.getEntriesByType('navigation')[0];
  const r = performance.getEntriesByType('resource');
  return {transfer: n.transferSize + r.reduce((a, x) => a + (x.transferSize || 0), 0),
          body: n.decodedBodySize + r.reduce((a, x) => a + (x.decodedBodySize || 0), 0), files: r.length + 1}; }"""
SHOWN = """() => [...document.querySelectorAll('.plot img.poster, .js-plotly-plot .main-svg')].some(
  (e) => e.tagName !== 'IMG' || (e.complete && e.naturalWidth > 0))"""
"""The first chart is on the screen: its poster has loaded, or plotly.js has drawn it."""
_TO_THE_END = """async () => { for (const el of document.querySelectorAll('.plot[data-figure]')) {
  if (!el.offsetParent) continue;  /* in a folded section: drawn only when the reader opens it */
  el.scrollIntoView();
  await new Promise((done) => { const t0 = performance.now(); const tick = () => {
    if (el.getAttribute('data-drawn') === 'yes' || performance.now() - t0 > 20000) done();
    else setTimeout(tick, 20); }; tick(); }); }
  window.scrollTo(0, document.body.scrollHeight); }"""
"""Scroll through the page as a reader would, each chart in view until plotly.js has drawn it, then to the end."""
BARE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bare</title>
<script src="{plotly}" defer></script></head><body><div id="c" class="plot"></div>
<script>addEventListener("DOMContentLoaded", function () { Plotly.newPlot("c", [{y: [1, 3, 2]}], {height: 300})
.then(function () { document.getElementById("c").setAttribute("data-drawn", "yes"); }); });</script></body></html>"""
"""A page that only loads plotly.js and draws one small chart: what any page drawing with plotly.js costs."""
AB = "/usr/bin/ab"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class Compressed(Quiet):
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
def serve(root: Path, handler: type = Compressed) -> Iterator[str]:
    """A local web server on a free port for the edition in `root`."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def descendants_cpu() -> float:
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
        if pid in stats:
            total += int(stats[pid][11]) + int(stats[pid][12])  # utime, stime
        todo += children.get(pid, [])
    return total / os.sysconf("SC_CLK_TCK")


def first_chart(browser, url: str, runs: int, selector: str = DRAWN) -> tuple[list[float], list[float], dict]:
    """Seconds to the first interactive chart: `runs` loads with an empty cache, `runs` with a warm one; for the
    empty-cache loads, the seconds until the first chart is on the screen (its poster, or the chart), the bytes, and
    the CPU seconds of the browser (and a server it started)."""
    cold, warm, shown = [], [], []
    size: dict = {}
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        cpu = descendants_cpu()
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(SHOWN, polling="raf", timeout=120_000)
        shown.append(time.perf_counter() - started)
        page.wait_for_selector(selector, timeout=120_000)
        cold.append(time.perf_counter() - started)
        size = {**page.evaluate(_BYTES), "cpu": descendants_cpu() - cpu, "shown": shown}
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(selector, timeout=120_000)
        warm.append(time.perf_counter() - started)
        context.close()
    return cold, warm, size


def _settled(page, timeout: float = 15) -> None:
    """Wait until the page has fetched nothing new for half a second (or `timeout` seconds)."""
    deadline, count, still = time.monotonic() + timeout, -1, 0.0
    while time.monotonic() < deadline and still < 0.5:
        now = page.evaluate("() => performance.getEntriesByType('resource').length")
        still = still + 0.1 if now == count else 0.0
        count = now
        page.wait_for_timeout(100)


def page_weight(browser, url: str) -> tuple[dict, dict]:
    """Everything an empty-cache load of `url` fetched (bytes over the wire, bytes unpacked, files): on arrival
    (the first chart drawn, nothing more fetched), and once a reader has scrolled to the end with every chart
    drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script("performance.setResourceTimingBufferSize(5000)")
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_selector(DRAWN, timeout=120_000)
        _settled(page)
        arrival = page.evaluate(_BYTES)
        page.evaluate(_TO_THE_END)
        _settled(page)
        return arrival, page.evaluate(_BYTES)
    finally:
        context.close()


def country_page(root: Path) -> str:
    """The path of the country page measured: India's, else the first there is."""
    if (root / "countries" / "ind.html").is_file():
        return "countries/ind.html"
    return next(p for p in sorted((root / "countries").glob("*.html")) if p.name != "index.html").relative_to(
        root).as_posix()


def x100_db() -> tuple[Path, bool]:
    """The 100x database (bench.synthetic, as `python -m bench` makes it) in bench/out, made again only when the
    seed or the generator changed since; (path, made now)."""
    from bench.synthetic import make

    db = OUT / "x100.duckdb"
    inputs = [*settings().seed_dir.glob("*.csv"), PROJECT_ROOT / "bench" / "synthetic.py"]
    if db.exists() and db.stat().st_mtime > max(p.stat().st_mtime for p in inputs):
        return db, False
    OUT.mkdir(parents=True, exist_ok=True)
    make(settings().seed_dir, db)
    return db, True


def observations(db: Path) -> int:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    finally:
        con.close()


def ab_missing() -> str | None:
    return None if shutil.which("ab") or os.access(AB, os.X_OK) else (
        "ApacheBench (ab) is missing: apt-get install -y apache2-utils")


def ab_load(edition: Path, path: str, requests: int = 20000, concurrency: int = 50) -> dict:
    """deploy/edition-nginx.conf (Debian's nginx) over the edition, and ApacheBench on `path` with keep-alive and
    gzip accepted: requests per second, the 95th percentile in ms, failures, bytes per answer, and the load
    average before and after."""
    from tests.deploy.stack import start_edition_nginx, stop_nginx

    nginx = start_edition_nginx(OUT / "site-nginx", edition)
    try:
        before = os.getloadavg()[0]
        url = f"http://127.0.0.1:{nginx.http_port}/{path}"
        done = subprocess.run([shutil.which("ab") or AB, "-k", "-n", str(requests), "-c", str(concurrency),
                               "-H", "Accept-Encoding: gzip", url], capture_output=True, text=True, timeout=600)
        after = os.getloadavg()[0]
    finally:
        stop_nginx(nginx)
    if done.returncode:
        raise RuntimeError(f"ab failed: {done.stderr.strip() or done.stdout[-500:]}")
    text = done.stdout

    def number(pattern: str) -> float:
        found = re.search(pattern, text, re.MULTILINE)
        return float(found.group(1)) if found else 0.0

    return {"rps": number(r"^Requests per second:\s+([\d.]+)"), "p95": number(r"^\s+95%\s+(\d+)"),
            "p50": number(r"^\s+50%\s+(\d+)"), "failed": int(number(r"^Failed requests:\s+(\d+)")),
            "non2xx": int(number(r"^Non-2xx responses:\s+(\d+)")), "bytes": int(number(r"^Document Length:\s+(\d+)")),
            "keepalive": int(number(r"^Keep-Alive requests:\s+(\d+)")), "url": url, "before": before, "after": after,
            "requests": requests, "concurrency": concurrency}


def fmt(values: list[float], unit: str = "s") -> str:
    return f"median {statistics.median(values):.2f} {unit} (runs: {', '.join(f'{v:.2f}' for v in values)})"
