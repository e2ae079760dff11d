"""Plain words: the check itself (every public page is read with it in test_accessibility.py, in the same visit as
axe-core), and the link a reader copies to share a view."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import wait_for_app
from tests.e2e.words import developer_words

pytestmark = pytest.mark.e2e


def test_the_check_catches_what_the_issue_found() -> None:
    found = developer_words("as_of = end of 2023; a sourced figure in data/seed/observations.csv would fill it; "
                            "country_name; iea-gev-data-2025; see ctatracker/analysis/gaps.py")
    assert len(found) >= 6
    assert developer_words("EV share of new vehicle sales, cars (IEA 2025); Euro 6 by 2030; www.iea.org") == []


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
