"""A status never claims more than its figure: the target's scope, the source's rounding, passed targets judged on
old or other-scope figures, counts at a date. Each case is one the tracker got wrong before."""

from datetime import date

import pandas as pd
import pytest

from ctatracker.analysis.ev_share import derived_all_vehicle_share
from ctatracker.analysis.gap_tables import gap_table, set_aside_points, usable_points
from ctatracker.analysis.target_rules import rounding_margin, target_vehicle_types
from tests.unit.test_gaps import COUNTRIES, INDICATORS, obs, target


def pair(iso, mode, year, sales, share):
    return [obs(iso, mode, year, sales, indicator="ev_sales", source="iea"),
            obs(iso, mode, year, share, source="iea")]


def test_rounding_margin_is_half_a_unit_of_the_second_significant_figure():
    assert rounding_margin(45) == pytest.approx(0.5)
    assert rounding_margin(7.3) == pytest.approx(0.05)
    assert rounding_margin(0) == 0


def test_a_share_inside_the_sources_rounding_is_not_achieved():
    # The China case: 45.03% against 45% is inside IEA's two-significant-figure rounding.
    rows = pd.DataFrame([obs("CHN", "all_vehicles", y, v) for y, v in [(2022, 30.0), (2023, 38.0), (2024, 45.03)]])
    countries = pd.DataFrame({"iso3": ["CHN"], "name": ["China"]})
    out = gap_table(rows, pd.DataFrame([target("chn", iso="CHN", value=45.0, year=2027)]), INDICATORS, countries,
                    as_of=date(2025, 6, 1)).iloc[0]
    assert out["status"] != "achieved"
    assert "within the source's rounding" in out["explanation"]
    assert out["target_value"] == 45.0


def test_an_all_vehicle_target_is_judged_on_its_own_vehicle_types():
    # The China NEV case: the target counts cars, buses, vans and trucks, not 2/3-wheelers. With 2/3-wheelers
    # the derived share meets 45%; on the target's own types it does not.
    rows = []
    for year, (cars, two) in {2023: ((300, 30), (100, 40)), 2024: ((440, 44), (600, 60))}.items():
        rows += [*pair("CHN", "cars", year, *cars), *pair("CHN", "two_three_wheelers", year, *two),
                 *pair("CHN", "trucks", year, 10, 10)]
    frame = pd.DataFrame(rows)
    nev = target("chn", iso="CHN", value=45.0, year=2027, vehicle_types="cars; buses; vans; trucks")
    assert target_vehicle_types(nev) == ("cars", "buses", "vans", "trucks")
    derived = {modes: derived_all_vehicle_share(frame, modes) for modes in
               [target_vehicle_types(nev), target_vehicle_types({})]}
    countries = pd.DataFrame({"iso3": ["CHN"], "name": ["China"]})
    out = gap_table(frame, pd.DataFrame([nev]), INDICATORS, countries, as_of=date(2025, 6, 1), derived=derived)
    row = out.iloc[0]
    # 2024 on cars and trucks: (440 + 10) / (1,000 + 100) = 40.9%; with 2/3-wheelers it would be 52.3%
    assert row["latest_value"] == pytest.approx(450 / 1100 * 100)
    assert row["status"] != "achieved"
    assert "2/3-wheelers" not in row["basis"].split("(")[1].split(";")[0]


def test_a_passed_target_judged_on_an_old_figure_of_another_scope_is_not_assessable():
    # The Viet Nam e-bus case: a 2021 share of all buses (plug-in) against a 2025 target on new urban buses.
    rows = pd.DataFrame([obs("VNM", "buses", 2021, 0.041)])
    tg = target("vnm-buses", mode="buses", iso="VNM", value=100.0, year=2025,
                scope_note="replacement and newly bought urban buses, electric or green energy")
    out = gap_table(rows, pd.DataFrame([tg]), INDICATORS, COUNTRIES, as_of=date(2026, 6, 1)).iloc[0]
    assert out["status"] == "not_assessable"
    assert "2021" in out["explanation"] and "another scope" in out["explanation"]
    assert not out["scope_match"] and "urban buses" in out["scope_difference"]
    # same figure, same scope, target year the year after: judged (missed)
    near = pd.DataFrame([obs("VNM", "buses", 2024, 5.0)])
    plain = target("vnm-buses", mode="buses", iso="VNM", value=100.0, year=2025)
    assert gap_table(near, pd.DataFrame([plain]), INDICATORS, COUNTRIES,
                     as_of=date(2026, 6, 1)).iloc[0]["status"] == "missed"


def test_a_target_of_narrower_scope_marks_its_status_indicative():
    rows = pd.DataFrame([obs("VNM", "buses", y, v) for y, v in [(2022, 1.0), (2023, 2.0), (2024, 3.0)]])
    tg = target("vnm-buses", mode="buses", iso="VNM", value=100.0, year=2040, scope_note="new urban buses")
    out = gap_table(rows, pd.DataFrame([tg]), INDICATORS, COUNTRIES, as_of=date(2025, 6, 1)).iloc[0]
    assert out["indicative"] and out["status_label"].endswith("(indicative)")


def test_a_fleet_count_is_a_count_at_its_date_not_part_of_a_year():
    rows = pd.DataFrame([
        {**obs("KHM", "cars", 2024, 1614, indicator="ev_stock"), "period": "partial_year"},
        {**obs("KHM", "cars", 2024, 9.0, indicator="ev_sales_share"), "period": "partial_year"},
    ])
    used = usable_points(rows)
    assert used["indicator_code"].tolist() == ["ev_stock"]
    aside = set_aside_points(rows)
    assert aside["indicator_code"].tolist() == ["ev_sales_share"]
    assert aside["flag"].tolist() == ["part of the year"]
