"""Browser journeys over the public pages: each page draws, a filter changes what is shown, maps draw offline."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def choose(page, label: str, option: str) -> None:
    """Pick an option in the Streamlit selectbox with this label, as a person would."""
    page.get_by_role("combobox", name=label).first.click()
    page.get_by_role("option", name=re.compile(f"^{re.escape(option)}$")).first.click()
    wait_for_app(page)


def chart_count(page) -> int:
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    return page.locator(".js-plotly-plot").count()


def test_overview_draws_figures_scorecard_and_an_offline_map(page, app_url) -> None:
    page.goto(app_url)
    wait_for_app(page)
    expect(page.get_by_text("Countries covered").first).to_be_visible(timeout=20_000)
    assert chart_count(page) == 1  # the scorecard; the map waits behind its tab
    how_made = page.get_by_test_id("stExpander").filter(has_text="How these figures are made")
    expect(how_made.get_by_text("Sources:")).to_have_count(0)  # nothing sent while it is closed
    how_made.get_by_text("How these figures are made").click()
    expect(how_made.get_by_text("Sources:").first).to_be_visible(timeout=20_000)
    expect(page.locator(".js-plotly-plot .heatmaplayer").first).to_be_attached()
    screenshot(page, "overview-scorecard")
    page.get_by_role("tab", name="Map").click()
    page.wait_for_url("**view=Map**", timeout=20_000)  # the open tab is in the link
    countries_drawn = page.locator(".js-plotly-plot .choroplethlocation, .js-plotly-plot path.choroplethlocation")
    page.wait_for_function("() => document.querySelectorAll('path.choroplethlocation').length > 5",
                           timeout=30_000)
    assert countries_drawn.count() >= 10  # the map's countries came from the app's own topojson
    screenshot(page, "overview")
    page.get_by_role("button", name="Countries").click()
    for typed, country in (("Nep", "Nepal"), ("Ind", "India")):  # the popover stays open between picks
        page.get_by_role("combobox", name="Countries").click()
        page.keyboard.type(typed)
        page.get_by_role("option", name=country, exact=True).click()
        wait_for_app(page)
    expect(page.get_by_text("2 of ").first).to_contain_text("countries shown: Nepal, India.", timeout=20_000)
    page.wait_for_function("() => document.querySelectorAll('path.choroplethlocation').length === 2",
                           timeout=30_000)  # the map now shows the two
    assert "countries=NPL" in page.url and "countries=IND" in page.url
    page.keyboard.press("Escape")  # the option list, then the popover
    page.keyboard.press("Escape")
    expect(page.get_by_role("combobox", name="Countries")).to_have_count(0, timeout=20_000)
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    screenshot(page, "overview-two-countries")


def test_progress_filter_changes_the_chart(page, app_url) -> None:
    page.goto(f"{app_url}/progress")
    wait_for_app(page)
    chart_count(page)
    choose(page, "Vehicle scope", "cars")
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .scatterlayer .trace').length >= 3",
                           timeout=30_000)
    expect(page.get_by_text("China").first).to_be_visible(timeout=20_000)
    assert "mode=cars" in page.url  # the view is in the link
    screenshot(page, "progress-cars")


def test_country_profile_from_a_link(page, app_url) -> None:
    page.goto(f"{app_url}/country?country=LKA")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Sri Lanka")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("LG-CTA membership").first).to_be_visible(timeout=20_000)
    choose(page, "Country", "Thailand")
    page.get_by_role("heading", name="Thailand").wait_for(timeout=30_000)
    assert "country=THA" in page.url
    screenshot(page, "country-thailand")


def test_gap_analysis_and_euro_timeline(page, app_url) -> None:
    page.goto(f"{app_url}/gaps")
    wait_for_app(page)
    assert chart_count(page) >= 2
    expect(page.get_by_text("Euro VI").first).to_be_visible(timeout=20_000)
    screenshot(page, "gaps")


def test_activities_timeline_and_filter(page, app_url) -> None:
    page.goto(f"{app_url}/activities?countries=LKA")
    wait_for_app(page)
    chart_count(page)
    labels = page.locator(".js-plotly-plot text").filter(has_text="Framework")
    expect(labels.first).to_be_visible(timeout=20_000)  # the Sri Lanka framework on the timeline
    screenshot(page, "activities-sri-lanka")


def test_phone_width_overview_is_readable(browser, app_url) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(app_url)
    wait_for_app(page)
    # on a phone the scorecard is a list of countries; its chart is kept for wider screens
    expect(page.locator(".cta-scorecard").first).to_be_visible(timeout=30_000)
    expect(page.locator(".st-key-scorecard_chart")).to_be_hidden()
    expect(page.locator(".cta-scorecard strong", has_text="Thailand")).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(page, "overview-phone")
    context.close()
