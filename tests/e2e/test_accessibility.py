"""Public pages anyone can use: every public page checked by axe-core against WCAG 2.1 AA in chromium at 1400 px and
on a phone (390 px) once its charts are drawn and its expanders opened, every request it makes answered by the app
itself, its words plain (tests/e2e/words.py, each tab in turn), and the keyboard's way in (a skip link first, a
visible focus, no hidden stops, no pages for signed-in people in anonymous readers' way). Whole-page screenshots,
expanders open, are kept in tests/e2e/screenshots/ (a11y-*.png) to be looked at.

axe-core is vendored in tests/e2e/vendor/axe-core/ (MPL-2.0, see its README) and injected by the test only.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, wait_for_app
from tests.e2e.words import developer_words, open_everything, page_words

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PUBLIC = {"overview": "", "overview-map": "?view=Map", "progress": "progress",
          "country-sri-lanka": "country?country=LKA", "countries": "country", "compare": "compare", "gaps": "gaps",
          "activities": "activities", "cooperation": "cooperation", "catalogue": "catalogue",
          "reporting-status": "reporting_status", "what-changed": "what_changed", "methodology": "methodology",
          "download": "download", "suggest": "suggest", "sign-in": "sign_in"}
"""Every page an anonymous reader can open (name: address)."""
ALWAYS = {"color-contrast", "list", "listitem", "heading-order"}
"""Rules that must pass whatever impact axe gives them; every other rule must have no serious or critical finding."""
_RUN_AXE = """async () => {
    const result = await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}, resultTypes: ['violations']});
    return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(
        (n) => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200))}));
}"""


def axe_violations(page) -> list[dict]:
    """axe-core's violations of WCAG 2.1 A and AA (and its best practices) on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text())
    return page.evaluate(_RUN_AXE)


def failing(violations: list[dict]) -> list[str]:
    """The violations that fail the test, one line each with a node or two."""
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes: {v['help']}): {v['nodes'][:2]}"
            for v in violations if v["id"] in ALWAYS or v["impact"] in ("serious", "critical")]


def outside(urls: list[str]) -> list[str]:
    """Requests to any host but the app's own (data: and blob: addresses stay in the browser)."""
    return [u for u in urls if urlparse(u).scheme in ("http", "https", "ws", "wss")
            and urlparse(u).hostname != "127.0.0.1"]


def _tall(page, width: int) -> None:
    """The window as tall as the page, so that axe checks (and the screenshot shows) every part of it in view."""
    height = page.evaluate("() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight")
    page.set_viewport_size({"width": width, "height": min(max(int(height), 900), 9000)})
    wait_for_app(page)


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("name", list(PUBLIC))
def test_public_page_passes_axe_speaks_plain_words_and_asks_nothing_of_other_hosts(browser, app_url, name: str,
                                                                                    width: int) -> None:
    """One visit a page and width, every expander opened: axe-core, the hosts asked, sideways scrolling, then every
    word (each tab in turn)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    try:
        page.goto(f"{app_url}/{PUBLIC[name]}")
        wait_for_app(page)  # charts drawn, nothing loading
        open_everything(page)  # axe checks what is inside them too
        _tall(page, width)
        problems = failing(axe_violations(page))
        screenshot(page, f"a11y-{name}-{width}")
        assert not problems, f"{name} at {width}px: " + "\n".join(problems)
        assert not outside(requests), f"{name} asked other hosts: {sorted(set(outside(requests)))}"
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width + 1, f"{name} scrolls sideways at {width}px ({scroll}px wide)"
        page.set_viewport_size({"width": width, "height": 900})
        said = developer_words(page_words(page, name, width, first_shot=False))
        assert not said, f"{name} at {width}px shows developer words: {sorted(set(said))}"
    finally:
        context.close()


def test_the_checks_catch_what_they_are_for() -> None:
    found = [{"id": "heading-order", "impact": "moderate", "help": "h", "nodes": ["#a: skipped"]},
             {"id": "region", "impact": "moderate", "help": "r", "nodes": ["#b"]},
             {"id": "button-name", "impact": "critical", "help": "b", "nodes": ["#c"]}]
    assert [line.split(" ")[0] for line in failing(found)] == ["heading-order", "button-name"]
    assert outside(["http://127.0.0.1:8501/x", "data:image/svg+xml,<svg/>", "https://fonts.gstatic.com/s/i.svg"]) \
        == ["https://fonts.gstatic.com/s/i.svg"]


_FOCUSED = """() => {
    const a = document.activeElement;
    const box = a.getBoundingClientRect();
    const style = getComputedStyle(a);
    return {test_id: a.dataset.testid || null, text: (a.innerText || a.getAttribute('aria-label') || '').trim(),
            in_main: !!a.closest('[data-testid="stMain"]'), x: box.x, y: box.y, width: box.width,
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
}"""


def _tab(page) -> dict:
    page.keyboard.press("Tab")
    return page.evaluate(_FOCUSED)


@pytest.mark.parametrize("width", [1400, 390])
def test_keyboard_reaches_the_content_first_and_always_shows_where_it_is(browser, app_url, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/country?country=LKA")
        wait_for_app(page)
        first = _tab(page)
        assert first["test_id"] == "stSkipToContent" and first["outline"], first  # the first stop: skip to content
        page.keyboard.press("Enter")
        reached = _tab(page)
        assert reached["in_main"], f"after the skip link, Tab went to {reached}"
        assert reached["text"] == "Country" or "Country" in reached["text"] or reached["outline"], reached
        page.goto(f"{app_url}/country?country=LKA")  # and without the skip link: the navigation, then the content
        wait_for_app(page)
        stops = []
        for _ in range(40):
            stop = _tab(page)
            stops.append(stop)
            assert stop["x"] >= 0 and stop["x"] + stop["width"] <= width + 1, f"focus went off screen: {stop}"
            assert stop["outline"], f"no visible focus on {stop}"
            if stop["in_main"]:
                break
        assert stops[-1]["in_main"], f"the content was not reached in 40 Tab presses: {stops[-3:]}"
        limit = 18 if width == 1400 else 4  # skip link, 13 public pages, sign in, the footer's link; on a phone
        assert len(stops) <= limit, f"{len(stops)} Tab presses to reach the content: {[s['text'] for s in stops]}"
        names = [s["text"].split("\n")[-1] for s in stops]
        for signed_in_only in ("Review queue", "Bulk upload", "Users", "Briefing pack", "My country's data"):
            assert signed_in_only not in names
        if width == 1400:
            assert "Sign in" in names
        screenshot(page, f"a11y-keyboard-{width}")
    finally:
        context.close()


def test_contribute_pages_show_in_the_navigation_only_to_those_who_may_use_them(page, app_url) -> None:
    page.goto(f"{app_url}/review_queue")  # still opens from its address, and says who it is for
    wait_for_app(page)
    expect(page.get_by_text("Sign in to use it").first).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    expect(nav.get_by_role("link", name="Review queue")).to_have_count(0)
    expect(nav.get_by_role("link", name="Gap analysis")).to_be_visible()
