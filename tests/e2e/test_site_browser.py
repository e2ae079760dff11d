"""The public edition in a browser: served by a plain `python -m http.server`, the overview and a country page at
1400 and 390 px draw their charts from the local plotly.js, ask no other host for anything, fit a phone's width,
and are saved as screenshots to look at; a chart saved as SVG carries its title and sources; and every kind of
page passes axe-core (WCAG 2.1 AA, as the app's public pages do) at 1400 and 390 px once its charts are drawn."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ctatracker.edition.build import write_edition_file
from tests.e2e.conftest import _free_port, screenshot, stop
from tests.e2e.test_accessibility import axe_violations, failing

DRAWN = ".plot[data-drawn='yes'] .main-svg"
PAGE_KINDS = {"overview": "index.html", "gaps": "gaps.html", "country": "countries/ind.html",
              "countries": "countries/index.html", "euro-vi": "euro-vi.html", "co2": "co2.html",
              "support": "support.html", "reporting": "reporting.html", "changes": "changes.html",
              "methodology": "methodology.html", "data": "data.html", "embed": "embed/gaps-ev30.html",
              "not-found": "404.html"}
"""One page of each kind the edition writes (name: path)."""


@pytest.fixture(scope="module")
def site(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The edition of the seed database (no preview images: they are not looked at here) on a local web server."""
    out = tmp_path_factory.mktemp("site") / "edition"
    port = _free_port()
    write_edition_file(built_db, out, f"http://127.0.0.1:{port}/", cards=False)
    log = out.parent / "http.log"
    with log.open("wb") as said:
        proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                 "--directory", str(out)], stdout=said, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "robots.txt", timeout=5) as r:
                if b"Sitemap: " + url.encode() in r.read():
                    break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log.read_text(errors="replace")) from None
            time.sleep(0.2)
    yield url
    stop(proc)


_NAVIGATION_OUT_OF_VIEW = """() => [...document.querySelectorAll('header nav a')]
    .filter((a) => { const box = a.getBoundingClientRect(); return box.left < 0 || box.right > window.innerWidth; })
    .map((a) => a.textContent.trim())"""
"""The links of the page's navigation that are not in the window (a row that scrolls sideways inside itself hides
them from a reader who does not think of swiping it)."""


def _draw_all(page) -> int:
    """Bring every chart shown into view in turn and wait until each is drawn; how many there are."""
    plots = page.locator(".plot[data-figure]:visible")
    for i in range(plots.count()):
        plots.nth(i).scroll_into_view_if_needed()
        page.wait_for_function("(e) => e.getAttribute('data-drawn') === 'yes' && e.querySelector('.main-svg')",
                               arg=plots.nth(i).element_handle())
    page.evaluate("window.scrollTo(0, 0)")
    return plots.count()


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize(("path", "name", "charts"), [("index.html", "overview", {1400: 2, 390: 1}),
                                                       ("countries/ind.html", "ind", {1400: 4, 390: 4})])
def test_pages_draw_their_charts_from_local_files_only_and_fit_the_screen(browser, site: str, path: str, name: str,
                                                                          charts: dict, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    asked, problems = [], []
    page.on("request", lambda r: asked.append(r.url))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    try:
        page.goto(site + path)
        page.wait_for_selector(DRAWN)  # the first chart is drawn at once, without scrolling
        assert _draw_all(page) == charts[width]  # on a phone the overview lists the stages instead of its grid
        host = urlsplit(site).netloc
        assert asked and all(urlsplit(u).netloc == host or u.startswith("data:") for u in asked), asked
        assert not problems, problems
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"{wide}px wider than the window"
        hidden = page.evaluate(_NAVIGATION_OUT_OF_VIEW)
        assert not hidden, f"at {width}px the navigation hides {hidden} beyond the edge of the window"
        if path == "index.html":
            phone = width < 640
            assert page.locator(".phone-only").is_visible() is phone
            assert page.locator(".wide-only").is_visible() is not phone
        shot = screenshot(page, f"site-{name}-{width}")
        assert shot.stat().st_size > 20_000
    finally:
        context.close()


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("name", list(PAGE_KINDS))
def test_every_kind_of_page_passes_axe(browser, site: str, name: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(site + PAGE_KINDS[name])
        _draw_all(page)
        height = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": width, "height": min(max(int(height), 900), 9000)})
        problems = failing(axe_violations(page))
        assert not problems, f"{name} at {width}px: " + "\n".join(problems)
    finally:
        context.close()


def test_a_chart_saved_as_svg_carries_its_title_and_sources(browser, site: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(site + "gaps.html")
        page.wait_for_selector(DRAWN)
        figure = page.locator("#chart-gaps-ev30")
        assert figure.get_by_role("link", name="Download its data (CSV)").is_visible()
        with page.expect_download() as saved:
            figure.get_by_role("button", name="Save chart as SVG").click()
        download = saved.value
        assert download.suggested_filename.startswith("ev-share-of-new-vehicle-sales-against-30pct")
        assert download.suggested_filename.endswith(".svg")
        svg = Path(download.path()).read_text(encoding="utf-8")
        assert "EV share of new vehicle sales" in svg and "Source" in svg and "data as of" in svg
    finally:
        context.close()
