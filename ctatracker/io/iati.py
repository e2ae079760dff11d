"""Activities as IATI-style activity XML (after the IATI Activity Standard 2.03), for partners' systems.

The file follows the element names, order and code lists of the IATI standard, but it is not a registered
IATI publication and is not validated against the IATI schema. The tracker's own choices, also written as a
comment at the top of every file:

- `iati-identifier` is IDENTIFIER_PREFIX + the tracker's activity id (the tracker has no IATI organisation
  identifier of its own);
- `activity-status` codes: pipeline 1, implementation 2, completed 3 (finalisation), closed 4, cancelled 5,
  suspended 6; left out when the source states no status (never guessed from dates);
- `activity-date` types: planned start 1, actual start 2, planned end 3, actual end 4. `start_date` and
  `end_date` are the actual dates; year-only dates are left out (IATI needs a full date, and 1 January of
  the year would be invented precision);
- `participating-org` from `activity_participants`, role codes funding 1, accountable 2, extending 3,
  implementing 4; beneficiaries have no IATI role code and are left out;
- `recipient-country` is the ISO 3166-1 alpha-2 code (IATI's country list); a regional activity gets
  `recipient-region` 798 "Asia, regional" (OECD DAC region vocabulary 1), the tracker's choice;
- `sector`: every activity gets OECD DAC CRS purpose code 21020 "Road transport" (vocabulary 1) as the
  tracker's choice, since all are land-transport cooperation, plus its action area under vocabulary 99
  (the reporting organisation's own list);
- `budget` (with its currency) only when the source states one; its period is the planned dates, else the
  actual dates, when known.
"""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from enum import Enum
from typing import Any

import pandas as pd
import pycountry

IDENTIFIER_PREFIX = "CTA-TRACKER-"
IATI_VERSION = "2.03"
STATUS_CODES = {"pipeline": "1", "implementation": "2", "completed": "3", "closed": "4", "cancelled": "5",
                "suspended": "6"}
ROLE_CODES = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}
DATE_TYPES = (("planned_start_date", "1"), ("start_date", "2"), ("planned_end_date", "3"), ("end_date", "4"))
SECTOR_DAC = ("1", "21020", "Road transport")
REGION_ASIA = ("1", "798", "Asia, regional")
AREA_VOCABULARY = "99"
NOTE = ("IATI-style export of the Clean Transport Asia Tracker (not a registered IATI publication). Tracker "
        "choices: sector 21020 Road transport (OECD DAC) for every activity plus the action area under "
        "vocabulary 99; regional activities as recipient-region 798 Asia, regional; year-only dates and "
        "unstated statuses left out; beneficiary organisations left out (no IATI role code).")


def _get(rec: dict[str, Any], name: str) -> Any:
    v = rec.get(name)
    if isinstance(v, Enum):
        v = v.value
    if v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v == "":
        return None
    return v


def _date(value: Any) -> str | None:
    return None if value is None else pd.Timestamp(value).date().isoformat()


def _narrative(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    ET.SubElement(element, "narrative").text = text
    return element


def alpha2(iso3: str) -> str:
    """ISO 3166-1 alpha-2 code of an alpha-3 code (IATI's country code list)."""
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise ValueError(f"'{iso3}' is not an ISO 3166 alpha-3 country code")
    return country.alpha_2


def _budget(activity: ET.Element, rec: dict[str, Any]) -> None:
    amount, currency = _get(rec, "budget"), _get(rec, "currency")
    if amount is None or currency is None:
        return
    start = _date(_get(rec, "planned_start_date") or _get(rec, "start_date"))
    end = _date(_get(rec, "planned_end_date") or _get(rec, "end_date"))
    budget = ET.SubElement(activity, "budget", {"type": "1", "status": "1"})
    if start:
        ET.SubElement(budget, "period-start", {"iso-date": start})
    if end:
        ET.SubElement(budget, "period-end", {"iso-date": end})
    value = ET.SubElement(budget, "value", {"currency": str(currency), **({"value-date": start} if start else {})})
    value.text = f"{float(amount):.2f}"


def _activity(root: ET.Element, rec: dict[str, Any], orgs: list[dict[str, Any]], area_names: dict[str, str]) -> None:
    activity = ET.SubElement(root, "iati-activity", {"default-language": "en"})
    ET.SubElement(activity, "iati-identifier").text = IDENTIFIER_PREFIX + str(rec["id"])
    _narrative(activity, "reporting-org", "Clean Transport Asia Tracker")
    _narrative(activity, "title", str(rec["title"]))
    if _get(rec, "description"):
        _narrative(activity, "description", str(rec["description"]), type="1")
    if _get(rec, "outputs"):
        _narrative(activity, "description", str(rec["outputs"]), type="2")
    for org in orgs:
        role = ROLE_CODES.get(str(_get(org, "role")))
        if role:
            _narrative(activity, "participating-org", str(org["organisation"]), role=role)
    status = STATUS_CODES.get(str(_get(rec, "status")))
    if status:
        ET.SubElement(activity, "activity-status", {"code": status})
    for column, kind in DATE_TYPES:
        day = _date(_get(rec, column))
        if day:
            ET.SubElement(activity, "activity-date", {"type": kind, "iso-date": day})
    if _get(rec, "country_iso3"):
        ET.SubElement(activity, "recipient-country", {"code": alpha2(str(rec["country_iso3"])), "percentage": "100"})
    else:
        vocabulary, code, name = REGION_ASIA
        _narrative(activity, "recipient-region", name, code=code, vocabulary=vocabulary, percentage="100")
    vocabulary, code, name = SECTOR_DAC
    _narrative(activity, "sector", name, vocabulary=vocabulary, code=code)
    area = _get(rec, "action_area_code")
    if area:
        _narrative(activity, "sector", area_names.get(area, area), vocabulary=AREA_VOCABULARY, code=str(area))
    _budget(activity, rec)
    if _get(rec, "url"):
        link = ET.SubElement(activity, "document-link", {"format": "text/html", "url": str(rec["url"])})
        _narrative(link, "title", "Report of the activity")


def activities_xml(activities: pd.DataFrame, participants: pd.DataFrame | None = None,
                   generated: dt.datetime | None = None) -> bytes:
    """An `iati-activities` document (UTF-8 bytes) with one `iati-activity` per row of `activities` (rows of
    `queries.activities`; `action_area_name` is used when present). `participants` are rows of
    `queries_cooperation.activity_participants`."""
    generated = generated or dt.datetime.now(dt.UTC).replace(microsecond=0)
    root = ET.Element("iati-activities", {"version": IATI_VERSION, "generated-datetime": generated.isoformat()})
    root.append(ET.Comment(f" {NOTE} "))
    orgs: dict[str, list[dict[str, Any]]] = {}
    if participants is not None:
        for org in participants.to_dict("records"):
            orgs.setdefault(str(org["activity_id"]), []).append(org)
    names: dict[str, str] = {}
    if "action_area_name" in activities:
        names = {str(_get(r, "action_area_code")): str(r["action_area_name"])
                 for r in activities.to_dict("records") if _get(r, "action_area_code")}
    for rec in activities.to_dict("records"):
        _activity(root, rec, orgs.get(str(rec["id"]), []), names)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
