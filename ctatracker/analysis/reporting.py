"""Reporting status: for every country, the latest year with data of each indicator (up to date, stale or no
data) and the implementation stage of each action area with its date, so that focal points see what to fill."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ctatracker.model.enums import STAGE_LABELS
from ctatracker.store.queries import Cursor, _frame

UP_TO_DATE, STALE, NO_DATA = "up to date", "stale", "no data"
STATUS_ORDER = {NO_DATA: 0, STALE: 1, UP_TO_DATE: 2}


def _status(latest: object, oldest_current: int) -> str:
    if latest is None or pd.isna(latest):
        return NO_DATA
    return UP_TO_DATE if int(latest) >= oldest_current else STALE


def indicator_status(cur: Cursor, *, stale_after_years: int, today: dt.date | None = None) -> pd.DataFrame:
    """One row per country and indicator: the latest year with a figure (any source, any vehicle scope), and
    its status: 'no data', 'stale' (the latest year is more than `stale_after_years` before this year) or 'up to
    date'."""
    year = (today or dt.date.today()).year
    frame = _frame(cur, """
        SELECT c.iso3 AS country_iso3, c.name AS country_name, i.code AS indicator_code, i.name AS indicator_name,
               a.display_order, max(o.year) AS latest_year, count(o.value) AS figures
        FROM countries c CROSS JOIN indicators i JOIN action_areas a ON a.code = i.action_area_code
        LEFT JOIN observations o ON o.country_iso3 = c.iso3 AND o.indicator_code = i.code
        GROUP BY ALL ORDER BY c.name, a.display_order, i.name""")
    frame["latest_year"] = frame["latest_year"].astype("Int64")
    frame["status"] = [_status(v, year - stale_after_years) for v in frame["latest_year"]]
    return frame.drop(columns="display_order")


def stage_status(cur: Cursor) -> pd.DataFrame:
    """One row per country and action area: the implementation stage and the date it was assessed, or none."""
    return _frame(cur, """
        SELECT c.iso3 AS country_iso3, c.name AS country_name, a.code AS action_area_code,
               a.name AS action_area_name, m.stage, m.as_of
        FROM countries c CROSS JOIN action_areas a
        LEFT JOIN commitments m ON m.country_iso3 = c.iso3 AND m.action_area_code = a.code
        ORDER BY c.name, a.display_order""")


def status_cell(latest: object, status: str) -> str:
    """What one cell of the grid says: '2024', '2019 (stale)' or 'no data'."""
    if status == NO_DATA:
        return NO_DATA
    return f"{int(latest)}" + (" (stale)" if status == STALE else "")


def grid(indicators: pd.DataFrame, first: str | None = None) -> pd.DataFrame:
    """Countries x indicators, each cell the latest year and whether it is stale; `first` (a country code)
    comes first, the others by name."""
    cells = indicators.assign(cell=[status_cell(y, s) for y, s in
                                    zip(indicators["latest_year"], indicators["status"], strict=True)])
    order = list(dict.fromkeys(indicators["indicator_name"]))
    wide = cells.pivot(index=["country_iso3", "country_name"], columns="indicator_name", values="cell")[order]
    wide = wide.reset_index()
    wide["_first"] = wide["country_iso3"] != first
    wide = wide.sort_values(["_first", "country_name"]).drop(columns="_first").reset_index(drop=True)
    return wide


def _stage_status(as_of: object, oldest_current: int) -> str:
    return _status(None if as_of is None or pd.isna(as_of) else pd.Timestamp(as_of).year, oldest_current)


def report(cur: Cursor, *, stale_after_years: int, today: dt.date | None = None) -> pd.DataFrame:
    """The reporting status as one long table for the CSV download: country, what (an indicator or an action
    area), latest year or stage, its date, and status."""
    ind = indicator_status(cur, stale_after_years=stale_after_years, today=today)
    stages = stage_status(cur)
    oldest = (today or dt.date.today()).year - stale_after_years
    first = pd.DataFrame({"country": ind["country_name"], "kind": "indicator", "what": ind["indicator_name"],
                          "latest year with data": ind["latest_year"], "stage": None, "stage assessed on": None,
                          "status": ind["status"]})
    second = pd.DataFrame({"country": stages["country_name"], "kind": "action area",
                           "what": stages["action_area_name"], "latest year with data": pd.NA,
                           "stage": stages["stage"].map(lambda s: STAGE_LABELS.get(s, s) if isinstance(s, str)
                                                        else None),
                           "stage assessed on": stages["as_of"],
                           "status": [_stage_status(d, oldest) for d in stages["as_of"]]})
    both = pd.concat([first, second], ignore_index=True)
    both["latest year with data"] = both["latest year with data"].astype("Int64")
    return both.sort_values(["country", "kind", "what"], kind="stable").reset_index(drop=True)


def gaps_of(cur: Cursor, country: str, *, stale_after_years: int, today: dt.date | None = None,
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What one country has to fill: indicators without data or stale, and action areas whose stage is missing
    or was assessed too long ago."""
    ind = indicator_status(cur, stale_after_years=stale_after_years, today=today)
    ind = ind[(ind["country_iso3"] == country) & (ind["status"] != UP_TO_DATE)]
    stages = stage_status(cur)
    oldest = (today or dt.date.today()).year - stale_after_years
    stages = stages.assign(status=[_stage_status(d, oldest) for d in stages["as_of"]])
    stages = stages[(stages["country_iso3"] == country) & (stages["status"] != UP_TO_DATE)]
    return ind.reset_index(drop=True), stages.reset_index(drop=True)


def stage_grid(stages: pd.DataFrame, first: str | None = None, *, stale_after_years: int | None = None,
               today: dt.date | None = None) -> pd.DataFrame:
    """Countries x action areas, each cell the stage and the date it was assessed ('In law (12 Mar 2024)'), marked
    stale when assessed more than `stale_after_years` before this year ('In policy (10 Dec 2021, stale)'), or
    'no data'; `first` (a country code) comes first."""
    oldest = None if stale_after_years is None else (today or dt.date.today()).year - stale_after_years

    def cell(stage: object, day: object) -> str:
        if not isinstance(stage, str):
            return NO_DATA
        stale = oldest is not None and _stage_status(day, oldest) == STALE
        return f"{STAGE_LABELS.get(stage, stage)} ({pd.Timestamp(day):%d %b %Y}{', stale' if stale else ''})"

    cells = stages.assign(cell=[cell(s, d) for s, d in zip(stages["stage"], stages["as_of"], strict=True)])
    order = list(dict.fromkeys(stages["action_area_name"]))
    wide = cells.pivot(index=["country_iso3", "country_name"], columns="action_area_name", values="cell")[order]
    wide = wide.reset_index()
    wide["_first"] = wide["country_iso3"] != first
    return wide.sort_values(["_first", "country_name"]).drop(columns="_first").reset_index(drop=True)
