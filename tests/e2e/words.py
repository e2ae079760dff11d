"""What a reader sees on a page, and the words in it that a minister's adviser should not have to read (file paths,
code names, snake_case, internal ids): used by the browser tests of every page, public and contributor."""

from __future__ import annotations

import re

from tests.e2e.conftest import screenshot, wait_for_app

DEVELOPER_WORDS = {
    "snake_case": re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b"),
    "a file name": re.compile(r"\b\w+\.(?:csv|py|duckdb|json|xlsx)\b"),
    "a folder path": re.compile(r"\b(?:data|docs|dashboard|pipelines|tests)/"),
    "a code name": re.compile(r"\bctatracker\b|\bas_of\b|\bsource_id\b"),
    "a slug id": re.compile(r"\b[a-z]+(?:-[a-z0-9]+){2,}-(?:19|20)\d\d\b"),
    "an empty value as code shows it": re.compile(r"\bNone\b(?!\s+of\b)|\bnan\b|\bNaN\b|\bNaT\b|\bnull\b"),
}


def developer_words(text: str) -> list[str]:
    """Every stretch of `text` that a minister's adviser should not have to read, with what it is."""
    return [f"{kind}: {m.group(0)!r}" for kind, rx in DEVELOPER_WORDS.items() for m in rx.finditer(text)]


_READ_TEXT = """() => {
    const style = document.createElement('style');  // icons are ligatures ('show_chart'): not words a reader sees
    style.textContent = '[data-testid="stIconMaterial"], [data-testid="stAlertDynamicIcon"], '
        + '[data-testid="stToastDynamicIcon"], .material-symbols-rounded {display: none !important}';
    document.head.appendChild(style);
    const text = document.querySelector('[data-testid="stApp"]').innerText;
    style.remove();
    return text;
}"""


_GRID_TEXT = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
    .filter((grid) => grid.checkVisibility())
    .map((grid) => [...grid.querySelectorAll('table tr')]
        .map((row) => [...row.children].map((cell) => cell.textContent).join(' | ')).join('\\n'))
    .join('\\n')"""
"""The cells of every table in view, headers included, from the grid's accessible table (the grid itself is drawn on
a canvas), one line per row."""


def _visible_text(page, tables: bool = False) -> str:
    """What the reader sees in the page body (the sidebar included; tables drawn on canvas are not text unless
    `tables`, which adds the cells each table in view shows)."""
    text = page.evaluate(_READ_TEXT)
    return text + "\n" + page.evaluate(_GRID_TEXT) if tables else text


_OPEN_CLOSED = """() => {
    const closed = [...document.querySelectorAll("[data-testid='stExpander'] details:not([open]) > summary")]
        .filter((summary) => summary.checkVisibility());
    closed.forEach((summary) => summary.click());
    return closed.length;
}"""
"""Open every closed expander in view at once; how many were opened."""


def open_everything(page) -> None:
    """Open every closed expander in view, so that their words are checked too (those behind a closed tab are
    opened when their tab is): all at once, then again for any that the opened ones reveal or a run redraws."""
    for _ in range(10):
        if not page.evaluate(_OPEN_CLOSED):
            break
        wait_for_app(page)


def _whole_page_screenshot(page, name: str, width: int) -> None:
    """Streamlit scrolls inside its main block: make the window as tall as the page, then take the picture."""
    height = page.evaluate("() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight")
    page.set_viewport_size({"width": width, "height": min(max(int(height), 900), 9000)})
    wait_for_app(page)  # redrawn at the new size
    screenshot(page, name)
    page.set_viewport_size({"width": width, "height": 900})


def page_words(page, name: str, width: int, tables: bool = False, first_shot: bool = True) -> str:
    """Every word of the page as a reader may see it: each expander opened, each tab in turn (a whole-page
    screenshot of each in tests/e2e/screenshots/words-<name>-<width>[-tab<n>].png, the first one left out when
    not `first_shot`: a caller that has just taken one); with `tables`, the cells of every table too."""
    open_everything(page)
    texts = [_visible_text(page, tables)]
    if first_shot:
        _whole_page_screenshot(page, f"words-{name}-{width}", width)
    for i, tab in enumerate(page.get_by_role("tab").all()[1:], start=2):
        tab.click()
        wait_for_app(page)
        open_everything(page)
        texts.append(_visible_text(page, tables))
        _whole_page_screenshot(page, f"words-{name}-{width}-tab{i}", width)
    return "\n".join(texts)
