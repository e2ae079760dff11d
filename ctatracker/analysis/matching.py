"""Matching support to gaps: for each country and action area, the gaps, the stage, the needs, the activities
and the technical-assistance offers side by side, and the gaps that no activity under way supports.

Pure functions on DataFrames (no I/O, no database, no streamlit); `ctatracker.analysis.derived.matching_table` feeds
them from the database. The rules are documented in docs/methodology.md ("Matching support to gaps"):

- an area is **off track** for a country when any of its targets in that area has an off-track status
  (acceleration_needed, limited_progress, deterioration) or, for standards, the Euro VI status of a vehicle
  class is not_scheduled;
- an activity is **under way** when its status is pipeline or implementation, or when no status is stated
  (the tracker shows the status a source gives and never infers it from dates);
- only activities recorded **for that country and that action area** count as support: regional activities
  (no country) and cross-cutting ones (no area) are listed beside the gap but do not close it, because no
  record shows that they reach that country's need in that area.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import pandas as pd

from ctatracker.analysis.gaps import OFF_TRACK, STATUS_LABELS

UNDER_WAY_STATUSES: tuple[str, ...] = ("pipeline", "implementation")
"""Activity statuses that count as support under way (with activities whose status is not stated)."""

OFF_TRACK_STATUSES: tuple[str, ...] = tuple(s.value for s in OFF_TRACK)
"""Target statuses counted as off track (gap analysis)."""

EURO_OFF_TRACK: tuple[str, ...] = ("not_scheduled",)
"""Euro VI statuses counted as off track for the standards area (no Euro 6 step adopted or pledged by 2030)."""

LABELS = {s.value: label for s, label in STATUS_LABELS.items()}
NO_ACTION_STAGE = "no_action"
STANDARDS_AREA = "standards"
EURO_CLASS_LABELS = {"light_duty": "light-duty", "heavy_duty": "heavy-duty"}
EURO_LABELS = {"in_force": "In force", "scheduled": "Adopted, takes effect by the deadline",
               "pledged": "Pledged, not yet adopted", "not_scheduled": "Not scheduled by the deadline",
               "no_data": "No data"}

MATCHING_COLUMNS: list[str] = [
    "country_iso3", "country_name", "action_area_code", "action_area_name", "display_order",
    "gaps", "off_track_gaps", "off_track", "stage", "stage_summary", "no_action", "needs",
    "under_way", "regional_under_way", "other_activities", "offers", "supported", "needs_support",
]
"""Columns of `matching_table`. gaps (every target and Euro VI class of the area, with its status),
off_track_gaps (those off track), needs, under_way, regional_under_way, other_activities and offers are lists
of display texts; supported is True when at least one in-country activity of the area is under way;
needs_support is off_track or no_action."""

UNSUPPORTED_COLUMNS: list[str] = [
    "country_iso3", "country_name", "action_area_code", "action_area_name", "reason", "gaps", "stage",
    "needs", "regional_under_way", "other_activities", "offers",
]
"""Columns of `gaps_without_support`: gaps lists only the off-track items; lists are joined with '; ' so the
table downloads as plain text."""


@dataclass(frozen=True)
class MatchingInputs:
    """Everything the matching reads, as query-layer frames (columns named as in the database).

    countries (iso3, name), action_areas (code, name, display_order), gaps (`gap_tables.gap_table`), indicators
    (code, action_area_code), euro (`euro.euro_table`, may be empty), commitments (country_iso3,
    action_area_code, stage, summary), needs (country_iso3, action_area_code, need), activities (id, title,
    status, country_iso3, action_area_code, start_year, end_year, start_date, end_date) and offers (id,
    action_area_code, title).
    """

    countries: pd.DataFrame
    action_areas: pd.DataFrame
    gaps: pd.DataFrame
    indicators: pd.DataFrame
    euro: pd.DataFrame
    commitments: pd.DataFrame
    needs: pd.DataFrame
    activities: pd.DataFrame
    offers: pd.DataFrame


def _value(v: Any) -> Any:
    """Enum members as their value; NaN, NaT, NA and '' as None."""
    if isinstance(v, Enum):
        v = v.value
    if v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v == "":
        return None
    return v


def _records(frame: pd.DataFrame | None, columns: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The rows as dicts of plain values (`_value`), of `columns` only when given (those the frame has)."""
    if frame is None or frame.empty:
        return []
    if columns is not None:
        frame = frame[[c for c in columns if c in frame.columns]]
    return [{k: _value(v) for k, v in r.items()} for r in frame.to_dict("records")]


