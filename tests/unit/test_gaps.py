"""Gap analysis: every status, with expected values worked out by hand in the comments."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ctatracker.analysis.gap_tables import GAP_COLUMNS, ROLLUP_COLUMNS, gap_table, rollup, select_series
from ctatracker.analysis.gaps import (
    OFF_TRACK,
    STATUS_LABELS,
    STATUS_ORDER,
    ProgressStatus,
    Thresholds,
    assess_progress,
    resolve_baseline_target,
)
from ctatracker.analysis.regional import regional_share
from ctatracker.model.enums import Confidence, Mode

S = ProgressStatus
GROWING = [(2020, 100.0), (2021, 110.0)]  # CAGR_o = 110/100 - 1 = 0.10 per year


def assess(points, target_value, target_year, higher_is_better=True, as_of_year=2024, **kw):
    return assess_progress(points, target_value=target_value, target_year=target_year,
                           higher_is_better=higher_is_better, as_of_year=as_of_year, **kw)


def test_labels_and_order_cover_every_status():
    assert set(STATUS_LABELS) == set(S) == set(STATUS_ORDER)
    assert STATUS_ORDER[0] is S.ACHIEVED and STATUS_ORDER[-1] is S.INSUFFICIENT_DATA


def test_on_track():
    # target 130 by 2023: CAGR_r = 1.3^(1/3) - 1: ln 1.3 = 0.262364, / 3 = 0.087455, e^ = 1.091393 -> 0.091393;
    # R = 0.10 / 0.091393 = 1.094176 >= 0.95. Straight line: required slope (130 - 110) / (2023 - 2021) = 10,
    # observed 10/yr: R_linear = 1.0. Both on track.
    r = assess(GROWING, 130.0, 2023, as_of_year=2022)
    assert r.status is S.ON_TRACK and r.status_cagr is S.ON_TRACK and r.status_linear is S.ON_TRACK
    assert r.observed_cagr == pytest.approx(0.10)
    assert r.required_cagr == pytest.approx(0.091393, abs=1e-6)
    assert r.ratio == pytest.approx(1.094176, abs=1e-5)
    assert r.ratio_linear == pytest.approx(1.0)
    assert r.gap == pytest.approx(20.0)
    assert r.required_slope == pytest.approx(10.0)
    assert r.observed_slope == pytest.approx(10.0)
    # projection from the latest point: 110 + 10 * (2023 - 2021) = 130
    assert r.projected_value == pytest.approx(130.0)
    assert (r.base_year, r.base_value, r.latest_year, r.latest_value) == (2020, 100.0, 2021, 110.0)
    assert r.years_left == 2023 - 2022 == 1
    assert "on track" in r.explanation


def test_methods_disagree_the_more_cautious_is_shown():
    # target 133.1 = 100 * 1.1^3 by 2023: CAGR_r = 0.10, R = 1.0 (on track); straight line: required slope
    # (133.1 - 110) / 2 = 11.55 against 10/yr observed: R_linear = 0.865801 (acceleration needed)
    r = assess(GROWING, 133.1, 2023, as_of_year=2022)
    assert r.status_cagr is S.ON_TRACK and r.ratio == pytest.approx(1.0)
    assert r.status_linear is S.ACCELERATION_NEEDED and r.ratio_linear == pytest.approx(0.865801, abs=1e-6)
    assert r.status is S.ACCELERATION_NEEDED and r.method == "linear"
    assert "disagree" in r.explanation and "the more cautious is shown" in r.explanation


def test_acceleration_needed():
    # 1.125^3 = 1.423828125: CAGR_r = 0.125; R = 0.10 / 0.125 = 0.80, in [0.60, 0.95)
    # straight line: required (142.3828125 - 110) / 2 = 16.191406; R_linear = 10 / 16.191406 = 0.617611
    r = assess(GROWING, 142.3828125, 2023, as_of_year=2022)
    assert r.status is S.ACCELERATION_NEEDED and r.ratio_linear == pytest.approx(0.617611, abs=1e-6)
    assert r.required_cagr == pytest.approx(0.125)
    assert r.ratio == pytest.approx(0.80)
    assert "0.80" in r.explanation and "+12.5%/yr" in r.explanation


def test_limited_progress():
    # 1.2^3 = 1.728: CAGR_r = 0.20; R = 0.10 / 0.20 = 0.50, in [0, 0.60)
    # straight line: required (172.8 - 110) / 2 = 31.4; R_linear = 10 / 31.4 = 0.318471
    r = assess(GROWING, 172.8, 2023, as_of_year=2022)
    assert r.status is S.LIMITED_PROGRESS
    assert r.ratio == pytest.approx(0.50) and r.ratio_linear == pytest.approx(0.318471, abs=1e-6)
    assert "compound growth +10.0%/yr (2020-2021) is 0.50 of the +20.0%/yr" in r.explanation


def test_deterioration_when_moving_the_wrong_way():
    # 100 -> 90: CAGR_o = -0.10; CAGR_r = +0.10; R = -0.10 / 0.10 = -1.0 < 0
    r = assess([(2020, 100.0), (2021, 90.0)], 133.1, 2023, as_of_year=2022)
    assert r.status is S.DETERIORATION
    assert r.ratio == pytest.approx(-1.0)


def test_thresholds_are_configurable():
    # R = 0.80 and R_linear = 0.617611 are acceleration_needed by default, on track with on_track_ratio 0.6
    r = assess(GROWING, 142.3828125, 2023, as_of_year=2022,
               thresholds=Thresholds(on_track_ratio=0.6, acceleration_ratio=0.5))
    assert r.status is S.ON_TRACK
    with pytest.raises(ValueError):
        Thresholds(on_track_ratio=0.5, acceleration_ratio=0.6)


def test_target_already_met():
    # 12 >= 10: achieved; gap = 10 - 12 = -2 (negative: beyond the target)
    r = assess([(2020, 5.0), (2022, 12.0)], 10.0, 2030)
    assert r.status is S.ACHIEVED
    assert r.gap == pytest.approx(-2.0)
    assert r.ratio is None


def test_met_with_one_point_is_achieved():
    r = assess([(2023, 12.0)], 10.0, 2030)
    assert r.status is S.ACHIEVED and r.n_points == 1


def test_one_point_not_met_is_insufficient():
    r = assess([(2023, 5.0)], 10.0, 2030)
    assert r.status is S.INSUFFICIENT_DATA
    assert r.latest_value == 5.0 and r.observed_slope is None and r.ratio is None


def test_no_data_is_insufficient_never_zero():
    r = assess([], 10.0, 2030)
    assert r.status is S.INSUFFICIENT_DATA
    assert r.latest_value is None and r.gap is None


def test_value_that_fell_below_the_target_is_deterioration():
    # Base 150 was above the target 130; latest 120 fell below it.
    # CAGR_o = 120/150 - 1 = -0.20; CAGR_r = (130/150)^(1/5) - 1 = -0.028214.
    # Plain Open SDG R = (-0.20) / (-0.028214) = +7.09 would read "on track"; direction-adjusted:
    # R = -0.20 / |-0.028214| = -7.0886 -> deterioration.
    r = assess([(2020, 150.0), (2021, 120.0)], 130.0, 2025)
    assert r.required_cagr == pytest.approx(-0.028214, abs=1e-6)
    assert r.ratio == pytest.approx(-7.0886, abs=1e-4)
    assert r.status is S.DETERIORATION
    assert r.gap == pytest.approx(10.0)  # 130 - 120


def test_target_year_passed_not_met_is_missed():
    # 2020 target of 200 not met (120), whatever the trend
    r = assess([(2018, 100.0), (2019, 110.0), (2020, 120.0)], 200.0, 2020)
    assert r.status is S.MISSED and r.status in OFF_TRACK
    assert "has passed" in r.explanation
    assert r.ratio is None and r.required_slope is None
    r = assess([(2018, 120.0), (2019, 110.0), (2020, 100.0)], 200.0, 2019)
    assert r.status is S.MISSED
    assert "The target year 2019 has passed" in r.explanation


def test_passed_target_year_with_one_low_value_is_missed():
    # one point, 2022: 5 < 10 by 2023, and 2023 < as-of 2024: missed, not insufficient data
    r = assess([(2022, 5.0)], 10.0, 2023)
    assert r.status is S.MISSED
    assert "no value for 2023 or later is recorded" in r.explanation
    # the target year not yet over (as of 2023): one low point is still insufficient data
    assert assess([(2022, 5.0)], 10.0, 2023, as_of_year=2023).status is S.INSUFFICIENT_DATA


def test_target_met_after_its_year_is_achieved_late():
    # 2024 target of 10: 2023 value 8 short, 2025 value 12 meets it after the year
    r = assess([(2023, 8.0), (2025, 12.0)], 10.0, 2024, as_of_year=2026)
    assert r.status is S.ACHIEVED_LATE and r.achieved_year == 2025
    assert "achieved late (2025)" in r.explanation
    # met in the target year itself: achieved on time
    r = assess([(2023, 8.0), (2024, 10.0), (2025, 12.0)], 10.0, 2024, as_of_year=2026)
    assert r.status is S.ACHIEVED and r.achieved_year is None


def test_zero_baseline_uses_the_zero_substitute():
    # y0 = 0 -> 0.001. CAGR_o = (2 / 0.001)^(1/8) - 1:
    #   ln 2000 = 7.600902, / 8 = 0.950113, e^ = 2.586001 -> 1.586001
    # CAGR_r = (30 / 0.001)^(1/15) - 1: ln 30000 = 10.308953, / 15 = 0.687264, e^ = 1.988267 -> 0.988267
    # R = 1.586001 / 0.988267 = 1.604831 -> on track (the explanation warns about the zero)
    # Straight line: slope 2/8 = 0.25 against (30 - 2) / 7 = 4 required: R_linear = 0.0625 (limited progress),
    # the more cautious status. Whole period and no floor, as Open SDG computes it:
    open_sdg = Thresholds(recent_years=None, base_floor=0)
    r = assess([(2015, 0.0), (2023, 2.0)], 30.0, 2030, thresholds=open_sdg)
    assert r.observed_cagr == pytest.approx(1.586001, abs=1e-5)
    assert r.required_cagr == pytest.approx(0.988267, abs=1e-5)
    assert r.ratio == pytest.approx(1.604831, abs=1e-5)
    assert r.status_cagr is S.ON_TRACK and r.ratio_linear == pytest.approx(0.0625)
    assert r.status is S.LIMITED_PROGRESS
    assert "zero was replaced by 0.001" in r.explanation
    # linear projection: 2 + 0.25 * 7 = 3.75
    assert r.projected_value == pytest.approx(3.75)
    # the tracker's defaults: the 5-year window 2018-2023 holds one point: the trend is unknown
    assert assess([(2015, 0.0), (2023, 2.0)], 30.0, 2030).status is S.INSUFFICIENT_DATA


def test_mixed_signs_compare_linear_rates():
    # -10 -> +10: no CAGR. Slope = 20 / 2 = 10/yr; required = (170 - 10) / (2030 - 2022) = 20/yr; R = 0.5
    # (the floor 5% x 170 = 8.5 leaves one value for compound growth, which cannot be computed anyway)
    r = assess([(2020, -10.0), (2022, 10.0)], 170.0, 2030)
    assert r.observed_cagr is None and r.required_cagr is None and r.ratio is None
    assert r.method == "linear"
    assert r.ratio_linear == pytest.approx(0.5)
    assert r.status is S.LIMITED_PROGRESS


def test_lower_is_better_on_track():
    # emissions 100 -> 90: CAGR_o = -0.10; target 72.9 = 100 * 0.9^3: CAGR_r = -0.10; R = 1.0
    # straight line: -10/yr against (72.9 - 90) / 2 = -8.55 required: R_linear = 10 / 8.55 = 1.169591
    r = assess([(2020, 100.0), (2021, 90.0)], 72.9, 2023, higher_is_better=False, as_of_year=2022)
    assert r.status is S.ON_TRACK and r.ratio_linear == pytest.approx(1.169591, abs=1e-6)
    assert r.ratio == pytest.approx(1.0)
    assert r.gap == pytest.approx(17.1)  # still to go: 90 - 72.9
    assert r.direction == "lower_is_better"


def test_lower_is_better_rising_is_deterioration():
    # 100 -> 110: CAGR_o = +0.10 against -0.10 required: R = -1.0
    r = assess(GROWING, 72.9, 2023, higher_is_better=False, as_of_year=2022)
    assert r.status is S.DETERIORATION
    assert r.ratio == pytest.approx(-1.0)


def test_lower_is_better_met():
    r = assess([(2020, 100.0), (2022, 70.0)], 72.9, 2030, higher_is_better=False)
    assert r.status is S.ACHIEVED
    assert r.gap == pytest.approx(-2.9)  # 70 - 72.9


def test_baseline_resolved_target_met_and_not_met():
    falling = [(2019, 50.0), (2021, 48.0), (2023, 45.0)]
    assert resolve_baseline_target(falling, 2019) == 50.0
    assert resolve_baseline_target(falling, 2020) is None
    assert resolve_baseline_target(falling, None) is None
    r = assess(falling, resolve_baseline_target(falling, 2019), None, higher_is_better=False, base_year=2019)
    assert r.status is S.ACHIEVED  # 45 <= 50
    # 50, 55, 53 at 2019, 2021, 2023: mean year 2021, mean value 52.667;
    # slope = ((-2)(-2.667) + 0 + 2(0.333)) / (4 + 0 + 4) = 6 / 8 = 0.75/yr, upward: away from "at most 50"
    rising = [(2019, 50.0), (2021, 55.0), (2023, 53.0)]
    r = assess(rising, resolve_baseline_target(rising, 2019), None, higher_is_better=False, base_year=2019)
    assert r.observed_slope == pytest.approx(0.75)
    assert r.status is S.DETERIORATION
    assert r.explanation.startswith("No target year")


def test_no_target_year_moving_toward_is_on_track():
    r = assess([(2019, 60.0), (2023, 55.0)], 50.0, None, higher_is_better=False)
    assert r.status is S.ON_TRACK and r.projected_value is None and r.years_left is None


def test_missing_target_value_is_insufficient():
    assert assess(GROWING, None, 2030).status is S.INSUFFICIENT_DATA


def test_duplicate_years_raise():
    with pytest.raises(ValueError, match="2021"):
        assess([(2020, 1.0), (2021, 2.0), (2021, 3.0)], 10.0, 2030)


def test_points_in_any_order_and_least_squares_slope():
    # years 2018-2020, values 1, 3, 2: slope = ((-1)(-1) + 0 + (1)(0)) / (1 + 0 + 1) = 0.5
    # projection to 2025 from the latest point: 2 + 0.5 * 5 = 4.5
    r = assess([(2020, 2.0), (2018, 1.0), (2019, 3.0)], 10.0, 2025)
    assert r.observed_slope == pytest.approx(0.5)
    assert r.projected_value == pytest.approx(4.5)
    assert (r.base_year, r.latest_year) == (2018, 2020)


def test_base_year_recent_window_and_max_age():
    pts = [(2010, 100.0), (2020, 50.0), (2021, 55.0), (2022, 60.5)]
    # window 2020-2022: CAGR_o = (60.5 / 50)^(1/2) - 1 = 1.21^0.5 - 1 = 0.10
    r = assess(pts, 200.0, 2030, thresholds=Thresholds(recent_years=2))
    assert (r.base_year, r.n_points) == (2020, 3)
    assert r.observed_cagr == pytest.approx(0.10)
    assert assess(pts, 200.0, 2030, base_year=2020).observed_cagr == pytest.approx(0.10)
    stale = assess([(2016, 1.0), (2017, 2.0)], 10.0, 2030, thresholds=Thresholds(max_age=5))
    assert stale.status is S.INSUFFICIENT_DATA  # 2024 - 2017 = 7 > 5
    assert "years old" in stale.explanation


def test_share_never_projected_above_100():
    # Two points 2023 = 20, 2024 = 60: slope 40/yr; the straight line to 2030 would give 300%, kept at 100
    r = assess([(2023, 20.0), (2024, 60.0)], 120.0, 2030, upper_bound=100.0)
    assert r.projected_value == 100.0
    r = assess([(2023, 60.0), (2024, 20.0)], 90.0, 2030, upper_bound=100.0)
    assert r.projected_value == 0.0  # 20 - 40 x 6 = -220, kept at 0


def test_growth_never_measured_from_a_base_below_the_floor():
    # An India-like car series: 0.021 in 2019 (below the floor 5% x 30 = 1.5), 1.5, 2.0, 2.1 in 2022-2024.
    # Compound growth from 0.021 would be (2.1 / 0.021)^(1/5) - 1 = 1.511886 a year against
    # (30 / 0.021)^(1/11) - 1 = 0.935336 required: R = 1.6164, "on track". With the floor the base moves
    # to 2022 (1.5): CAGR_o = (2.1 / 1.5)^(1/2) - 1 = 0.183216; CAGR_r = (30 / 1.5)^(1/8) - 1: ln 20 = 2.995732,
    # / 8 = 0.374467, e^ = 1.454215 -> 0.454215; R = 0.403369: limited progress.
    pts = [(2019, 0.021), (2022, 1.5), (2023, 2.0), (2024, 2.1)]
    r = assess(pts, 30.0, 2030)
    assert r.base_year == 2019 and r.cagr_base_year == 2022
    assert r.observed_cagr == pytest.approx(0.183216, abs=1e-6)
    assert r.required_cagr == pytest.approx(0.454215, abs=1e-6)
    assert r.ratio == pytest.approx(0.403369, abs=1e-5)
    assert r.status is S.LIMITED_PROGRESS
    unfloored = assess(pts, 30.0, 2030, thresholds=Thresholds(base_floor=0))
    assert unfloored.ratio == pytest.approx(1.6164, abs=1e-3) and unfloored.status_cagr is S.ON_TRACK
    # ... and the straight line still makes it limited progress: the more cautious status stands
    assert unfloored.status is S.LIMITED_PROGRESS


def test_points_after_as_of_are_ignored():
    r = assess([(2020, 5.0), (2022, 8.0), (2026, 20.0)], 10.0, 2030)
    assert r.latest_year == 2022 and r.status is not S.ACHIEVED


# ---------------------------------------------------------------- tables


def obs(iso, mode, year, value, source="src-a", conf="high", indicator="ev_sales_share"):
    return {"country_iso3": iso, "indicator_code": indicator, "mode": mode, "year": year, "value": value,
            "source_id": source, "confidence": conf, "note": None}


COUNTRIES = pd.DataFrame({"iso3": ["IND", "THA", "VNM"], "name": ["India", "Thailand", "Viet Nam"]})
INDICATORS = pd.DataFrame([
    {"code": "ev_sales_share", "unit": "percent", "higher_is_better": True},
    {"code": "euro_emission_level", "unit": "euro_level", "higher_is_better": True},
])


def target(tid, indicator="ev_sales_share", mode="all_vehicles", iso=None, value=30.0, year=2030, **kw):
    return {"id": tid, "country_iso3": iso, "indicator_code": indicator, "mode": mode,
            "comparison": "at_least", "target_value": value, "target_year": year, "baseline_year": None,
            "baseline_value": None, "wording": f"wording of {tid}", "source_id": f"src-{tid}", **kw}


def edition(row, family, year, **kw):
    return {**row, "source_family": family, "source_year": year, **kw}


def test_select_series_one_family_newest_edition_annual_points_only():
    df = pd.DataFrame([
        edition(obs("IND", "cars", 2021, 1.0, source="ed-2024"), "iea-gev", 2024),
        edition(obs("IND", "cars", 2022, 2.0, source="ed-2024"), "iea-gev", 2024),
        edition(obs("IND", "cars", 2022, 2.2, source="ed-2025"), "iea-gev", 2025),
        edition(obs("IND", "cars", 2023, 3.0, source="ed-2025"), "iea-gev", 2025),
        obs("IND", "cars", 2022, 2.5, source="news", conf="high"),  # its own family: 2 years against 3
        obs("IND", "cars", 2023, 3.3, source="news", conf=Confidence.HIGH),
        edition(obs("IND", "cars", 2024, 9.0, source="ed-2025"), "iea-gev", 2025, period="partial_year"),
        edition(obs("IND", "cars", 2024, 8.0, source="bev"), "bev", 2025, powertrains="bev_only"),
    ])
    out = select_series(df).set_index("year")
    assert list(out.index) == [2021, 2022, 2023]  # the part-year and BEV-only 2024 figures are not points
    assert list(out["source_id"]) == ["ed-2024", "ed-2025", "ed-2025"]  # one family, newest edition per year
    assert out.loc[2022, "value"] == 2.2
    assert out.loc[2022, "alternatives"] == 2 and out.loc[2023, "alternatives"] == 1
    # one edition year in a family: the dataset (many years) wins over a report quoting one of its figures
    quoted = pd.DataFrame([edition(obs("THA", "cars", y, v, source="iea-2025"), "iea-gev", 2025)
                           for y, v in [(2023, 10.0), (2024, 13.1)]]
                          + [edition(obs("THA", "cars", 2024, 13.0, source="a-news"), "iea-gev", 2025)])
    assert select_series(quoted)["source_id"].tolist() == ["iea-2025", "iea-2025"]
    # equal families: the one with the latest year, then the most confident
    tie = pd.DataFrame([obs("THA", "cars", 2022, 5.0, source="a-low", conf="low"),
                        obs("THA", "cars", 2022, 6.0, source="z-high", conf="high")])
    assert select_series(tie)["source_id"].tolist() == ["z-high"]


def test_gap_table_never_mixes_modes_and_regional_applies_to_all():
    observations = pd.DataFrame([
        obs("IND", "cars", 2020, 1.0), obs("IND", "cars", 2023, 2.0),  # cars only
        obs("THA", Mode.ALL_VEHICLES, 2020, 2.0), obs("THA", "all_vehicles", 2023, 12.0),
        obs("THA", "all_vehicles", 2024, 14.0, source="src-b"),  # another source: not joined to the series
    ])
    targets = pd.DataFrame([target("regional-ev"), target("euro", indicator="euro_emission_level", value=6)])
    out = gap_table(observations, targets, INDICATORS, COUNTRIES, as_of=date(2024, 6, 1))
    assert list(out.columns) == GAP_COLUMNS
    assert sorted(out["country_iso3"]) == ["IND", "THA", "VNM"]  # one row per country; euro target skipped
    rows = out.set_index("country_iso3")
    # IND has cars data only: assessed on cars as a named proxy, never as all vehicles. Floor 5% x 30 = 1.5
    # leaves one value for compound growth; straight line: slope (2 - 1) / 3 = 0.333333 against
    # (30 - 2) / 7 = 4 required: R_linear = 0.083333, limited progress
    assert rows.loc["IND", "status"] == "limited_progress" and rows.loc["IND", "basis_kind"] == "proxy"
    assert rows.loc["IND", "status_label"] == "Limited progress (indicative)"
    assert rows.loc["IND", "indicative"] and rows.loc["IND", "scope_difference"] == "cars only, not all vehicles"
    assert rows.loc["IND", "ratio_linear"] == pytest.approx(0.083333, abs=1e-6)
    assert rows.loc["THA", "basis"] == "All vehicles, as reported"
    assert rows.loc["VNM", "status"] == "insufficient_data"  # no data at all: never a zero
    assert pd.isna(rows.loc["VNM", "latest_value"])
    assert set(rows["target_scope"]) == {"regional"}
    # THA: CAGR_o = (12/2)^(1/3) - 1 = 0.817121; CAGR_r = (30/2)^(1/10) - 1: ln 15 = 2.708050, / 10,
    # e^0.270805 = 1.311019 -> 0.311019; R = 0.817121 / 0.311019 = 2.627233
    assert rows.loc["THA", "status"] == "on_track"
    assert rows.loc["THA", "ratio"] == pytest.approx(2.627233, abs=1e-5)
    assert rows.loc["THA", "source_ids"] == "src-a; src-regional-ev" and rows.loc["THA", "latest_year"] == 2023
    assert rows.loc["VNM", "source_ids"] == "src-regional-ev" and rows.loc["VNM", "basis_kind"] == "none"
    assert rows.loc["THA", "unit"] == "percent" and rows.loc["THA", "country_name"] == "Thailand"


def test_gap_table_national_target_and_baseline_resolution():
    observations = pd.DataFrame([
        obs("THA", "cars", y, v) for y, v in [(2019, 1.0), (2021, 3.0), (2023, 5.0)]
    ])
    targets = pd.DataFrame([
        target("tha-cars", mode="cars", iso="THA", value=4.9, year=2030),
        target("tha-base", mode="cars", iso="THA", value=None, year=None, baseline_year=2020,
               baseline_value=2.0),
        target("ind-cars", mode="cars", iso="IND", value=10.0),
        target("tha-2019", mode="cars", iso="THA", value=None, year=None, baseline_year=2019,
               comparison="at_most"),
    ])
    out = gap_table(observations, targets, INDICATORS, COUNTRIES, as_of=date(2024, 1, 1))
    out = out.set_index("target_id")
    assert len(out) == 4
    assert out.loc["tha-cars", "status"] == "achieved"  # 5 >= 4.9 + 0.05, beyond the source's rounding
    assert out.loc["tha-cars", "target_scope"] == "national"
    # no 2020 value in the series: the value stated by the target's source is used (5 >= 2: achieved)
    assert out.loc["tha-base", "target_value_basis"] == "baseline_stated"
    assert out.loc["tha-base", "target_value"] == 2.0
    assert out.loc["ind-cars", "status"] == "insufficient_data"
    # "at most the 2019 value": target = the series' 2019 value, 1.0; latest 5 > 1 and the slope
    # ((-2)(-2) + 0 + 2(2)) / 8 = 1.0/yr is upward, away from the target: deterioration
    assert out.loc["tha-2019", "target_value_basis"] == "baseline_observed"
    assert out.loc["tha-2019", "target_value"] == 1.0
    assert out.loc["tha-2019", "observed_slope"] == pytest.approx(1.0)
    assert out.loc["tha-2019", "status"] == "deterioration"


def test_rollup_counts():
    gt = pd.DataFrame({
        "target_id": ["t1"] * 6 + ["t2"],
        "target_scope": "regional", "indicator_code": "ev_sales_share", "mode": "all_vehicles",
        "status": ["achieved", "on_track", "acceleration_needed", "limited_progress", "deterioration",
                   "insufficient_data", "on_track"],
    })
    out = rollup(gt).set_index("target_id")
    assert list(rollup(gt).columns) == ROLLUP_COLUMNS
    t1 = out.loc["t1"]
    assert (t1["countries"], t1["achieved"], t1["on_track"], t1["off_track"], t1["insufficient_data"]) == (
        6, 1, 1, 3, 1)  # off track = 1 acceleration + 1 limited + 1 deterioration
    assert (t1["acceleration_needed"], t1["limited_progress"], t1["deterioration"]) == (1, 1, 1)
    assert (out.loc["t2", "countries"], out.loc["t2", "on_track"], out.loc["t2", "off_track"]) == (1, 1, 0)
    assert rollup(gt.iloc[0:0]).empty


def test_regional_share_weighted_and_unweighted():
    observations = pd.DataFrame([
        obs("IND", "cars", 2023, 10.0), obs("THA", "cars", 2023, 20.0, source="src-t"),
        obs("VNM", "buses", 2023, 90.0),  # other mode: not used
        obs("IND", "cars", 2022, 50.0),  # other year: not used
    ])
    volumes = pd.DataFrame([
        {"country_iso3": "IND", "year": 2023, "mode": "cars", "value": 100.0, "source_id": "vol"},
        {"country_iso3": "THA", "year": 2023, "mode": "cars", "value": 300.0, "source_id": "vol"},
    ])
    # weighted: (10 * 100 + 20 * 300) / (100 + 300) = 7000 / 400 = 17.5
    w = regional_share(observations, mode="cars", year=2023, volumes=volumes)
    assert w["weighted"] is True and w["value"] == pytest.approx(17.5)
    assert w["countries_used"] == ["IND", "THA"] and w["source_ids"] == ["src-a", "src-t", "vol"]
    # THA volume missing: unweighted mean (10 + 20) / 2 = 15, and the method says why
    u = regional_share(observations, mode="cars", year=2023, volumes=volumes.iloc[:1])
    assert u["weighted"] is False and u["value"] == pytest.approx(15.0)
    assert "missing for THA" in u["method"]
    assert regional_share(observations, mode="cars", year=2023)["value"] == pytest.approx(15.0)
    none = regional_share(observations, mode="vans", year=2023)
    assert none["value"] is None and none["countries_used"] == []


def test_below_baseline_target_needs_a_value_after_the_baseline_year():
    co2 = {"code": "transport_co2", "unit": "mt_co2", "higher_is_better": False}
    indicators = pd.concat([INDICATORS, pd.DataFrame([co2])], ignore_index=True)
    targets = pd.DataFrame([target("co2", indicator="transport_co2", mode="not_applicable", value=None,
                                   year=None, comparison="at_most", baseline_year=2019)])
    only_baseline = pd.DataFrame([obs("IND", "not_applicable", 2019, 150.0, indicator="transport_co2")])
    out = gap_table(only_baseline, targets, indicators, COUNTRIES, as_of=date(2024, 6, 1)).set_index("country_iso3")
    assert out.loc["IND", "status"] == "insufficient_data"
    assert "2019 baseline value is known" in out.loc["IND", "explanation"]
    later = pd.concat([only_baseline, pd.DataFrame([obs("IND", "not_applicable", 2022, 140.0,
                                                        indicator="transport_co2")])])
    out = gap_table(later, targets, indicators, COUNTRIES, as_of=date(2024, 6, 1)).set_index("country_iso3")
    assert out.loc["IND", "status"] == "achieved" and out.loc["IND", "target_value"] == 150.0
