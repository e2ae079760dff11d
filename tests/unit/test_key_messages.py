"""Unit tests of the briefing key messages on hand-built gap, Euro VI and activity tables."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest

from ctatracker.analysis.gap_tables import GAP_COLUMNS
from ctatracker.briefing import key_messages as km

NUMBER = re.compile(r"(?<![A-Za-z\d.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)")
"""A number in a sentence; digits that are part of a name (CO2) are not numbers."""
COUNTRIES = {"AAA": "Aland", "BBB": "Borduria", "CCC": "Carpania"}


def numbers_in(text: str) -> list[str]:
    """Every number written in a sentence (thousands separators kept)."""
    return NUMBER.findall(text)


def assert_traced(msg: km.KeyMessage) -> None:
    """Every number in the text is a recorded figure, and every figure's text reads back as its value."""
    stated = {f.text for f in msg.figures}
    for token in numbers_in(msg.text):
        assert token in stated, f"{token!r} in {msg.text!r} is not a recorded figure"
    for f in msg.figures:
        assert f.text in msg.text
        decimals = len(f.text.split(".")[1]) if "." in f.text else 0
        assert abs(float(f.text.replace(",", "")) - f.value) <= 0.5 * 10 ** -decimals + 1e-9


def gap_row(iso: str, target_id: str = "regional-ev", **kw: Any) -> dict:
    """One gap-table row with everything missing unless given."""
    row = dict.fromkeys(GAP_COLUMNS)
    row.update(country_iso3=iso, country_name=COUNTRIES[iso], target_id=target_id, target_scope="regional",
               indicator_code="ev_sales_share", mode="all_vehicles", unit="percent", status="insufficient_data",
               target_value=30.0, target_year=2030, n_points=0, source_ids="communique")
    row.update(kw)
    return row


def gap(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=GAP_COLUMNS)


def euro_rows(statuses: dict[str, tuple[str, int | None, int | None]], vc: str = "heavy_duty") -> pd.DataFrame:
    """Euro table rows: iso -> (status, current level, goal year); deadline 2030, assessed in 2025."""
    return pd.DataFrame([
        {"country_iso3": iso, "country_name": COUNTRIES[iso], "vehicle_class": vc, "status": status,
         "current_level": level, "current_since": 2020 if level else None, "goal_level": 6, "goal_year": year,
         "deadline_year": 2030, "levels_to_climb": 6 - (level or 0), "years_left": 5,
         "source_ids": f"src-{iso.lower()}" if status != "no_data" else "", "explanation": ""}
        for iso, (status, level, year) in statuses.items()])


def activities(*statuses: str | None) -> pd.DataFrame:
    return pd.DataFrame({"status": list(statuses), "country_iso3": ["AAA"] * len(statuses),
                         "source_id": [f"act-{i}" for i in range(len(statuses))]})


# ---------------------------------------------------------------- formatting


@pytest.mark.parametrize(("value", "text"), [(4, "4"), (17.0, "17"), (7.7, "7.7"), (2.48, "2.5"), (2.90695, "2.9"),
                                             (35749.0, "35,749"), (120.4, "120"), (0.0123, "0.012")])
def test_numbers_are_written_plainly(value: float, text: str) -> None:
    assert km.number(value) == text


# ---------------------------------------------------------------- Euro VI


def test_euro_message_counts_in_force_pledged_and_missing() -> None:
    euro = euro_rows({"AAA": ("in_force", 6, 2020), "BBB": ("pledged", 4, 2030), "CCC": ("no_data", None, None)})
    msg = km.euro_message(euro, "heavy_duty")
    assert msg.text == ("1 of 3 countries has Euro VI in force for heavy-duty vehicles (Aland); 1 more has only "
                        "pledged it for 2030 or earlier (Borduria). 1 has no standard recorded.")
    assert msg.figure("in_force").source_ids == ("src-aaa",)
    assert msg.figure("pledged").source_ids == ("src-bbb",)
    assert msg.figure("in_force").year == 2025  # the assessment year (deadline 2030, 5 years left)
    assert_traced(msg)


def test_euro_message_with_none_in_force_says_so() -> None:
    euro = euro_rows({"AAA": ("not_scheduled", 4, None), "BBB": ("no_data", None, None)})
    msg = km.euro_message(euro, "heavy_duty")
    assert msg.text.startswith("None of the 2 countries has Euro VI in force for heavy-duty vehicles.")
    assert "1 has a recorded standard that does not reach Euro VI by 2030" in msg.text
    assert_traced(msg)