ACTIVITY_FIELDS = ("country_iso3", "action_area_code", "status", "title", "start_date", "start_year", "end_date",
                   "end_year")
"""What the matching reads of an activity."""


def is_under_way(status: Any) -> bool:
    """True for pipeline or implementation, and for a status that is not stated."""
    status = _value(status)
    return status is None or str(status) in UNDER_WAY_STATUSES


def _years(rec: dict[str, Any]) -> str | None:
    parts = []
    for day, year in (("start_date", "start_year"), ("end_date", "end_year")):
        if rec.get(day) is not None:
            parts.append(str(pd.Timestamp(rec[day]).year))
        elif rec.get(year) is not None:
            parts.append(str(int(rec[year])))
    return "–".join(dict.fromkeys(parts)) or None


def activity_label(rec: dict[str, Any]) -> str:
    """'Title (completed, 2019)'; 'status not stated' when the source gives none."""
    status = str(rec.get("status") or "status not stated")
    years = _years(rec)
    return f"{rec['title']} ({status}{', ' + years if years else ''})"


def area_gaps(gaps: pd.DataFrame, indicators: pd.DataFrame, euro: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (country, target or Euro VI vehicle class) with its action area, status, label and whether
    it is off track. Targets take the action area of their indicator; Euro VI rows belong to standards."""
    area_of = {r["code"]: r["action_area_code"] for r in _records(indicators)}
    rows = []
    for r in _records(gaps):
        status = str(r["status"])
        label = r.get("status_label") or LABELS.get(status, status)
        rows.append({"country_iso3": r["country_iso3"], "action_area_code": area_of.get(r["indicator_code"]),
                     "item": r["target_id"], "status": status,
                     "text": f"{label}: {str(r.get('wording') or r['target_id']).rstrip('.')}",
                     "off_track": status in OFF_TRACK_STATUSES})
    for r in _records(euro):
        status = str(r["status"])
        cls = EURO_CLASS_LABELS.get(r["vehicle_class"], r["vehicle_class"])
        rows.append({"country_iso3": r["country_iso3"], "action_area_code": STANDARDS_AREA,
                     "item": f"euro-vi-{r['vehicle_class']}", "status": status,
                     "text": f"Euro VI, {cls}: {EURO_LABELS.get(status, status)}",
                     "off_track": status in EURO_OFF_TRACK})
    return pd.DataFrame(rows, columns=["country_iso3", "action_area_code", "item", "status", "text", "off_track"])


def _by_key(records: Iterable[dict[str, Any]], text: str) -> dict[tuple, list[str]]:
    out: dict[tuple, list[str]] = {}
    for r in records:
        out.setdefault((r["country_iso3"], r["action_area_code"]), []).append(str(r[text]))
    return out


def matching_table(inputs: MatchingInputs) -> pd.DataFrame:
    """One row per covered country and action area: gaps, stage, needs, activities and offers side by side.

    Activities are split into: `under_way` (this country, this area, under way: the only ones that count as
    support), `regional_under_way` (no country, this area, under way) and `other_activities` (this country,
    this area, completed, closed, cancelled or suspended: the history). Cross-cutting activities (no area) are
    left out of every area.
    """
    gap_rows = _records(area_gaps(inputs.gaps, inputs.indicators, inputs.euro))
    gap_text = _by_key(gap_rows, "text")
    off_text = _by_key([r for r in gap_rows if r["off_track"]], "text")
    off = {(r["country_iso3"], r["action_area_code"]) for r in gap_rows if r["off_track"]}
    stages = {(r["country_iso3"], r["action_area_code"]): r for r in _records(inputs.commitments)}
    needs = _by_key(_records(inputs.needs), "need")
    offers: dict[str, list[str]] = {}
    for r in _records(inputs.offers):
        offers.setdefault(r["action_area_code"], []).append(str(r["title"]))
    acts = [{**r, "label": activity_label(r)} for r in _records(inputs.activities, ACTIVITY_FIELDS)
            if r.get("action_area_code") is not None]
    here = _by_key([r for r in acts if r.get("country_iso3") and is_under_way(r.get("status"))], "label")
    before = _by_key([r for r in acts if r.get("country_iso3") and not is_under_way(r.get("status"))], "label")
    regional: dict[str, list[str]] = {}
    for r in acts:
        if r.get("country_iso3") is None and is_under_way(r.get("status")):
            regional.setdefault(r["action_area_code"], []).append(r["label"])
    rows = []
    areas = sorted(_records(inputs.action_areas), key=lambda a: (a.get("display_order") or 0, a["code"]))
    for c in _records(inputs.countries):
        for a in areas:
            key = (c["iso3"], a["code"])
            stage = stages.get(key, {})
            under_way = here.get(key, [])
            no_action = stage.get("stage") == NO_ACTION_STAGE
            rows.append({
                "country_iso3": c["iso3"], "country_name": c["name"], "action_area_code": a["code"],
                "action_area_name": a["name"], "display_order": a.get("display_order"),
                "gaps": gap_text.get(key, []), "off_track_gaps": off_text.get(key, []), "off_track": key in off,
                "stage": stage.get("stage"),
                "stage_summary": stage.get("summary"), "no_action": no_action, "needs": needs.get(key, []),
                "under_way": under_way, "regional_under_way": regional.get(a["code"], []),
                "other_activities": before.get(key, []), "offers": offers.get(a["code"], []),
                "supported": bool(under_way), "needs_support": key in off or no_action,
            })
    return pd.DataFrame(rows, columns=MATCHING_COLUMNS)


def _reason(row: dict[str, Any]) -> str:
    parts = []
    if row["off_track"]:
        parts.append("off track")
    if row["no_action"]:
        parts.append("no action recorded")
    return " and ".join(parts)


def gaps_without_support(table: pd.DataFrame) -> pd.DataFrame:
    """Areas that need support (off track, or stage no_action) with no activity under way in that country for
    that area: for the secretariat to plan the next round. `table` is the output of `matching_table`;
    the offers of the area's catalogue are listed as what could be proposed."""
    if table.empty:
        return pd.DataFrame(columns=UNSUPPORTED_COLUMNS)
    todo = table[table["needs_support"] & ~table["supported"]]
    rows = []
    for r in todo.sort_values(["country_name", "display_order"]).to_dict("records"):
        rows.append({**{c: r[c] for c in ("country_iso3", "country_name", "action_area_code", "action_area_name",
                                          "stage")},
                     "reason": _reason(r),
                     "gaps": "; ".join(r["off_track_gaps"]),
                     **{c: "; ".join(r[c]) for c in ("needs", "regional_under_way", "other_activities",
                                                      "offers")}})
    return pd.DataFrame(rows, columns=UNSUPPORTED_COLUMNS)


def flat(table: pd.DataFrame) -> pd.DataFrame:
    """The matching table with its list columns joined by '; ' (for CSV and Excel downloads)."""
    out = table.copy()
    for col in ("gaps", "off_track_gaps", "needs", "under_way", "regional_under_way", "other_activities", "offers"):
        out[col] = out[col].map(lambda items: "; ".join(items))
    return out
