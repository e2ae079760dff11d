"""Unit tests of the briefing key messages on hand-built gap, Euro VI and activity tables."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest

from ctatracker.analysis.gap_tables import GAP_COLUMNS
from ctatracker.briefing import key_messages as km
from ctatracker.findings.model import Findings, Group, RegionalFinding

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


def _found() -> Findings:
    def region(key: str, title: str) -> RegionalFinding:
        return RegionalFinding(key, title, {Group.ON_TRACK: ("Aland",), Group.NO_DATA: ("Borduria",)}, None, None,
                               (), f"{title}. On track or achieved: Aland. No figure: Borduria.")
    return Findings((), (), (), (region("euro_hdv", "Euro VI by 2030, heavy-duty vehicles"),
                                region("euro_ldv", "Euro VI by 2030, light-duty vehicles"),
                                region("ev30", "30% EV sales by 2030")), ())


def test_regional_messages_respect_the_action_areas_and_say_what_the_findings_say() -> None:
    table = gap(gap_row("AAA"), gap_row("BBB"))
    euro = euro_rows({"AAA": ("in_force", 6, 2020), "BBB": ("no_data", None, None)})
    euro = pd.concat([euro, euro.assign(vehicle_class="light_duty")])
    indicators = pd.DataFrame([{"code": "ev_sales_share", "name": "EV share", "action_area_code": "electric_vehicles"}])
    rollup = pd.DataFrame(columns=["target_id", "target_scope", "indicator_code", "countries", "achieved", "on_track",
                                   "off_track", "insufficient_data"])
    found = _found()
    msgs = km.regional_messages(table, euro, rollup, None, activities("pipeline"), found=found,
                                indicators=indicators, areas=["standards"])
    assert [m.topic for m in msgs] == ["regional_euro_hdv", "regional_euro_ldv", "national_targets", "activities"]
    every = km.regional_messages(table, euro, rollup, None, activities("pipeline"), found=found,
                                 indicators=indicators)
    ev = next(m for m in every if m.topic == "regional_ev30")
    assert ev.text == found.regional_of("ev30").plain  # the overview's sentence, word for word
    for msg in every:
        assert_traced(msg)
