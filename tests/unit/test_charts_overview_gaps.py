"""Unit tests of the pure chart builders of the overview and gap analysis pages."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ctatracker.charts import gaps as gc
from ctatracker.charts import overview as oc
from ctatracker.charts.style import STAGE_COLOURS, STATUS_COLOURS

COUNTRIES = pd.DataFrame({"iso3": ["IND", "NPL", "VNM"], "name": ["India", "Nepal", "Viet Nam"]})
AREAS = pd.DataFrame({"code": ["electric_vehicles", "standards"], "name": ["Electric vehicles", "Standards"]})
SOURCE = {"source_title": "Notification", "source_publisher": "MoRTH", "source_year": 2016, "source_url": None}


def _commitments() -> pd.DataFrame:
    return pd.DataFrame([
        {"country_iso3": "IND", "action_area_code": "standards", "stage": "in_law", "summary": "BS-VI for all.",
         "as_of": dt.date(2024, 5, 1), **SOURCE},
        {"country_iso3": "NPL", "action_area_code": "electric_vehicles", "stage": "pledged",
         "summary": "EV targets in the NDC.", "as_of": dt.date(2023, 1, 10), **SOURCE},
    ])


# ---------------------------------------------------------------- scorecard

def test_scorecard_colours_each_cell_by_stage_and_marks_missing_cells_no_data() -> None:
    fig = oc.scorecard(_commitments(), COUNTRIES, AREAS)
    heat = fig.data[0]
    assert list(heat.y) == ["India", "Nepal", "Viet Nam"]
    assert heat.z[0][1] == 5  # India, standards: in_law is stage index 4, shifted by the no-data slot
    assert heat.z[1][0] == 3  # Nepal, EV: pledged
    assert heat.text[0][1] == "Law"
    assert heat.z[2] == [0, 0] and heat.text[2] == ["no data", "no data"]  # Viet Nam has no row
    assert heat.customdata[2][0][2] == "No data"
    assert "would fill it" in heat.customdata[2][0][3]


def test_scorecard_scale_is_grey_then_the_stage_colours_in_order() -> None:
    fig = oc.scorecard(_commitments(), COUNTRIES, AREAS)
    heat, keys = fig.data[0], fig.data[1:]
    colours = [step[1] for step in heat.colorscale[::2]]
    assert colours == [oc.NO_DATA_COLOUR, *STAGE_COLOURS]
    assert (heat.zmin, heat.zmax) == (-0.5, 6.5)
    assert [k.name for k in keys][:3] == ["No data", "No action", "Proposed / in discussion"]
    assert [k.marker.color for k in keys] == colours  # the legend keys match the cell colours


def test_scorecard_hover_shows_stage_summary_as_of_and_source() -> None:
    heat = oc.scorecard(_commitments(), COUNTRIES, AREAS).data[0]
    cell = heat.customdata[0][1]
    assert cell[2] == "In law" and cell[3] == "BS-VI for all." and cell[4] == "2024-05-01"
    assert cell[5].startswith("MoRTH (2016)")
    for part in ("customdata[2]", "customdata[3]", "customdata[4]", "customdata[5]"):
        assert part in heat.hovertemplate


# ---------------------------------------------------------------- map

def test_coverage_map_categorical_one_trace_per_category_plus_grey_no_data() -> None:
    frame = COUNTRIES.assign(stage=["In law", "Pledged / announced", None])
    fig = oc.coverage_map(frame, "stage", "Stage", order=["Pledged / announced", "In law"],
                          colours={"In law": "#4393C3", "Pledged / announced": "#F4A582"})
    assert [t.name for t in fig.data] == ["Pledged / announced", "In law", "No data"]
    assert fig.data[1].colorscale[0][1] == "#4393C3"
    nodata = fig.data[2]
    assert list(nodata.locations) == ["VNM"] and nodata.colorscale[0][1] == oc.NO_DATA_COLOUR
    assert list(nodata.hovertext) == ["Viet Nam"]  # full names in the hover
    assert all(t.locationmode == "ISO-3" for t in fig.data)


def test_coverage_map_geo_is_asia_at_50m_fitted_to_locations() -> None:
    fig = oc.coverage_map(COUNTRIES.assign(v=[1.0, 2.0, 3.0]), "v", "Share")
    geo = fig.layout.geo
    assert (geo.scope, geo.resolution, geo.fitbounds) == ("asia", 50, "locations")


def test_coverage_map_numeric_never_draws_missing_as_zero() -> None:
    frame = COUNTRIES.assign(share=[2.5, None, 8.0], detail=["2023, IEA", "", "2023, IEA"])
    fig = oc.coverage_map(frame, "share", "EV share", unit="%")
    scale, nodata = fig.data
    assert list(scale.locations) == ["IND", "VNM"] and list(scale.z) == [2.5, 8.0]
    assert nodata.name == "No data" and list(nodata.locations) == ["NPL"]
    assert "%{z:.1f}%" in scale.hovertemplate


# ---------------------------------------------------------------- pace

def _gap_rows() -> pd.DataFrame:
    return pd.DataFrame([
        {"country_name": "India", "unit": "percent", "observed_slope": 0.8, "required_slope": 3.2,
         "observed_cagr": 0.5, "required_cagr": 0.4, "status_label": "On track", "base_year": 2019,
         "latest_year": 2023, "target_year": 2030},
        {"country_name": "Nepal", "unit": "percent", "observed_slope": None, "required_slope": None,
         "observed_cagr": None, "required_cagr": None, "status_label": "Insufficient data", "base_year": None,
         "latest_year": None, "target_year": 2030},
    ])


def test_pace_chart_slopes_in_the_target_unit_per_year() -> None:
    fig = gc.pace_chart(_gap_rows())
    observed, required, skipped = fig.data
    assert observed.name == "Observed (percentage points per year)"
    assert list(observed.x) == [0.8] and list(required.x) == [3.2]
    assert fig.layout.xaxis.title.text == "percentage points per year"
    assert list(skipped.y) == ["Nepal"] and skipped.text[0] == "not computed: Insufficient data"


def test_pace_chart_cagr_in_percent_per_year() -> None:
    fig = gc.pace_chart(_gap_rows(), measure="cagr")
    assert list(fig.data[0].x) == pytest.approx([50.0]) and list(fig.data[1].x) == pytest.approx([40.0])
    assert "% per year" in fig.layout.xaxis.title.text


# ---------------------------------------------------------------- Euro timeline

def _standards() -> pd.DataFrame:
    base = {"source_publisher": "MoRTH", "source_year": 2016, "local_name": None, "effective_date": None}
    return pd.DataFrame([
        {**base, "country_name": "India", "vehicle_class": "heavy_duty", "euro_level": 6, "local_name": "BS-VI",
         "effective_year": 2020, "effective_date": dt.date(2020, 4, 1), "status": "in_force"},
        {**base, "country_name": "Nepal", "vehicle_class": "heavy_duty", "euro_level": 6,
         "effective_year": 2027, "status": "scheduled"},
        {**base, "country_name": "Nepal", "vehicle_class": "light_duty", "euro_level": 6,
         "effective_year": 2028, "status": "pledged"},
        {**base, "country_name": "Viet Nam", "vehicle_class": "light_duty", "euro_level": 5,
         "effective_year": 2022, "status": "scheduled"},  # scheduled, date passed: drawn in force
    ])


def test_euro_timeline_draws_the_2030_line() -> None:
    fig = gc.euro_timeline(_standards(), as_of=dt.date(2025, 6, 1))
    line = fig.layout.shapes[0]
    assert line.x0 == line.x1 == 2030 and line.line.dash == "dash"
    assert any("2030" in a.text for a in fig.layout.annotations)
    low, high = fig.layout.xaxis.range
    assert low < 2020 and high > 2030  # the deadline is always in view


def test_euro_timeline_draws_pledged_and_future_steps_differently() -> None:
    fig = gc.euro_timeline(_standards(), as_of=dt.date(2025, 6, 1))
    by_name = {t.name: t for t in fig.data}
    assert set(by_name) == {"Light duty: in force", "Light duty: pledged only", "Heavy duty: in force",
                            "Heavy duty: adopted, future date"}
    assert by_name["Heavy duty: in force"].marker.symbol == "circle"
    assert by_name["Heavy duty: adopted, future date"].marker.symbol == "circle-open"
    assert by_name["Light duty: pledged only"].marker.symbol == "diamond-open"
    assert list(by_name["Light duty: in force"].y) == ["Viet Nam"]
    assert by_name["Heavy duty: in force"].customdata[0][0] == "Euro 6 (BS-VI)"  # local name in the hover
    assert {t.orientation for t in fig.data} == {"h"} and fig.layout.scattermode == "group"  # classes apart


# ---------------------------------------------------------------- status bar

def test_status_bar_stacks_counts_in_status_colours() -> None:
    rollup = pd.DataFrame([{"target_id": "ev30", "countries": 4, "achieved": 0, "on_track": 1,
                            "acceleration_needed": 0, "limited_progress": 2, "deterioration": 0,
                            "insufficient_data": 1}])
    fig = gc.status_bar(rollup, labels={"ev30": "EV share 30%"})
    assert fig.layout.barmode == "stack"
    assert [t.marker.color for t in fig.data] == list(STATUS_COLOURS.values())
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["Limited progress"].x) == [2] and list(by_name["Limited progress"].y) == ["EV share 30%"]
    assert list(by_name["Target achieved"].text) == [""]  # a zero count is not labelled


def test_text_colour_contrasts_with_background() -> None:
    assert gc.text_colour("#F0E442") == "#000000"
    assert gc.text_colour("#0072B2") == "#FFFFFF"
