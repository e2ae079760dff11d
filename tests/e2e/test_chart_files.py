"""A chart saved from the page, as a reader would: the PNG and SVG are named after what they show and the date of the
data, and the SVG (text, so it can be read here) carries the chart's title, its sources with their licence and the
tracker's credit with that date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e


def _save(page, chart_key: str, label: str):
    box = page.locator(f".st-key-chart-{chart_key}")
    with page.expect_download() as download:
        box.get_by_role("button", name=label).click()
    return download.value


def test_the_progress_chart_saves_as_png_and_svg_with_its_title_and_sources(page, app_url, tmp_path: Path) -> None:
    page.goto(f"{app_url}/progress")
    wait_for_app(page)
    png = _save(page, "progress_chart", "Save chart as PNG")
    assert re.fullmatch(r"progress-ev-sales-share-all-vehicles-derived-\d{4}-\d\d-\d\d\.png", png.suggested_filename)
    png.save_as(tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = _save(page, "progress_chart", "Save chart as SVG")
    assert svg.suggested_filename == png.suggested_filename.removesuffix(".png") + ".svg"
    svg.save_as(tmp_path / "chart.svg")
    text = " ".join(re.sub(r"<[^>]+>", " ", (tmp_path / "chart.svg").read_text()).split())  # wrapped lines joined
    for said in ("EV share of new vehicle sales", "all vehicles, derived by the tracker", "IEA (2025)", "CC BY 4.0",
                 "Clean Transport Asia Tracker", "data as of"):
        assert said in text, f"the saved chart does not say {said!r}"
    assert page.locator(".st-key-chart-progress_chart .js-plotly-plot").count() == 1  # the chart is still drawn
