"""IATI-style activity XML: written, read back with xml.etree, values checked; the activity record fields."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

from ctatracker.io.iati import IDENTIFIER_PREFIX, activities_xml, alpha2
from ctatracker.model.schema import Activity
from ctatracker.store import queries
from ctatracker.store.cooperation import activity_participants
from ctatracker.store.database import connect

ACTIVITIES = pd.DataFrame([
    {"id": "lka-ta", "title": "Framework for Electric Mobility Policy", "description": "Drafting support.",
     "status": "completed", "country_iso3": "LKA", "action_area_code": "electric_vehicles",
     "action_area_name": "Electric vehicles", "start_year": 2019, "end_year": 2019,
     "start_date": pd.Timestamp("2019-03-01"), "end_date": pd.Timestamp("2019-10-11"),
     "planned_start_date": pd.Timestamp("2019-01-15"), "planned_end_date": pd.Timestamp("2019-09-30"),
     "budget": 120000.0, "currency": "USD", "outputs": "Draft framework.", "url": "https://example.org/r"},
    {"id": "regional-forum", "title": "Regional forum", "description": None, "status": None,
     "country_iso3": None, "action_area_code": None, "action_area_name": "Cross-cutting", "start_year": 2024,
     "end_year": None, "start_date": pd.NaT, "end_date": pd.NaT, "planned_start_date": pd.NaT,
     "planned_end_date": pd.NaT, "budget": float("nan"), "currency": None, "outputs": None, "url": None},
])
PARTICIPANTS = pd.DataFrame([
    {"activity_id": "lka-ta", "organisation": "Swiss Agency for Development and Cooperation (SDC)",
     "role": "funding"},
    {"activity_id": "lka-ta", "organisation": "ICLEI South Asia", "role": "implementing"},
    {"activity_id": "lka-ta", "organisation": "Ministry of Transport", "role": "beneficiary"},
    {"activity_id": "regional-forum", "organisation": "UNCRD", "role": "accountable"},
])


def _read(tmp_path: Path, activities: pd.DataFrame, participants: pd.DataFrame | None) -> ET.Element:
    path = tmp_path / "activities.xml"
    path.write_bytes(activities_xml(activities, participants, generated=dt.datetime(2026, 1, 2, 3, 4, 5)))
    return ET.parse(path).getroot()


def test_written_and_read_back(tmp_path: Path) -> None:
    root = _read(tmp_path, ACTIVITIES, PARTICIPANTS)
    assert root.tag == "iati-activities" and root.get("version") == "2.03"
    assert root.get("generated-datetime") == "2026-01-02T03:04:05"
    first, _regional = root.findall("iati-activity")
    assert first.findtext("iati-identifier") == IDENTIFIER_PREFIX + "lka-ta"
    assert first.findtext("title/narrative") == "Framework for Electric Mobility Policy"
    assert first.findtext("description[@type='1']/narrative") == "Drafting support."
    assert first.findtext("description[@type='2']/narrative") == "Draft framework."
    assert first.find("activity-status").get("code") == "3"
    dates = {d.get("type"): d.get("iso-date") for d in first.findall("activity-date")}
    assert dates == {"1": "2019-01-15", "2": "2019-03-01", "3": "2019-09-30", "4": "2019-10-11"}
    orgs = {(o.get("role"), o.findtext("narrative")) for o in first.findall("participating-org")}
    assert orgs == {("1", "Swiss Agency for Development and Cooperation (SDC)"), ("4", "ICLEI South Asia")}
    assert first.find("recipient-country").get("code") == "LK"
    sectors = {(s.get("vocabulary"), s.get("code")) for s in first.findall("sector")}
    assert sectors == {("1", "21020"), ("99", "electric_vehicles")}
    value = first.find("budget/value")
    assert value.get("currency") == "USD" and float(value.text) == 120000.0
    assert first.find("budget/period-start").get("iso-date") == "2019-01-15"
    assert first.find("document-link").get("url") == "https://example.org/r"


def test_unknown_values_are_left_out_not_guessed(tmp_path: Path) -> None:
    second = _read(tmp_path, ACTIVITIES, PARTICIPANTS).findall("iati-activity")[1]
    assert second.find("activity-status") is None            # status not stated
    assert second.findall("activity-date") == []              # year only: no invented day
    assert second.find("budget") is None and second.find("recipient-country") is None
    assert second.find("recipient-region").get("code") == "798"
    assert [s.get("code") for s in second.findall("sector")] == ["21020"]
    assert second.find("participating-org").get("role") == "2"


def test_alpha2() -> None:
    assert alpha2("LKA") == "LK" and alpha2("KOR") == "KR"
    with pytest.raises(ValueError):
        alpha2("XXX")


def test_seed_activities_export(built_db: Path, tmp_path: Path) -> None:
    con = connect(built_db, read_only=True)
    try:
        acts = queries.activities(con)
        parts = activity_participants(con)
    finally:
        con.close()
    root = _read(tmp_path, acts, parts)
    assert len(root.findall("iati-activity")) == len(acts)
    lka = root.find(f"iati-activity[iati-identifier='{IDENTIFIER_PREFIX}lka-emobility-policy-framework-ta']")
    assert lka.findtext("title/narrative") == "Framework for Electric Mobility Policy in Sri Lanka"
    assert lka.find("recipient-country").get("code") == "LK"
    funders = [o.findtext("narrative") for o in lka.findall("participating-org[@role='1']")]
    assert funders == ["Swiss Agency for Development and Cooperation (SDC)"]


BASE = dict(id="a", title="T", kind="training", alp_supported=False, source_id="s")


def test_activity_budget_needs_an_iso_currency() -> None:
    assert Activity(**BASE, budget=1000, currency="USD").budget == 1000
    assert Activity(**BASE).budget is None
    for bad in ({"budget": 1000}, {"budget": 1000, "currency": "usd"}, {"budget": 1000, "currency": "XYZ"},
                {"budget": -1, "currency": "USD"}, {"budget": float("inf"), "currency": "USD"}):
        with pytest.raises(ValidationError):
            Activity(**BASE, **bad)


def test_planned_dates_in_order() -> None:
    Activity(**BASE, planned_start_date="2024-01-01", planned_end_date="2024-12-31")
    with pytest.raises(ValidationError, match="planned_end_date is before planned_start_date"):
        Activity(**BASE, planned_start_date="2024-12-31", planned_end_date="2024-01-01")
