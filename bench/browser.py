"""Browser time to first chart of the public pages against a bare one-chart Streamlit page, with where it goes.

Each load is timed from navigation to the first drawn Plotly chart. The page's own performance timeline splits
it: the HTML and Streamlit's scripts (until DOMContentLoaded), then the websocket, the script run on the server
and drawing (until the first chart), and what else the page fetched (fonts, the map's topojson).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

PAGES = {"overview": "", "progress": "progress", "gaps": "gaps", "country": "country?country=IND"}
GOAL_RATIO = 1.5

_TIMELINE = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const kb = r => (r.transferSize || r.encodedBodySize || 0) / 1024;
  return {dcl: nav.domContentLoadedEventEnd, chart: performance.now(),
          resources: res.length, kb: res.reduce((a, r) => a + kb(r), 0),
          fonts: res.filter(r => /woff|ttf/.test(r.name)).length,
          topojson: res.filter(r => /json/.test(r.name) && /static/.test(r.name)).length,
          last_resource: Math.max(0, ...res.map(r => r.responseEnd))};
}"""


@dataclass(frozen=True)
class PageLoads:
    """Loads of one page: first-chart times and the median split of the timeline."""

    name: str
    ms: list[float]
    dcl_ms: float
    title_ms: float
    resources: float
    kb: float

    @property
    def median(self) -> float:
        return statistics.median(self.ms)


def first_chart(page, url: str) -> tuple[float, dict]:
    """Milliseconds from navigation to the first drawn chart, and the page's timeline at that moment."""
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("h1, .js-plotly-plot .main-svg", timeout=60_000)  # the first element the server sent
    title = page.evaluate("() => performance.now()")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    took = (time.perf_counter() - started) * 1000
    return took, {**page.evaluate(_TIMELINE), "title": title}


def measure(db: Path, runs: int) -> dict[str, PageLoads]:
    """`runs` loads of each page and of the bare page, in turn, in one browser with its cache (as a returning
    reader), against one app and one bare app started on `db`."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, LAUNCH_ARGS, _free_port, start_app

    port_app, port_bare = _free_port(), _free_port()
    app = start_app(db, port_app)
    bare = start_app(db, port_bare, script="bench/bare_app.py")
    urls = {name: f"http://127.0.0.1:{port_app}/{path}" for name, path in PAGES.items()}
    urls["bare page"] = f"http://127.0.0.1:{port_bare}/"
    samples: dict[str, list[tuple[float, dict]]] = {name: [] for name in urls}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for url in urls.values():  # warm both servers and the browser cache
                first_chart(page, url)
            for _ in range(runs):
                for name, url in urls.items():
                    samples[name].append(first_chart(page, url))
            browser.close()
    finally:
        for proc in (app, bare):
            proc.terminate()
            proc.wait(timeout=10)
    return {name: PageLoads(name, [ms for ms, _ in got], statistics.median(t["dcl"] for _, t in got),
                            statistics.median(t["title"] for _, t in got),
                            statistics.median(t["resources"] for _, t in got),
                            statistics.median(t["kb"] for _, t in got)) for name, got in samples.items()}


def print_loads(loads: dict[str, PageLoads], runs: int) -> None:
    """Each page's median against the bare page's, with the split of its timeline."""
    bare = loads["bare page"].median
    print(f"\nBrowser time to first chart, median of {runs} loads each (goal: under {GOAL_RATIO}x the bare page)")
    print("(scripts: HTML and Streamlit's scripts loaded; first element: the websocket opened and the server's "
          "first element drawn; then chart: the rest of the script run and drawing the chart)")
    print(f"{'page':<12}{'first chart':>12}{'ratio':>7}{'scripts':>9}{'first element':>15}{'then chart':>12}"
          f"{'files':>7}{'KB':>7}  verdict")
    for name, got in loads.items():
        ratio = got.median / bare
        verdict = "" if name == "bare page" else ("ok" if ratio < GOAL_RATIO else "SLOW")
        print(f"{name:<12}{got.median:>10.0f}ms{ratio:>7.2f}{got.dcl_ms:>7.0f}ms{got.title_ms - got.dcl_ms:>13.0f}ms"
              f"{got.median - got.title_ms:>10.0f}ms{got.resources:>7.0f}{got.kb:>7.0f}  {verdict}")
