"""AppTest: gap analysis page (gap table, status counts, pace chart, Euro VI section)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ctatracker.analysis import derived
from ctatracker.store import queries
from ctatracker.store.database import connect

PAGE = "views/gaps.py"
REGIONAL_EV = "regional-ev-sales-share-2030"


@pytest.fixture(scope="module")
def facts(built_db: Path) -> dict:
    """The gap and Euro tables the page should show, computed straight from the database."""
    con = connect(built_db, read_only=True)
    try:
        gap, euro = derived.gap_table(con), derived.euro_table(con)
        standards = queries.emission_standards(con)
    finally:
        con.close()
    computable = gap[gap["observed_slope"].notna() & gap["required_slope"].notna()]
    return {"gap": gap, "euro": euro, "standards": standards,
            "national": gap[gap["target_scope"] == "national"]["target_id"].iloc[0],
            "paced": computable["target_id"].iloc[0] if len(computable) else None}


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def _values(v: list | dict) -> list:
    """A trace array from the figure JSON: a list, or a typed array {dtype, bdata} (base64)."""
    if isinstance(v, dict):
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return list(v)


def _euro_table(at: AppTest):
    return next(d.value for d in at.dataframe if "Euro 6 year" in d.value.columns)


def _styles(at: AppTest, index: int) -> str:
    return at.dataframe[index].proto.arrow_data.styler.styles


def test_gap_page_renders_table_with_inputs_beside_status(open_page, facts) -> None:
    at = open_page(PAGE)
    assert at.title[0].value == "Gap analysis"
    assert at.selectbox(key="w_target").value == REGIONAL_EV
    table = at.dataframe[1].value
    assert list(table.columns) == ["Country", "Status", "Finding", "Latest value", "Latest year", "Target value",
                                   "Target year", "Sources"]  # the reader's columns first
    assert set(table["Target value"].dropna()) == {"30.0%"}  # rounded for reading, never "30.00"
    assert all(v.endswith("%") and len(v.split(".")[-1]) == 2 for v in table["Latest value"].dropna())
    method = at.dataframe[2].value  # behind "How this was computed"
    for col in ("Country", "Status", "Latest value", "Latest year", "Target value", "Target year", "Base value",
                "Pace ratio, compound growth", "Pace ratio, straight line", "Straight line to the target year",
                "Basis", "Observed change per year", "Required change per year", "How the status was computed",
                "Sources"):
        assert col in method.columns
    assert any(e.label.startswith("How this was computed") for e in at.expander)
    expected = facts["gap"][facts["gap"]["target_id"] == REGIONAL_EV]
    assert len(table) == len(expected)
    assert set(table["Status"]) == set(expected["status_label"])
    # 30%, gap table, pace chart's data, Euro table, Euro timeline's data, transport CO2 against 2019
    assert [b.proto.label for b in at.get("download_button")] == ["CSV", "CSV with metadata", "Excel"] * 6


def test_the_page_opens_on_the_30_percent_question(open_page, built_db) -> None:
    con = connect(built_db, read_only=True)
    try:
        ev30 = derived.ev30_table(con)
    finally:
        con.close()
    at = open_page(PAGE)
    assert at.header[0].value == "Who is on track for 30% EV sales by 2030?"
    table = at.dataframe[0].value
    assert list(table.columns[:5]) == ["Country", "Status", "Figure", "What the figure counts", "Pace"]
    assert len(table) == len(ev30) == len(table["Country"].unique())
    assessed = ev30[ev30["status"] != "insufficient_data"]
    assert len(assessed) >= 7, ev30[["country_name", "status", "basis"]]  # at least the countries IEA covers
    assert at.markdown[0].value.startswith("- **On track or achieved:**")
    chart = _figures(at)[0]
    assert any(s.get("x0") == 30 and s["line"]["dash"] == "dash" for s in chart["layout"]["shapes"])
    drawn = {y for t in chart["data"] if t["mode"] == "markers" and "scenario" not in t["name"] for y in t["y"]
             if y is not None}  # (the proxy legend entry has no point)
    assert drawn == {n for n in assessed["country_name"]} | {
        n for n, v in zip(ev30["country_name"], ev30["latest_value"], strict=True) if v == v and n not in
        set(assessed["country_name"])}


def test_status_cells_are_painted_in_status_colours(open_page) -> None:
    at = open_page(PAGE)
    assert "background-color: #BBBBBB" in _styles(at, 1)  # insufficient data is grey


def test_countries_without_data_are_named_as_no_data(open_page, facts) -> None:
    at = open_page(PAGE)
    rows = facts["gap"][(facts["gap"]["target_id"] == REGIONAL_EV) & facts["gap"]["latest_value"].isna()]
    info = next(i.value for i in at.info
                if "focal point would fill it" in i.value and "No data** for the pace" not in i.value)
    assert info.startswith("**No data** for")
    assert all(name in info for name in rows["country_name"])


def test_choosing_a_target_changes_the_rows(open_page, facts) -> None:
    at = open_page(PAGE)
    before = len(at.dataframe[1].value)
    target = facts["national"]
    owner = facts["gap"].loc[facts["gap"]["target_id"] == target, "country_iso3"].iloc[0]
    at.selectbox(key="w_target_of").set_value(owner).run()
    at.selectbox(key="w_target").set_value(target).run()
    assert not at.exception
    table = at.dataframe[1].value
    expected = facts["gap"][facts["gap"]["target_id"] == target]
    assert len(table) == len(expected) == 1 < before
    assert table["Country"].tolist() == expected["country_name"].tolist()


def test_url_params_preselect_target_countries_and_status(open_page, facts) -> None:
    at = open_page(PAGE, params={"target": REGIONAL_EV, "countries": ["IND", "NPL"],
                                 "status": ["insufficient_data"]})
    assert at.multiselect(key="w_countries").value == ["IND", "NPL"]
    assert at.multiselect(key="w_status").value == ["insufficient_data"]
    table = at.dataframe[1].value
    assert set(table["Country"]) <= {"India", "Nepal"} and len(table) >= 1
    assert set(table["Status"]) == {"Insufficient data"}


def test_status_bar_counts_every_regional_target(open_page, facts) -> None:
    at = open_page(PAGE)
    bar = _figures(at)[1]  # after the 30% chart
    assert bar["layout"]["barmode"] == "stack"
    regional = facts["gap"][facts["gap"]["target_scope"] == "regional"]
    insufficient = next(t for t in bar["data"] if t["name"] == "Insufficient data")
    counts = regional[regional["status"] == "insufficient_data"].groupby("target_id").size()
    expected = [int(counts.get(t, 0)) for t in sorted(regional["target_id"].unique())]
    assert _values(insufficient["x"])[:len(expected)] == expected
    assert any("National targets" in y for y in insufficient["y"])


def test_pace_chart_or_no_data_for_the_target(open_page, facts) -> None:
    if facts["paced"] is None:
        pytest.skip("no target in the seed has a computable pace")
    at = open_page(PAGE, params={"target": facts["paced"]})
    pace = next(f for f in _figures(at) if f["data"][0]["name"].startswith("Observed"))
    assert pace["data"][1]["name"].startswith("Required")
    assert "per year" in pace["layout"]["xaxis"]["title"]["text"]
    at.segmented_control(key="pace_measure").set_value("cagr").run()
    pace = next(f for f in _figures(at) if f["data"][0]["name"].startswith("Observed"))
    assert pace["layout"]["xaxis"]["title"]["text"] == "% per year (compound growth)"


def test_pace_without_computable_rows_says_no_data(open_page, facts) -> None:
    at = open_page(PAGE, params={"target": REGIONAL_EV, "countries": ["MDV"]})
    assert any(i.value.startswith("**No data** for the pace") for i in at.info)
    assert not any(f["data"] and f["data"][0]["name"].startswith("Observed") for f in _figures(at))


def test_euro_section_table_timeline_and_no_data(open_page, facts) -> None:
    at = open_page(PAGE)
    euro = _euro_table(at)
    assert len(euro) == len(facts["euro"])
    assert {"Country", "Vehicle class", "Status", "Current level", "Euro 6 year"} <= set(euro.columns)
    timeline = _figures(at)[-1]
    assert any(s["x0"] == 2030 and s["line"]["dash"] == "dash" for s in timeline["layout"]["shapes"])
    missing = sorted(set(facts["euro"]["country_name"]) - set(facts["standards"]["country_name"]))
    assert missing, "every country has a standard in the seed; pick another no-data case"
    info = next(i.value for i in at.info if "No emission standard recorded" in i.value)
    assert all(name in info for name in missing)
    no_data_rows = euro[euro["Country"] == missing[0]]
    assert set(no_data_rows["Status"]) == {"No data"}


def test_country_filter_narrows_the_euro_section(open_page, facts) -> None:
    at = open_page(PAGE, params={"countries": ["IND"]})
    euro = _euro_table(at)
    assert set(euro["Country"]) == {"India"}
    timeline = _figures(at)[-1]
    assert {y for t in timeline["data"] for y in t["y"]} == {"India"}


def test_the_target_picker_finds_a_country_by_name_then_its_targets_by_kind(open_page, facts) -> None:
    """Before: one list of dozens of sentences, where typing 'Thailand' found Nepal and India first."""
    at = open_page(PAGE)
    owner = at.selectbox(key="w_target_of")
    labels = owner.options
    assert labels[0] == "the region (communique)"
    first_match = next(label for label in labels if "thailand" in label.lower())
    assert first_match == "Thailand"
    owner.set_value("THA").run()
    targets = at.selectbox(key="w_target")
    gap = facts["gap"]
    thai = set(gap.loc[(gap["target_scope"] == "national") & (gap["country_iso3"] == "THA"), "target_id"])
    assert len(targets.options) == len(thai) > 1 and targets.value in thai
    assert at.query_params["target_of"] in ("THA", ["THA"])
    rows = at.dataframe[1].value
    assert set(rows["Country"]) == {"Thailand"}


def test_the_gap_table_shows_source_names_whole_years_and_growth_in_percent(open_page, facts) -> None:
    at = open_page(PAGE)
    table = at.dataframe[2].value
    sources = " ".join(table["Sources"].dropna())
    assert sources and "-" not in sources.replace(" - ", "")  # names such as 'IEA 2025', never slug ids
    assert str(table["Target year"].dtype) == "Int64"
    growth = table["Observed growth (% per year)"].dropna()
    expected = facts["gap"].loc[facts["gap"]["target_id"] == REGIONAL_EV, "observed_cagr"].dropna()
    assert sorted(growth.round(1)) == sorted((expected * 100).round(1))
