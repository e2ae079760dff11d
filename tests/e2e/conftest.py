"""Browser fixtures: a real `streamlit run` on a free port and Debian's chromium driven by Playwright.

Each test process (each xdist worker) starts its own server and browser. Waits are generous, since two cores
serve the test workers, their servers and their browsers at once; tests wait on what the page shows, never on
a clock.
"""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from ctatracker.config import PROJECT_ROOT
from tests.conftest import CHROMIUM, chromium_missing, require

SCREENSHOTS = Path(__file__).parent / "screenshots"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage"]
TIMEOUT_MS = 60_000
"""Default wait of every Playwright action, navigation and `expect` (Playwright's own are 30 s and 5 s)."""
SETTLE_TIMEOUT_MS = 120_000
"""Default wait for a page to settle: a cold profile page runs for half a minute on two busy cores."""
SETTLED_MS = 300
"""How long the page must stay unchanged, once the script has finished, to count as drawn."""

expect.set_options(timeout=TIMEOUT_MS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PortTaken(RuntimeError):
    """Another process took the port between choosing it and the server binding it."""


def start_app(db: Path, port: int, script: str = "dashboard/app.py") -> subprocess.Popen:
    """Start `streamlit run` against a database and wait until it answers its health check on `port` (its log,
    beside the database, must name the port: a health check answered by another server does not count)."""
    env = {**os.environ, "CTA_DB_PATH": str(db)}
    log = db.parent / f".streamlit-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],  # the code does not change under a test
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            said = log.read_text(errors="replace")
            raise (PortTaken if f"Port {port} is not available" in said else RuntimeError)(said or "streamlit exited")
        if f"127.0.0.1:{port}" in log.read_text(errors="replace"):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5) as r:
                    if r.status == 200:
                        return proc
            except OSError:
                pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"streamlit did not start within 90 s: {log.read_text(errors='replace')}")


def serve(db: Path, script: str = "dashboard/app.py") -> tuple[subprocess.Popen, str]:
    """`start_app` on a free port, trying another port if one is taken meanwhile; (process, base URL)."""
    for attempt in range(3):
        port = _free_port()
        try:
            return start_app(db, port, script), f"http://127.0.0.1:{port}"
        except PortTaken:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def app_url(built_db: Path) -> Iterator[str]:
    proc, url = serve(built_db)
    yield url
    stop(proc)


class PatientBrowser:
    """The browser, whose new contexts and pages wait TIMEOUT_MS by default."""

    def __init__(self, browser) -> None:
        self._browser = browser

    def __getattr__(self, name: str):
        return getattr(self._browser, name)

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        return context

    def new_page(self, **options):
        page = self._browser.new_page(**options)
        page.context.set_default_timeout(TIMEOUT_MS)
        page.context.set_default_navigation_timeout(TIMEOUT_MS)
        return page


@pytest.fixture(scope="session")
def browser() -> Iterator[PatientBrowser]:
    """Debian's chromium (Playwright gives it a fresh temporary profile)."""
    require(chromium_missing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield PatientBrowser(browser)
        browser.close()


@pytest.fixture()
def page(browser: PatientBrowser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


_STATE = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    const shown = (selector) => [...document.querySelectorAll(selector)].filter((e) => e.checkVisibility());
    return {
        script: app ? app.dataset.testScriptState : "no app yet",
        connection: app ? app.dataset.testConnectionState : "no app yet",
        loading: shown("[data-testid='stSkeleton']").length,
        charts_not_drawn: shown("[data-testid='stPlotlyChart']").filter((c) => !c.querySelector(".main-svg")).length,
        unchanged_ms: window.__ctaSettle ? Math.round(performance.now() - window.__ctaSettle.changed) : null,
    };
}"""
"""What the page is waiting for: the script's state, the connection's, placeholders shown, charts not drawn, and
how long since it last changed."""
_SETTLED = """({quiet, call}) => {
    const w = window;
    if (!w.__ctaSettle) {
        w.__ctaSettle = {changed: performance.now(), call};
        new MutationObserver((records) => {  // what is drawn; not styles added to the head or set inline
            if (records.some((r) => r.attributeName !== "style" && r.target.closest?.("head") == null
                             && r.target !== document.head)) {
                w.__ctaSettle.changed = performance.now();
            }
        }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
    }
    if (w.__ctaSettle.call !== call) {  // a new wait: the page must stay unchanged from now on
        w.__ctaSettle.call = call;
        w.__ctaSettle.changed = performance.now();
    }
    const state = (STATE_OF_THE_PAGE)();
    const busy = state.script !== "notRunning" || state.connection !== "CONNECTED" || state.loading > 0
        || state.charts_not_drawn > 0;
    return !busy && performance.now() - w.__ctaSettle.changed >= quiet;
}""".replace("STATE_OF_THE_PAGE", _STATE)
"""True once Streamlit is connected and has finished running the script, every visible chart is drawn, nothing
is loading, and the page has not changed for `quiet` ms."""
_calls = itertools.count()


def wait_for_app(page, timeout: float = SETTLE_TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished running the script and the page has settled (see _SETTLED); also after
    a click or a change of window size, which may start a run or a redraw."""
    try:
        page.wait_for_function(_SETTLED, arg={"quiet": SETTLED_MS, "call": next(_calls)}, timeout=timeout,
                               polling=100)
    except PlaywrightTimeoutError:
        raise AssertionError(f"the page did not settle within {timeout / 1000:.0f} s: {_state(page)}") from None


def _state(page) -> str:
    try:
        return str(page.evaluate(_STATE))
    except PlaywrightError as e:  # e.g. the page is navigating
        return f"(unknown: {e.message})"


def screenshot(page, name: str) -> Path:
    """A whole-page PNG in tests/e2e/screenshots/ (names are unique per test; written whole, then moved in)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    partial = SCREENSHOTS / f".{name}.{os.getpid()}.png"
    page.screenshot(path=str(partial), full_page=True)
    partial.replace(path)
    return path
