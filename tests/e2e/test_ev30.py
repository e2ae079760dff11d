"""Browser journey: the Gap analysis answers the communique's 30% question on a fresh build."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def test_gap_analysis_opens_on_who_is_on_track_for_30_percent(page, app_url) -> None:
    page.goto(f"{app_url}/gaps")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Who is on track for 30% EV sales by 2030?")).to_be_visible(
        timeout=30_000)
    # who stands where, by name: the countries with a figure are those outside "No figure"
    groups = page.locator("li", has_text=re.compile(r"^(On track or achieved|Off track|Indicative evidence only|"
                                                    r"No figure):"))
    expect(groups.first).to_be_visible(timeout=20_000)
    named = {item.split(":", 1)[0]: [n.strip() for n in item.split(":", 1)[1].split(",")]
             for item in groups.all_inner_texts()}
    assert "China" in named.get("On track or achieved", []), named
    assert sum(len(v) for k, v in named.items() if k != "No figure") >= 7, named  # the seven IEA countries at least
    # the chart draws one marker per assessed country, against the dashed 30% line
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=30_000)
    chart = page.locator(".js-plotly-plot").first
    expect(chart.get_by_text("30% ambition by 2030")).to_be_visible()
    assert chart.locator(".scatterlayer .point").count() >= 7
    for country in ("China", "India", "Thailand", "Viet Nam"):
        expect(chart.locator(".ytick text", has_text=re.compile(f"^{country}$"))).to_have_count(1)
    # the regional figure says its coverage beside the number
    expect(page.get_by_text(re.compile(r"Across the \d+ of \d+ countries with EV sales by vehicle type")).first
           ).to_be_visible()
    screenshot(page, "gaps-30-percent")
    page.set_viewport_size({"width": 390, "height": 900})
    wait_for_app(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
    screenshot(page, "gaps-30-percent-phone")
