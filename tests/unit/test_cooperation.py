"""Matching support to gaps, on a dataset built by hand: which areas need support and which have none."""

from __future__ import annotations

import pandas as pd
import pytest

from ctatracker.analysis.matching import (
    MATCHING_COLUMNS,
    UNSUPPORTED_COLUMNS,
    MatchingInputs,
    activity_label,
    area_gaps,
    flat,
    gaps_without_support,
    is_under_way,
    matching_table,
)

COUNTRIES = pd.DataFrame({"iso3": ["IND", "IDN", "LKA", "NPL", "THA"],
                          "name": ["India", "Indonesia", "Sri Lanka", "Nepal", "Thailand"]})
AREAS = pd.DataFrame({"code": ["electric_vehicles", "public_transport", "standards", "resilience"],
                      "name": ["Electric vehicles", "Public transport", "Standards", "Resilience"],
                      "display_order": [3, 1, 5, 7]})
INDICATORS = pd.DataFrame({"code": ["ev_sales_share", "transport_co2"],
                           "action_area_code": ["electric_vehicles", "standards"]})


def _gap(iso: str, status: str, target: str = "ev-2030", code: str = "ev_sales_share") -> dict:
    return {"country_iso3": iso, "target_id": f"{iso.lower()}-{target}", "indicator_code": code, "status": status,
            "wording": f"{target} of {iso}."}


GAPS = pd.DataFrame([
    _gap("IND", "acceleration_needed"),      # off track, nothing in the country: unsupported
    _gap("IDN", "limited_progress"),         # off track, an activity whose status is not stated: supported
    _gap("LKA", "deterioration"),            # off track, only a completed and a regional activity: unsupported
    _gap("NPL", "on_track"),
    _gap("THA", "insufficient_data"),        # not off track
    _gap("THA", "achieved", "co2", "transport_co2"),
])
EURO = pd.DataFrame([
    {"country_iso3": "THA", "vehicle_class": "heavy_duty", "status": "not_scheduled"},  # off, supported
    {"country_iso3": "IDN", "vehicle_class": "light_duty", "status": "not_scheduled"},  # off, suspended only
    {"country_iso3": "IND", "vehicle_class": "light_duty", "status": "pledged"},        # not off track
])
COMMITMENTS = pd.DataFrame([
    {"country_iso3": "NPL", "action_area_code": "public_transport", "stage": "no_action", "summary": "Nothing."},
    {"country_iso3": "IND", "action_area_code": "electric_vehicles", "stage": "in_policy", "summary": "Scheme."},
])
NEEDS = pd.DataFrame([{"country_iso3": "IND", "action_area_code": "electric_vehicles",
                       "need": "Finance for e-buses"}])


def _act(id_: str, iso: str | None, area: str | None, status: str | None, **more: object) -> dict:
    return {"id": id_, "title": id_.upper(), "status": status, "country_iso3": iso, "action_area_code": area,
            "start_year": more.get("start_year"), "end_year": None, "start_date": None, "end_date": None}


ACTIVITIES = pd.DataFrame([
    _act("idn-ev", "IDN", "electric_vehicles", None),
    _act("ind-pt", "IND", "public_transport", "implementation"),      # other area: does not help IND EVs
    _act("lka-ev-done", "LKA", "electric_vehicles", "completed", start_year=2019),
    _act("regional-ev", None, "electric_vehicles", "implementation"),  # regional: listed, not counted
    _act("regional-old", None, "electric_vehicles", "closed"),
    _act("tha-std", "THA", "standards", "pipeline"),
    _act("tha-cross", "THA", None, "implementation"),                # cross-cutting: no area, not counted
    _act("idn-std", "IDN", "standards", "suspended"),
])
OFFERS = pd.DataFrame([
    {"id": "ev-roadmaps", "action_area_code": "electric_vehicles", "title": "EV adoption roadmaps"},
    {"id": "std-testing", "action_area_code": "standards", "title": "Emission testing know-how"},
    {"id": "pt-framework", "action_area_code": "public_transport", "title": "Public transport framework"},
])


def _inputs(**change: pd.DataFrame) -> MatchingInputs:
    base = dict(countries=COUNTRIES, action_areas=AREAS, gaps=GAPS, indicators=INDICATORS, euro=EURO,
                commitments=COMMITMENTS, needs=NEEDS, activities=ACTIVITIES, offers=OFFERS)
    return MatchingInputs(**{**base, **change})


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return matching_table(_inputs())


def _row(table: pd.DataFrame, iso: str, area: str) -> dict:
    return table[(table["country_iso3"] == iso) & (table["action_area_code"] == area)].iloc[0].to_dict()


@pytest.mark.parametrize(("status", "expected"), [
    ("pipeline", True), ("implementation", True), (None, True), ("", True), (float("nan"), True),
    ("completed", False), ("closed", False), ("cancelled", False), ("suspended", False)])
def test_under_way_is_pipeline_implementation_or_not_stated(status: object, expected: bool) -> None:
    assert is_under_way(status) is expected


def test_activity_label_says_status_and_years() -> None:
    assert activity_label({"title": "Framework", "status": "completed", "start_year": 2019}) == \
        "Framework (completed, 2019)"
    assert activity_label({"title": "GEF", "status": None}) == "GEF (status not stated)"
    assert activity_label({"title": "W", "status": "completed", "start_date": pd.Timestamp("2019-10-11"),
                           "end_date": pd.Timestamp("2019-10-11")}) == "W (completed, 2019)"


