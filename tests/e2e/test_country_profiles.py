"""Browser: the profiles of Thailand (1400 px), Viet Nam and India (on a phone, 390 px) each draw at least two charts
with data on a fresh build without sideways scrolling; the table of countries and the compare page too. (Every
public page is also checked at both widths by test_accessibility.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.e2e

DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')].filter(
    p => p.querySelectorAll('.scatterlayer .trace path.js-line, .scatterlayer .trace .point').length > 0).length"""
"""Charts with at least one drawn line or marker (not an empty frame)."""


def _charts_with_data(page, wanted: int) -> int:
    page.wait_for_function(f"({DRAWN})() >= {wanted}", timeout=30_000)
    return page.evaluate(DRAWN)


@pytest.mark.parametrize(("iso", "name", "width"), [("THA", "Thailand", 1400), ("VNM", "Viet Nam", 390),
                                                    ("IND", "India", 390)])  # every page at both widths: a11y test
def test_profile_draws_its_charts(browser, app_url, iso: str, name: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 6000})  # tall: the screenshot holds it all
    page = context.new_page()
    try:
        page.goto(f"{app_url}/country?country={iso}")
        wait_for_app(page)
        expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=20_000)
        expect(page.get_by_label("Stage of each action area")).to_be_visible()
        expect(page.get_by_text("against 30% by 2030").first).to_be_visible()
        assert _charts_with_data(page, 2) >= 2
        expect(page.get_by_text("No data yet for:").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1  # no sideways scrolling
        screenshot(page, f"country-{iso.lower()}-{width}")
    finally:
        context.close()


@pytest.mark.parametrize("width", [1400, 390])
def test_table_of_countries_links_to_profiles_and_compare_page(browser, app_url, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/country")
        wait_for_app(page)
        expect(page.get_by_role("link", name="Viet Nam")).to_be_visible(timeout=20_000)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        screenshot(page, f"countries-table-{width}")
        page.get_by_role("link", name="Viet Nam").click()
        page.wait_for_url("**country=VNM**", timeout=20_000)
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Viet Nam")).to_be_visible(timeout=20_000)

        page.set_viewport_size({"width": width, "height": 5000})  # tall: the screenshot holds it all
        page.goto(f"{app_url}/compare?compare=THA&compare=VNM&compare=IND")
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Compare countries")).to_be_visible(timeout=20_000)
        assert _charts_with_data(page, 2) >= 2
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        screenshot(page, f"compare-{width}")
    finally:
        context.close()
