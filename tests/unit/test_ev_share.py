"""The EV share of all vehicle sales derived from mode data, and the 30% question it answers (by hand)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ctatracker.analysis.ev_share import derived_all_vehicle_share, regional_all_vehicle_share
from ctatracker.analysis.gap_tables import gap_table

IEA = {"source_id": "iea-2025", "source_family": "iea-gev", "source_year": 2025, "confidence": "high"}


def pair(iso, mode, year, ev, share, **kw):
    """EV sales and EV sales share of one mode and year, from one source."""
    base = {"country_iso3": iso, "mode": mode, "year": year, **IEA, **kw}
    return [{**base, "indicator_code": "ev_sales", "value": ev}, {**base, "indicator_code": "ev_sales_share",
                                                                   "value": share}]


def frame(*pairs) -> pd.DataFrame:
    return pd.DataFrame([row for p in pairs for row in p])


def test_share_of_all_vehicles_is_ev_sales_over_total_sales():
    # 2024: cars 100 EVs at 10% -> 1,000 sold; 2/3-wheelers 900 at 9% -> 10,000; buses 5 at 5% -> 100.
    # All vehicles: (100 + 900 + 5) / (1,000 + 10,000 + 100) = 1,005 / 11,100 = 9.054054%
    # (the unweighted mean of the three shares, 8%, would be wrong).
    obs = frame(pair("XAA", "cars", 2024, 100, 10), pair("XAA", "two_three_wheelers", 2024, 900, 9),
                pair("XAA", "buses", 2024, 5, 5),
                # 2022 has all three: 20 / 400, 100 / 5000, 1 / 50 -> 121 / 5,450 = 2.220183%
                pair("XAA", "cars", 2022, 20, 5), pair("XAA", "two_three_wheelers", 2022, 100, 2),
                pair("XAA", "buses", 2022, 1, 2))
    out = derived_all_vehicle_share(obs).set_index("year")
    assert list(out.index) == [2022, 2024]
    assert out.loc[2024, "value"] == pytest.approx(9.054054, abs=1e-6)
    assert out.loc[2024, "total_sales"] == pytest.approx(11_100)
    assert out.loc[2022, "value"] == pytest.approx(2.220183, abs=1e-6)
    assert out.loc[2024, "coverage"] == "cars, 2/3-wheelers and buses; vans and trucks missing"
    assert "Derived by the tracker from iea-2025" in out.loc[2024, "method"]


def test_a_type_missing_from_part_of_the_window_is_left_out_not_the_years():
    # 2023 lacks buses: keeping buses would shrink the series to 2022 and 2024, so the series keeps cars and
    # 2/3-wheelers in all three years and names buses as missing.
    # 2024: (100 + 900) / (1,000 + 10,000) = 9.090909%
    obs = frame(pair("XAA", "cars", 2024, 100, 10), pair("XAA", "two_three_wheelers", 2024, 900, 9),
                pair("XAA", "buses", 2024, 5, 5),
                pair("XAA", "cars", 2023, 50, 5), pair("XAA", "two_three_wheelers", 2023, 500, 5),
                pair("XAA", "cars", 2022, 20, 5), pair("XAA", "two_three_wheelers", 2022, 100, 2),
                pair("XAA", "buses", 2022, 1, 2))
    out = derived_all_vehicle_share(obs).set_index("year")
    assert list(out.index) == [2022, 2023, 2024]
    assert out.loc[2024, "value"] == pytest.approx(9.090909, abs=1e-6)
    assert out.loc[2024, "coverage"] == "cars and 2/3-wheelers; buses, vans and trucks missing"


def test_one_truck_reported_in_the_latest_year_never_collapses_the_series():
    # The Indonesia case: cars and 2/3-wheelers every year, one electric truck in 2024 only. Before, the series
    # kept the types of its latest year and shrank to 2024 alone, so the country fell back to the cars proxy.
    rows = [pair("XAA", m, y, 10 * (y - 2018), 1 + (y - 2019)) for y in range(2019, 2025)
            for m in ("cars", "two_three_wheelers")]
    obs = frame(*rows, pair("XAA", "trucks", 2024, 1, 0.01))
    out = derived_all_vehicle_share(obs)
    assert out["year"].tolist() == list(range(2019, 2025))
    assert set(out["modes_missing"].iloc[-1].split("; ")) == {"buses", "vans", "trucks"}


def test_no_derived_share_from_one_mode_part_years_bev_only_or_zero_shares():
    obs = frame(pair("XAA", "cars", 2024, 100, 10),  # one mode: that is the cars share, not all vehicles
                pair("XBB", "cars", 2024, 100, 10),
                pair("XBB", "two_three_wheelers", 2024, 900, 9, period="partial_year"),
                pair("XCC", "cars", 2024, 100, 10), pair("XCC", "buses", 2024, 0, 0),  # 0 / 0: no total
                pair("XDD", "cars", 2024, 100, 10), pair("XDD", "buses", 2024, 5, 5, powertrains="bev_only"))
    assert derived_all_vehicle_share(obs).empty


def test_newest_edition_per_year_and_one_family():
    old = {"source_id": "iea-2024", "source_year": 2024}
    obs = frame(pair("XAA", "cars", 2023, 10, 10, **old), pair("XAA", "buses", 2023, 1, 1, **old),
                pair("XAA", "cars", 2023, 20, 10), pair("XAA", "buses", 2023, 1, 1))  # 2025 edition revised
    out = derived_all_vehicle_share(obs)
    # the 2025 edition: (20 + 1) / (200 + 100) = 7%
    assert out["source_id"].tolist() == ["iea-2025"] and out["value"].iloc[0] == pytest.approx(7.0)


def test_regional_figure_is_sales_weighted_with_its_coverage():
    # XAA 2024: 1,005 / 11,100 (above); XBB 2024: cars 300 / 1,000 and buses 0 / 500 (0% of 500 sold is a
    # zero share: no total) -> XBB needs two modes: cars 300 at 30% (1,000) + vans 100 at 10% (1,000)
    # = 400 / 2,000. Region: (1,005 + 400) / (11,100 + 2,000) = 1,405 / 13,100 = 10.725191%
    obs = frame(pair("XAA", "cars", 2024, 100, 10), pair("XAA", "two_three_wheelers", 2024, 900, 9),
                pair("XAA", "buses", 2024, 5, 5), pair("XBB", "cars", 2024, 300, 30),
                pair("XBB", "vans", 2024, 100, 10))
    region = regional_all_vehicle_share(derived_all_vehicle_share(obs), n_countries=17)
    assert region["value"] == pytest.approx(10.725191, abs=1e-6)
    assert region["coverage"] == "2 of 17 countries; modes: cars, 2/3-wheelers, buses and vans"
    assert "differ between countries" in region["method"]
    # XAA sells 11,100 of 13,100 vehicles (84.7%); without it: XBB's 400 / 2,000 = 20%
    assert region["largest"] == "XAA" and region["largest_share"] == pytest.approx(84.732824, abs=1e-5)
    assert region["without_largest"] == pytest.approx(20.0)
    assert regional_all_vehicle_share(derived_all_vehicle_share(frame()), 17)["value"] is None


def test_the_30_percent_target_uses_the_derived_series_when_the_reported_one_cannot_be_assessed():
    reported = {"country_iso3": "XAA", "indicator_code": "ev_sales_share", "mode": "all_vehicles",
                "year": 2024, "value": 7.7, "source_id": "niti", "confidence": "high"}
    obs = pd.concat([frame(pair("XAA", "cars", 2023, 50, 5), pair("XAA", "two_three_wheelers", 2023, 500, 5),
                           pair("XAA", "cars", 2024, 100, 10), pair("XAA", "two_three_wheelers", 2024, 900, 9)),
                     pd.DataFrame([reported])], ignore_index=True)
    targets = pd.DataFrame([{"id": "regional-30", "country_iso3": None, "indicator_code": "ev_sales_share",
                             "mode": "all_vehicles", "comparison": "at_least", "target_value": 30.0,
                             "target_year": 2030, "baseline_year": None, "baseline_value": None,
                             "wording": "30%", "source_id": "communique"}])
    indicators = pd.DataFrame([{"code": "ev_sales_share", "unit": "percent", "higher_is_better": True}])
    countries = pd.DataFrame({"iso3": ["XAA"], "name": ["Country A"]})
    derived = derived_all_vehicle_share(obs)
    row = gap_table(obs, targets, indicators, countries, date(2026, 1, 1), derived=derived).iloc[0]
    # derived: 2023 550 / 11,000 = 5%; 2024 1,000 / 11,000 = 9.090909%. Straight line +4.090909/yr against
    # (30 - 9.090909) / 6 = 3.484848 required: R_linear = 1.173913; compound growth 81.8% a year against
    # (30 / 5)^(1/7) - 1 = 29.1% required: on track by both; the line reaches 9.090909 + 6 x 4.090909 = 33.636364
    assert row["basis_kind"] == "derived" and row["basis"].startswith("All vehicles, derived by the tracker")
    assert "cars and 2/3-wheelers; buses, vans and trucks missing" in row["basis"]
    assert row["latest_value"] == pytest.approx(9.090909, abs=1e-6)
    assert row["ratio_linear"] == pytest.approx(1.173913, abs=1e-6)
    assert row["status"] == "on_track" and row["projected_value"] == pytest.approx(33.636364, abs=1e-6)
    # without mode data, the single reported point is shown: insufficient data, on the reported basis
    alone = gap_table(pd.DataFrame([reported]), targets, indicators, countries, date(2026, 1, 1)).iloc[0]
    assert alone["basis_kind"] == "reported" and alone["status"] == "insufficient_data"


def test_the_30_percent_table_puts_the_scenario_beside_the_status_on_the_same_basis():
    from ctatracker.analysis.ev_share import ev30_table

    gap = pd.DataFrame([
        {"country_iso3": "XAA", "country_name": "A", "target_id": "t", "status": "on_track", "status_label": "On track",
         "basis_kind": "derived", "basis": "All vehicles, derived", "basis_mode": "all_vehicles", "latest_value": 9.0,
         "latest_year": 2024, "target_value": 30.0, "target_year": 2030, "projected_value": 33.6,
         "explanation": "x", "other_figures": "", "source_ids": "iea-2025"},
        {"country_iso3": "XBB", "country_name": "B", "target_id": "t", "status": "limited_progress",
         "status_label": "Limited progress (cars only)", "basis_kind": "proxy", "basis": "Proxy: cars only",
         "basis_mode": "cars", "latest_value": 2.0, "latest_year": 2024, "target_value": 30.0, "target_year": 2030,
         "projected_value": 5.0, "explanation": "y", "other_figures": "", "source_ids": "iea-2025"}])
    steps = {"scenario": "STEPS", "source_id": "iea-2025", "source_year": 2025}
    scen = pd.DataFrame([{**steps, **r} for r in [
        *pair("XAA", "cars", 2030, 400, 40), *pair("XAA", "buses", 2030, 10, 10),  # (400 + 10) / (1000 + 100)
        {"country_iso3": "XBB", "indicator_code": "ev_sales_share", "mode": "cars", "year": 2030, "value": 12.0},
        {"country_iso3": "XBB", "indicator_code": "ev_sales_share", "mode": "cars", "year": 2030, "value": 99.0,  # APS
         "scenario": "APS"}]])
    figures = pd.DataFrame([{"country_iso3": "XAA", "modes": "cars; buses"}])
    out = ev30_table(gap, scen, "t", derived_figures=figures).set_index("country_iso3")
    assert out.loc["XAA", "scenario_value"] == pytest.approx(410 / 1100 * 100)
    assert out.loc["XAA", "scenario_label"] == ("IEA STEPS scenario (2025 edition), 2030, all vehicles: cars and "
                                                "buses; 2/3-wheelers, vans and trucks missing")
    assert out.loc["XAA", "scenario_same_basis"]
    # The China and India case: the figure counts 2/3-wheelers, the scenario does not: labelled, never 'same basis'
    wider = pd.DataFrame([{"country_iso3": "XAA", "modes": "cars; two_three_wheelers; buses"}])
    out = ev30_table(gap, scen, "t", derived_figures=wider).set_index("country_iso3")
    assert not out.loc["XAA", "scenario_same_basis"]
    assert out.loc["XAA", "scenario_label"].endswith("not the same vehicle types as the figure")
    assert out.loc["XBB", "scenario_value"] == 12.0  # the STEPS cars value, not APS
    assert out.loc["XBB", "scenario_label"] == "IEA STEPS scenario (2025 edition), 2030, cars"
    assert out.loc["XAA", "status"] == "on_track"  # the projection never enters the status


def test_the_30_percent_table_in_status_order_best_first():
    from ctatracker.analysis.ev_share import in_status_order

    table = pd.DataFrame({
        "country_name": ["Nepal", "China", "India", "Korea", "Bhutan"],
        "status": ["insufficient_data", "achieved", "limited_progress", "limited_progress", "on_track"],
        "latest_value": [None, 45.0, 7.7, 9.2, 12.0],
        "basis": [None, "All vehicles, derived", "All vehicles, derived", "Proxy: cars only", "All vehicles"],
    })
    ordered = in_status_order(table)
    assert list(ordered["country_name"]) == ["China", "Bhutan", "Korea", "India", "Nepal"]
    assert ordered["basis"].iloc[-1] == "No data"
    assert list(ordered.columns) == list(table.columns)
