"""python -m bench.load: N people opening the tracker at once, on one viewer and on two behind nginx.

Publishes a snapshot of the seed database (or --db), starts viewers on it (CTA_VIEWER=1), then for N = 5, 10 and
20 opens N fresh browser contexts at the same moment (Playwright, Debian's chromium) and times each from
navigation to its first drawn chart. Prints p50/p95 and the peak resident memory of the viewer processes.
The two viewers are reached through deploy/nginx.conf itself, run by Debian's nginx (HTTPS with a self-signed
certificate, sticky sessions by cookie, the rate limits), as tests/deploy/test_nginx.py runs it.
Everything (the browser, the viewers and nginx) shares this machine's cores: a fresh browser context spends
several CPU seconds on Streamlit's scripts and drawing, so the viewers' own CPU time is printed beside the times.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ctatracker.config import PROJECT_ROOT, settings

OUT = PROJECT_ROOT / "bench" / "out"
SIZES = (5, 10, 20)
TIMEOUT_MS = 90_000
"""A first chart not drawn within this is counted as failed."""


@dataclass(frozen=True)
class Round:
    """One burst of N simultaneous first views."""

    setup: str
    n: int
    p50_ms: float
    p95_ms: float
    peak_rss_mb: float
    server_cpu_s: float
    failed: int


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def _family(pids: list[int]) -> list[int]:
    """These processes and their children."""
    seen, todo = [], list(pids)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.append(pid)
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            continue
    return seen


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user and system) used so far by these processes and their children."""
    total = 0
    for pid in _family(pids):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def rss_mb(pids: list[int]) -> float:
    """Resident memory of these processes and their children, in MB (from /proc)."""
    total = 0
    for pid in _family(pids):
        try:
            with open(f"/proc/{pid}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            continue
    return total / 1024


class PeakMemory:
    """Samples the processes' memory in a thread while a round runs."""

    def __init__(self, pids: list[int]):
        self.pids, self.peak, self._stop = pids, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pids))
            self._stop.wait(0.2)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb(self.pids))


async def _first_chart(browser, url: str) -> float | None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, ignore_https_errors=True)
    try:
        page = await context.new_page()
        started = time.perf_counter()
        await page.goto(url)
        await page.wait_for_selector(".js-plotly-plot .main-svg", timeout=TIMEOUT_MS)
        return (time.perf_counter() - started) * 1000
    except Exception:  # a view that never drew is counted as failed
        return None
    finally:
        await context.close()


async def _rounds(url: str, setup: str, pids: list[int], sizes: tuple[int, ...]) -> list[Round]:
    from playwright.async_api import async_playwright

    from tests.e2e.conftest import CHROMIUM, LAUNCH_ARGS

    rounds = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        await _first_chart(browser, url)  # the viewers' first run (imports, caches) is not a person's wait
        for n in sizes:
            cpu = cpu_seconds(pids)
            with PeakMemory(pids) as memory:
                times = await asyncio.gather(*(_first_chart(browser, url) for _ in range(n)))
            drawn = [t for t in times if t is not None]
            rounds.append(Round(setup, n, statistics.median(drawn) if drawn else math.nan,
                                percentile(drawn, 95) if drawn else math.nan, memory.peak,
                                cpu_seconds(pids) - cpu, n - len(drawn)))
        await browser.close()
    return rounds


@contextmanager
def viewers(snapshot: Path, count: int):
    """Start `count` viewers on the snapshot, with deploy/nginx.conf (Debian's nginx) in front of two or more;
    yields (url, the viewers' pids)."""
    from tests.deploy.stack import launch_app, start_nginx, stop, stop_nginx, wait_ready

    apps, nginx = [], None
    try:
        apps = [launch_app(snapshot, OUT, viewer=True) for _ in range(count)]
        wait_ready(*apps)
        url = f"http://127.0.0.1:{apps[0].port}/"
        if count > 1:
            nginx = start_nginx(OUT / "nginx", [a.port for a in apps])
            url = f"https://127.0.0.1:{nginx.https_port}/"
        yield url, [a.proc.pid for a in apps]
    finally:
        if nginx:
            stop_nginx(nginx)
        for app in apps:
            stop(app.proc)


def snapshot_of(db: Path | None) -> Path:
    """Publish the given database, or one built from the seed, as the viewers' snapshot."""
    from ctatracker.store.publish import publish_file
    from pipelines.seed import build

    OUT.mkdir(parents=True, exist_ok=True)
    if db is None:
        db = OUT / "load-seed.duckdb"
        db.unlink(missing_ok=True)
        build(settings().seed_dir, db, progress=lambda _line: None)
    return publish_file(db, OUT / "load-snapshot.duckdb").path


def run(db: Path | None = None, sizes: tuple[int, ...] = SIZES) -> list[Round]:
    """Every round: one viewer, then two behind nginx (left out, and said so, where nginx is not installed)."""
    from tests.deploy.stack import nginx_missing

    snapshot = snapshot_of(db)
    rounds = []
    setups = [(1, "one viewer"), (2, "two viewers, nginx")]
    if nginx_missing():
        print(f"Two viewers behind nginx not measured: {nginx_missing()}")
        setups = setups[:1]
    for count, setup in setups:
        with viewers(snapshot, count) as (url, pids):
            rounds += asyncio.run(_rounds(url, setup, pids, sizes))
    return rounds


def print_rounds(rounds: list[Round]) -> None:
    """The table of rounds."""
    print(f"{'setup':<24}{'N':>4}{'p50 (ms)':>10}{'p95 (ms)':>10}{'peak RSS (MB)':>15}{'server CPU (s)':>16}"
          f"{'failed':>8}")
    for r in rounds:
        print(f"{r.setup:<24}{r.n:>4}{r.p50_ms:>10.0f}{r.p95_ms:>10.0f}{r.peak_rss_mb:>15.0f}{r.server_cpu_s:>16.1f}"
              f"{r.failed:>8}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--db", type=Path, help="database to publish for the viewers (default: built from seed)")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="people at once, per round")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rounds = run(args.db, tuple(args.sizes))
    print_rounds(rounds)
    print(f"(first chart from navigation, each person in a fresh browser context; {time.perf_counter() - started:.0f}"
          f" s in all; browser, viewers and nginx share {os.cpu_count()} cores)")
    return 0 if all(r.failed == 0 for r in rounds) else 1


if __name__ == "__main__":
    sys.exit(main())
