"""Reporting status: latest year per country and indicator, stale and no data; stages with their dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ctatracker.analysis import reporting
from ctatracker.model.schema import Observation
from ctatracker.store.database import write_rows
from ctatracker.store.permissions import SYSTEM

TODAY = dt.date(2026, 6, 1)


def _latest(frame, country: str, indicator: str) -> dict:
    row = frame[(frame["country_iso3"] == country) & (frame["indicator_code"] == indicator)]
    assert len(row) == 1
    return row.iloc[0].to_dict()


def test_every_country_and_indicator_has_one_line(con) -> None:
    frame = reporting.indicator_status(con, stale_after_years=3, today=TODAY)
    n = con.execute("SELECT (SELECT count(*) FROM countries) * (SELECT count(*) FROM indicators)").fetchall()[0][0]
    assert len(frame) == n
    assert set(frame["status"]) <= {reporting.UP_TO_DATE, reporting.STALE, reporting.NO_DATA}
    no_data = frame[frame["status"] == reporting.NO_DATA]
    assert no_data["latest_year"].isna().all() and (no_data["figures"] == 0).all()


def test_stale_follows_the_setting_and_the_latest_year(con) -> None:
    con.execute("DELETE FROM observations WHERE country_iso3 = 'LKA' AND indicator_code = 'transport_co2'")
    write_rows(con, [Observation(country_iso3="LKA", indicator_code="transport_co2", mode="all_vehicles",
                                 year=2020, value=5.0, source_id="iea-gev-data-2025", confidence="low")], SYSTEM)
    assert _latest(reporting.indicator_status(con, stale_after_years=3, today=TODAY), "LKA",
                   "transport_co2")["status"] == reporting.STALE  # 2020 < 2026 - 3
    row = _latest(reporting.indicator_status(con, stale_after_years=6, today=TODAY), "LKA", "transport_co2")
    assert row["status"] == reporting.UP_TO_DATE and row["latest_year"] == 2020
    write_rows(con, [Observation(country_iso3="LKA", indicator_code="transport_co2", mode="all_vehicles",
                                 year=2024, value=5.5, source_id="iea-gev-data-2025", confidence="low")], SYSTEM)
    assert _latest(reporting.indicator_status(con, stale_after_years=3, today=TODAY), "LKA",
                   "transport_co2")["status"] == reporting.UP_TO_DATE


def test_grid_puts_the_own_country_first(con) -> None:
    frame = reporting.indicator_status(con, stale_after_years=3, today=TODAY)
    wide = reporting.grid(frame, first="LKA")
    assert wide.iloc[0]["country_iso3"] == "LKA"
    assert list(wide["country_name"].iloc[1:]) == sorted(wide["country_name"].iloc[1:])
    assert set(wide.columns) >= set(frame["indicator_name"])
    assert reporting.status_cell(2019, reporting.STALE) == "2019 (stale)"
    assert reporting.status_cell(None, reporting.NO_DATA) == "no data"


def test_stages_and_gaps_of_a_country(con) -> None:
    stages = reporting.stage_status(con)
    n = con.execute("SELECT (SELECT count(*) FROM countries) * (SELECT count(*) FROM action_areas)").fetchall()[0][0]
    assert len(stages) == n
    stated = con.execute("SELECT count(*) FROM commitments").fetchall()[0][0]
    assert stages["stage"].notna().sum() == stated
    missing, old = reporting.gaps_of(con, "IND", stale_after_years=3, today=TODAY)
    assert set(missing["status"]) <= {reporting.NO_DATA, reporting.STALE}
    mine = stages[stages["country_iso3"] == "IND"]
    assert len(old) >= mine["stage"].isna().sum()
    cell = reporting.stage_grid(stages).set_index("country_iso3")
    assert "no data" in set(cell.loc["IND"]) or mine["stage"].notna().all()


def test_report_is_one_line_per_country_and_item(con) -> None:
    full = reporting.report(con, stale_after_years=3, today=TODAY)
    ind = reporting.indicator_status(con, stale_after_years=3, today=TODAY)
    assert len(full) == len(ind) + len(reporting.stage_status(con))
    assert set(full["kind"]) == {"indicator", "action area"}
    assert not full.columns.str.contains("_").any()


def test_a_stage_assessed_too_long_ago_is_marked_stale_in_the_grid() -> None:
    stages = pd.DataFrame({"country_iso3": ["BTN", "BTN"], "country_name": ["Bhutan", "Bhutan"],
                           "action_area_name": ["Electric vehicles", "EV charging"],
                           "stage": ["proposed", "in_policy"],
                           "as_of": [pd.Timestamp("2021-06-01"), pd.Timestamp("2025-02-01")]})
    cell = reporting.stage_grid(stages, stale_after_years=3, today=dt.date(2026, 12, 6)).iloc[0]
    assert cell["Electric vehicles"] == "Proposed / in discussion (01 Jun 2021, stale)"
    assert cell["EV charging"] == "In policy (01 Feb 2025)"