def test_euro_deadline_is_sourced_to_the_regional_target() -> None:
    euro = euro_rows({"AAA": ("scheduled", 5, 2027)})
    targets = pd.DataFrame([{"id": "regional-euro-hdv", "indicator_code": "euro_emission_level", "country_iso3": None,
                             "mode": "heavy_duty", "source_id": "communique"}])
    msg = km.euro_message(euro, "heavy_duty", targets)
    assert "adopted it to take effect by 2030" in msg.text
    assert msg.figure("deadline_year").source_ids == ("communique",)


def test_country_euro_message_gives_levels_and_years() -> None:
    euro = pd.concat([euro_rows({"BBB": ("pledged", 4, 2030)}),
                      euro_rows({"BBB": ("no_data", None, None)}, vc="light_duty")])
    msg = km.country_euro_message(euro, "BBB")
    assert msg.text == ("Borduria, vehicle emission standards: heavy-duty: Euro 4 in force since 2020; Euro VI "
                        "pledged for 2030, not yet adopted; light-duty: no standard recorded.")
    assert_traced(msg)


# ---------------------------------------------------------------- EV ambition and pace


def test_no_two_years_of_data_means_regional_progress_cannot_be_assessed() -> None:
    table = gap(gap_row("AAA", latest_value=7.7, latest_year=2024, n_points=1, source_ids="communique; obs-a"),
                gap_row("BBB"), gap_row("CCC"))
    first, second = km.ev_ambition_messages(table)
    assert first.text == ("No country has two years of all-vehicle EV sales share data, so regional progress "
                          "towards 30% by 2030 cannot be assessed yet.")
    assert second.text == "Latest figures, on all vehicles as reported: Aland 7.7% (2024); 2 have none."
    assert second.figure("latest_AAA").source_ids == ("communique", "obs-a")
    assert second.figure("latest_AAA").year == 2024
    for msg in (first, second):
        assert_traced(msg)


def test_no_figure_at_all_is_said_plainly_without_a_zero() -> None:
    first, second = km.ev_ambition_messages(gap(gap_row("AAA"), gap_row("BBB")))
    assert second.text == ("None of the 2 countries has an EV sales share figure, for all vehicles or any one "
                           "type.")
    assert not re.search(r"(?<![\d.])0%", first.text + second.text)


def test_assessable_countries_are_counted_by_status() -> None:
    table = gap(gap_row("AAA", status="on_track", latest_value=12.0, latest_year=2024, n_points=3),
                gap_row("BBB", status="limited_progress", latest_value=3.0, latest_year=2024, n_points=2),
                gap_row("CCC"))
    first = km.ev_ambition_messages(table)[0]
    assert first.text == ("Against the regional ambition of 30% EV share of all-vehicle sales by 2030, of the 3 "
                          "countries: 1 on track (Aland); 1 limited progress (Borduria); 1 cannot be assessed yet "
                          "for lack of data.")
    assert_traced(first)


def test_regional_share_message_states_method_and_countries() -> None:
    share = {"mode": "all_vehicles", "year": 2025, "value": 6.25, "weighted": False, "n_countries": 2,
             "countries_used": ["AAA", "BBB"], "source_ids": ["x", "y"]}
    msg = km.regional_share_message(share, COUNTRIES)
    assert msg.text.startswith("The latest regional all-vehicle EV sales share is 6.2% for 2025: the unweighted "
                               "mean of the 2 countries with a 2025 figure (Aland and Borduria)")
    assert msg.figure("value").source_ids == ("x", "y")
    assert_traced(msg)
    weighted = km.regional_share_message({**share, "weighted": True, "largest": "AAA", "largest_share": 80.0,
                                          "without_largest": 3.5}, COUNTRIES)
    assert weighted.text.endswith("Aland makes 80% of these sales; without Aland the share is 3.5%.")
    assert_traced(weighted)
    empty = km.regional_share_message({"mode": "all_vehicles", "year": 2025, "value": None, "n_countries": 0})
    assert empty.text.startswith("No regional all-vehicle EV sales share can be computed")
    assert not empty.figures


