"""A link to a page must work as the very first request a freshly started server receives."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, serve, stop, wait_for_app

pytestmark = pytest.mark.e2e


def test_first_request_to_a_deep_link(browser, built_db: Path) -> None:
    proc, url = serve(built_db)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/gaps?target=regional-ev-sales-share-2030")
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Gap analysis").first).to_be_visible(timeout=30_000)
        assert page.get_by_text("ModuleNotFoundError").count() == 0
        expect(page.get_by_role("link", name="Regional overview")).to_be_visible()  # the app's own navigation
        screenshot(page, "deep-link-gaps")
        page.close()
    finally:
        stop(proc)
