"""Every public page in chromium at 1400 px and on a phone (390 px): plain words only (no file paths, code names,
snake_case or internal ids in what a reader sees) and no sideways scrolling. Screenshots are kept in
tests/e2e/screenshots/ to be looked at."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.e2e

PUBLIC = {"overview": "", "progress": "progress", "gaps": "gaps", "activities": "activities",
          "cooperation": "cooperation", "catalogue": "catalogue", "methodology": "methodology"}
"""Public pages (URL path) whose words this test holds to account."""

DEVELOPER_WORDS = {
    "snake_case": re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b"),
    "a file name": re.compile(r"\b\w+\.(?:csv|py|duckdb|json|xlsx)\b"),
    "a folder path": re.compile(r"\b(?:data|docs|dashboard|pipelines|tests)/"),
    "a code name": re.compile(r"\bctatracker\b|\bas_of\b|\bsource_id\b"),
    "a slug id": re.compile(r"\b[a-z]+(?:-[a-z0-9]+){2,}-(?:19|20)\d\d\b"),
}


def developer_words(text: str) -> list[str]:
    """Every stretch of `text` that a minister's adviser should not have to read, with what it is."""
    return [f"{kind}: {m.group(0)!r}" for kind, rx in DEVELOPER_WORDS.items() for m in rx.finditer(text)]


def test_the_check_catches_what_the_issue_found() -> None:
    found = developer_words("as_of = end of 2023; a sourced figure in data/seed/observations.csv would fill it; "
                            "country_name; iea-gev-data-2025; see ctatracker/analysis/gaps.py")
    assert len(found) >= 6
    assert developer_words("EV share of new vehicle sales, cars (IEA 2025); Euro 6 by 2030; www.iea.org") == []


_READ_TEXT = """() => {
    const style = document.createElement('style');  // icons are ligatures ('show_chart'): not words a reader sees
    style.textContent = '[data-testid="stIconMaterial"], .material-symbols-rounded {display: none !important}';
    document.head.appendChild(style);
    const text = document.querySelector('[data-testid="stApp"]').innerText;
    style.remove();
    return text;
}"""


def _visible_text(page) -> str:
    """What the reader sees in the page body (the sidebar included; tables drawn on canvas are not text)."""
    return page.evaluate(_READ_TEXT)


def _open_everything(page) -> None:
    """Open every closed expander in view, so that their words are checked too (those behind a closed tab are
    opened when their tab is)."""
    closed = page.locator("[data-testid='stExpander'] details:not([open]) > summary")
    for _ in range(30):  # one at a time: opening one may run the script again (it writes what it holds then)
        in_view = [summary for summary in closed.all() if summary.is_visible()]
        if not in_view:
            break
        in_view[0].click()
        wait_for_app(page)


def _whole_page_screenshot(page, name: str, width: int) -> None:
    """Streamlit scrolls inside its main block: make the window as tall as the page, then take the picture."""
    height = page.evaluate("() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight")
    page.set_viewport_size({"width": width, "height": min(max(int(height), 900), 9000)})
    wait_for_app(page)  # redrawn at the new size
    screenshot(page, name)
    page.set_viewport_size({"width": width, "height": 900})


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("name", list(PUBLIC))
def test_public_page_speaks_plain_words_and_fits_the_screen(browser, app_url, name: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/{PUBLIC[name]}")
        wait_for_app(page)  # charts are drawn too
        _open_everything(page)
        texts = [_visible_text(page)]
        _whole_page_screenshot(page, f"words-{name}-{width}", width)
        for i, tab in enumerate(page.get_by_role("tab").all()[1:], start=2):
            tab.click()
            wait_for_app(page)
            _open_everything(page)
            texts.append(_visible_text(page))
            _whole_page_screenshot(page, f"words-{name}-{width}-tab{i}", width)
        problems = developer_words("\n".join(texts))
        assert not problems, f"{name} at {width}px shows developer words: {sorted(set(problems))}"
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width + 1, f"{name} scrolls sideways at {width}px ({scroll}px wide)"
    finally:
        context.close()


def test_copy_link_copies_the_current_view(browser, app_url) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/gaps?target_of=THA")
        wait_for_app(page)
        button = page.get_by_role("button", name="Copy a link to this view").first
        button.scroll_into_view_if_needed()
        button.click()
        page.wait_for_function("() => document.querySelector('.cta-copy-link').textContent === 'Link copied'",
                               timeout=10_000)
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == page.url and "target_of=THA" in copied and "target=" in copied
    finally:
        context.close()