def test_pace_message_uses_only_the_gap_table_projection() -> None:
    table = gap(gap_row("AAA", target_id="aaa-cars", target_scope="national", mode="cars", status="limited_progress",
                        base_year=2018, latest_year=2024, latest_value=2.1, projected_value=2.90695, n_points=7,
                        source_ids="obs; plan"),
                gap_row("BBB", status="insufficient_data", latest_value=5.0, latest_year=2024, n_points=1))
    [msg] = km.pace_messages(table)
    assert msg.text == ("At its 2018–2024 pace, Aland reaches a 2.9% EV share of car sales by 2030, against its "
                        "national target of 30%.")
    assert msg.figure("projected_value").value == pytest.approx(2.90695)
    assert msg.country_iso3 == "AAA"
    assert_traced(msg)


def test_pace_beyond_a_full_share_states_no_impossible_number() -> None:
    table = gap(gap_row("AAA", target_scope="national", mode="cars", status="on_track", base_year=2023,
                        latest_year=2025, latest_value=15.0, projected_value=177.5, target_value=100.0,
                        target_year=2050, n_points=2))
    [msg] = km.pace_messages(table)
    assert "177" not in msg.text and "before 2050" in msg.text
    assert_traced(msg)


# ---------------------------------------------------------------- other targets, national targets, activities


def test_baseline_goal_without_assessable_data() -> None:
    table = gap(gap_row("AAA", target_id="co2", indicator_code="transport_co2", mode="not_applicable", unit="mt_co2",
                        target_value=150.0, target_year=None, latest_value=150.0, latest_year=2019, n_points=1),
                gap_row("BBB", target_id="co2", indicator_code="transport_co2", mode="not_applicable",
                        unit="mt_co2", target_value=None, target_year=None))
    targets = pd.DataFrame([{"id": "co2", "comparison": "at_most", "target_value": None, "baseline_year": 2019,
                             "source_id": "communique"}])
    indicators = pd.DataFrame([{"code": "transport_co2", "name": "Transport CO2 emissions",
                                "action_area_code": "standards"}])
    [msg] = km.other_regional_messages(table, targets, indicators, {"transport_co2": "standards"})
    assert msg.text == ("Regional goal of Transport CO2 emissions at or below their 2019 level: none of the 2 "
                        "countries can be assessed yet; 1 has some data, but not the two comparable years the "
                        "assessment needs.")
    assert msg.action_area == "standards"
    assert_traced(msg)


def test_national_targets_message_for_a_country_and_for_none() -> None:
    table = gap(gap_row("AAA", target_id="a1", target_scope="national", status="on_track"),
                gap_row("AAA", target_id="a2", target_scope="national"),
                gap_row("BBB", target_id="b1", target_scope="national", status="deterioration"))
    msg = km.national_targets_message(table, "AAA", "Aland")
    assert msg.text == ("Aland has 2 national targets recorded: 0 achieved, 1 on track, 0 off track; 1 cannot be "
                        "assessed yet for lack of data.")
    assert_traced(msg)
    none = km.national_targets_message(table, "CCC", "Carpania")
    assert none.text == "No national quantitative target is recorded for Carpania in these action areas."


def test_activities_message_counts_statuses_and_says_when_none() -> None:
    msg = km.activities_message(activities("implementation", "implementation", "pipeline", None, "completed"),
                                "Aland")
    assert msg.text == ("5 cooperation activities are recorded for Aland: 2 under way, 1 in the pipeline, 1 "
                        "completed; the source gives no status for 1.")
    assert msg.figure("implementation").source_ids == ("act-0", "act-1")
    assert_traced(msg)
    assert km.activities_message(activities(), "Aland").text == "No cooperation activity is recorded for Aland."


def test_regional_messages_respect_the_action_areas() -> None:
    table = gap(gap_row("AAA"), gap_row("BBB"))
    euro = euro_rows({"AAA": ("in_force", 6, 2020), "BBB": ("no_data", None, None)})
    euro = pd.concat([euro, euro.assign(vehicle_class="light_duty")])
    indicators = pd.DataFrame([{"code": "ev_sales_share", "name": "EV share", "action_area_code": "electric_vehicles"}])
    rollup = pd.DataFrame(columns=["target_id", "target_scope", "indicator_code", "countries", "achieved", "on_track",
                                   "off_track", "insufficient_data"])
    msgs = km.regional_messages(table, euro, rollup, None, activities("pipeline"), indicators=indicators,
                                areas=["standards"])
    assert [m.topic for m in msgs] == ["euro_heavy_duty", "euro_light_duty", "national_targets", "activities"]
    every = km.regional_messages(table, euro, rollup, None, activities("pipeline"), indicators=indicators)
    assert "ev_ambition_regional-ev" in [m.topic for m in every]
    for msg in every:
        assert_traced(msg)
