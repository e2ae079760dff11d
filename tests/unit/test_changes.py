"""What changed: approved changes in plain words with their source, never an email; the build is not a change."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ctatracker.analysis import changes
from ctatracker.model.enums import Role
from ctatracker.model.schema import Need, Observation
from ctatracker.store import review
from ctatracker.store.database import current_record
from ctatracker.store.permissions import Actor

FOCAL = Actor(name="fp@ind.example", role=Role.FOCAL_POINT, country_iso3="IND")
REVIEWER = Actor(name="reviewer@alp.example", role=Role.SECRETARIAT)
KEY = ("IND", "ev_sales_share", "all_vehicles", 2024, "business-standard-2025-ind-niti")


def _approve(con, row, actor=FOCAL) -> None:
    batch = review.propose(con, actor, [review.change_now(con, row)], note="new figure")
    review.approve(con, batch, REVIEWER)


def test_the_build_is_not_a_change(con) -> None:
    assert changes.changes(con).empty
    assert changes.recent_changes(con, "IND").empty


def test_an_approved_change_shows_old_and_new_value_and_source_never_an_email(con) -> None:
    old = current_record(con, Observation, KEY)
    _approve(con, Observation.model_validate(old | {"value": 12.34}))
    _approve(con, Need(country_iso3="IND", action_area_code="freight", need="Data on truck sales",
                       submitted_by=FOCAL.name))
    frame = changes.changes(con)
    value = frame[frame["field"] == "value"].iloc[0]
    assert value["country"] == "India" and value["kind"] == "Figure" and value["date"] == dt.date.today()
    assert value["old value"] == f"{old['value']:g}" and value["new value"] == "12.34"
    assert value["record"] == "EV share of new vehicle sales, all vehicles, 2024"
    assert isinstance(value["source"], str) and value["source"]
    need = frame[frame["kind"] == "Needs and challenges"]
    assert list(need["field"]) == ["need"] and pd.isna(need.iloc[0]["old value"])
    text = frame.astype(str).to_csv()
    assert FOCAL.name not in text and REVIEWER.name not in text and "@" not in text


def test_filters_and_recent_changes_of_a_country(con) -> None:
    old = current_record(con, Observation, KEY)
    for value in (1.0, 2.0, 3.0, 4.0, 5.0, 6.0):
        _approve(con, Observation.model_validate(old | {"value": value}))
    recent = changes.recent_changes(con, country="IND")
    assert list(recent["new value"]) == ["6", "5", "4", "3", "2"]  # the last five, newest first
    assert "change_id" not in recent and "country_iso3" not in recent
    assert changes.recent_changes(con, country="LKA").empty
    assert len(changes.recent_changes(con, limit=2)) == 2
    assert changes.changes(con, kinds=["commitments"]).empty
    assert len(changes.changes(con, kinds=["observations"])) == 6
    assert changes.changes(con, since=dt.date.today() + dt.timedelta(days=1)).empty


def test_codes_and_fields_are_shown_in_words(con) -> None:
    old = current_record(con, Observation, KEY)
    _approve(con, Observation.model_validate(old | {"powertrains": "bev_only", "period": "partial_year"}))
    frame = changes.changes(con)
    rows = dict(zip(frame["field"], zip(frame["old value"], frame["new value"], strict=True), strict=True))
    assert rows["electric vehicles counted"] == ("battery-electric and plug-in hybrid", "battery-electric only")
    assert rows["period covered"] == ("the whole year", "part of the year")
    text = frame.astype(str).to_csv()
    for code in ("bev_and_phev", "bev_only", "partial_year", "powertrains", "None"):
        assert code not in text