def test_targets_take_their_indicator_area_and_euro_belongs_to_standards() -> None:
    rows = area_gaps(GAPS, INDICATORS, EURO)
    tha = rows[rows["country_iso3"] == "THA"].set_index("item")
    assert tha.loc["tha-co2", "action_area_code"] == "standards"
    assert tha.loc["euro-vi-heavy_duty", "action_area_code"] == "standards"
    assert bool(tha.loc["euro-vi-heavy_duty", "off_track"]) and not bool(tha.loc["tha-ev-2030", "off_track"])
    assert not rows[(rows["country_iso3"] == "IND") & (rows["item"] == "euro-vi-light_duty")]["off_track"].any()
    assert "Progress, acceleration needed: ev-2030 of IND" in set(rows["text"])


def test_one_row_per_country_and_area_in_display_order(table: pd.DataFrame) -> None:
    assert list(table.columns) == MATCHING_COLUMNS
    assert len(table) == len(COUNTRIES) * len(AREAS)
    assert list(table[table["country_iso3"] == "IND"]["action_area_code"]) == [
        "public_transport", "electric_vehicles", "standards", "resilience"]


def test_facets_side_by_side(table: pd.DataFrame) -> None:
    ind = _row(table, "IND", "electric_vehicles")
    assert ind["off_track"] and ind["off_track_gaps"] == ["Progress, acceleration needed: ev-2030 of IND"]
    assert ind["stage"] == "in_policy" and ind["needs"] == ["Finance for e-buses"]
    assert ind["offers"] == ["EV adoption roadmaps"] and ind["under_way"] == []
    lka = _row(table, "LKA", "electric_vehicles")
    assert lka["other_activities"] == ["LKA-EV-DONE (completed, 2019)"]
    assert lka["regional_under_way"] == ["REGIONAL-EV (implementation)"]  # the closed regional one is not
    assert _row(table, "IDN", "electric_vehicles")["under_way"] == ["IDN-EV (status not stated)"]
    assert _row(table, "NPL", "resilience")["offers"] == []
    assert _row(table, "NPL", "resilience")["gaps"] == [] and not _row(table, "NPL", "resilience")["needs_support"]


def test_gaps_without_support(table: pd.DataFrame) -> None:
    out = gaps_without_support(table)
    assert list(out.columns) == UNSUPPORTED_COLUMNS
    assert list(zip(out["country_iso3"], out["action_area_code"], strict=True)) == [
        ("IND", "electric_vehicles"),   # off track; its public-transport activity is another area
        ("IDN", "standards"),           # Euro VI not scheduled; the only activity is suspended
        ("NPL", "public_transport"),    # no action recorded, no activity
        ("LKA", "electric_vehicles"),   # completed and regional activities do not count
    ]
    reasons = dict(zip(out["country_iso3"], out["reason"], strict=True))
    assert reasons["NPL"] == "no action recorded" and reasons["IND"] == "off track"
    ind = out.iloc[0]
    assert ind["offers"] == "EV adoption roadmaps" and ind["needs"] == "Finance for e-buses"
    assert out.iloc[3]["regional_under_way"] == "REGIONAL-EV (implementation)"


def test_supported_areas_are_not_listed(table: pd.DataFrame) -> None:
    out = gaps_without_support(table)
    listed = set(zip(out["country_iso3"], out["action_area_code"], strict=True))
    assert ("IDN", "electric_vehicles") not in listed   # status not stated counts as under way
    assert ("THA", "standards") not in listed           # pipeline activity in the country and area
    assert ("THA", "electric_vehicles") not in listed   # insufficient data is not off track
    assert ("IND", "standards") not in listed           # Euro VI pledged is not off track


def test_off_track_and_no_action_together() -> None:
    both = pd.concat([COMMITMENTS, pd.DataFrame([{"country_iso3": "IND", "action_area_code": "standards",
                                                  "stage": "no_action", "summary": "x"}])])
    both.loc[both["country_iso3"].eq("IND") & both["action_area_code"].eq("electric_vehicles"), "stage"] = \
        "no_action"
    out = gaps_without_support(matching_table(_inputs(commitments=both)))
    reasons = {(r["country_iso3"], r["action_area_code"]): r["reason"] for r in out.to_dict("records")}
    assert reasons[("IND", "electric_vehicles")] == "off track and no action recorded"
    assert reasons[("IND", "standards")] == "no action recorded"


def test_an_in_country_activity_closes_the_gap_and_a_regional_one_does_not() -> None:
    regional_only = pd.DataFrame([_act("r", None, "electric_vehicles", "implementation")])
    out = gaps_without_support(matching_table(_inputs(activities=regional_only)))
    assert ("IND", "electric_vehicles") in set(zip(out["country_iso3"], out["action_area_code"], strict=True))
    national = pd.DataFrame([_act("n", "IND", "electric_vehicles", "pipeline")])
    out = gaps_without_support(matching_table(_inputs(activities=national)))
    assert ("IND", "electric_vehicles") not in set(zip(out["country_iso3"], out["action_area_code"], strict=True))


def test_empty_inputs_give_empty_tables_with_their_columns() -> None:
    empty = pd.DataFrame()
    table = matching_table(_inputs(gaps=empty, euro=empty, commitments=empty, needs=empty, activities=empty,
                                   offers=empty))
    assert not table["needs_support"].any() and table["offers"].map(len).eq(0).all()
    assert gaps_without_support(table).empty
    assert list(gaps_without_support(pd.DataFrame(columns=MATCHING_COLUMNS)).columns) == UNSUPPORTED_COLUMNS


def test_flat_joins_lists(table: pd.DataFrame) -> None:
    row = flat(table).set_index(["country_iso3", "action_area_code"]).loc[("LKA", "electric_vehicles")]
    assert row["other_activities"] == "LKA-EV-DONE (completed, 2019)" and row["needs"] == ""
