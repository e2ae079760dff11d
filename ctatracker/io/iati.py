"""Activities as IATI activity XML (IATI Activity Standard 2.03), valid against the IATI 2.03 activity schema.

The schema and the codelists used are kept in `iati_schema/` (with their origin and licence); `schema_errors`
checks a file against the schema. The reporting organisation comes from the settings (`iati_org_ref`,
`iati_org_type`, `iati_org_name`); the file is fit for the IATI Registry once that is a registered IATI
publisher's identifier. The tracker's choices (docs/iati.md), also written as a comment at the top of every file
and, where one applies to an activity, in that activity:

- `iati-identifier` is `{reporting-org ref}-{activity id}`, as IATI requires; `reporting-org` is marked as a
  secondary reporter, since the tracker republishes activities that others carry out and fund;
- `activity-status` codes: pipeline 1, implementation 2, completed 3 (finalisation), closed 4, cancelled 5,
  suspended 6. IATI requires a status: where the source states none, 2 (implementation) is written, as the
  tracker counts such an activity as under way (docs/methodology.md), with a comment in the element and a note;
- `activity-date` types: planned start 1, actual start 2, planned end 3, actual end 4; exact dates as recorded.
  IATI needs a full date: a year-only start is written as 1 January and a year-only end as 31 December of the
  year, with a narrative saying that only the year is known; such a date is actual (2, 4) only when the status
  says the activity has started (ended) and the day is not after the file's date, else planned (1, 3). With no
  start at all, a planned start on 1 January of the source's year (of the file's year for an undated source,
  never after a known end) is written as a placeholder, and its narrative says so;
- `participating-org` from `activity_participants`, role codes funding 1, accountable 2, extending 3,
  implementing 4; beneficiaries have no IATI role code and are left out. With none, the activity's `funders`
  and `implementers` text is used, else an implementing organisation "Not recorded";
- `recipient-country` is the ISO 3166-1 alpha-2 code (IATI's country list); a regional activity gets
  `recipient-region` 798 "Asia, regional" (OECD DAC region vocabulary 1), the tracker's choice;
- `sector`: every activity gets OECD DAC CRS purpose code 21020 "Road transport" (vocabulary 1), since all are
  land-transport cooperation, plus its action area under vocabulary 99 (the reporting organisation's own list,
  the communique's action areas, `vocabulary-uri` the LG-CTA page);
- `budget` (type 1 original, status 1 indicative, with its currency) only when the source states one and its
  period is known from the dates (or years) recorded; otherwise the amount is given in the note;
- `document-link` to the activity's report: category A12 (activity web page), format `application/pdf` for a
  `.pdf` address, else `text/html`;
- every text is in English (`xml:lang="en"`); characters that XML cannot carry are dropped, the rest escaped.
- The tracker's notes on an activity (placeholders, a budget left out) are one `description` of type 4 (other).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import pycountry
from lxml import etree

SCHEMA_DIR = Path(__file__).with_name("iati_schema")
IATI_VERSION = "2.03"
LANGUAGE = "en"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS_CODES = {"pipeline": "1", "implementation": "2", "completed": "3", "closed": "4", "cancelled": "5",
                "suspended": "6"}
UNSTATED_STATUS = "2"
ENDED = frozenset({"completed", "closed", "cancelled"})
ROLE_CODES = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}
SECTOR_DAC = ("1", "21020", "Road transport")
REGION_ASIA = ("1", "798", "Asia, regional")
AREA_VOCABULARY = ("99", "https://asialedspartnership.org/lg-cta")
DOCUMENT_CATEGORY = "A12"
NOTES_TYPE = "4"
NOTE = ("IATI 2.03 activity file of the Clean Transport Asia Tracker. Tracker choices: sector 21020 Road "
        "transport (OECD DAC) for every activity plus the action area under vocabulary 99; regional activities "
        "as recipient-region 798 Asia, regional; a status not stated by the source is written as 2 "
        "Implementation; a year-only date as 1 January (start) or 31 December (end) of the year; no start date "
        "as a placeholder planned start; each with a narrative or note in the activity; beneficiary "
        "organisations left out (no IATI role code).")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PARSER_OPTIONS = {"no_network": True, "resolve_entities": False}
_SCHEMA_LOCK = threading.Lock()


@dataclass(frozen=True)
class ReportingOrg:
    """The organisation reporting the activities: IATI organisation identifier, OrganisationType code, name."""

    ref: str
    type: str
    name: str

    @classmethod
    def from_settings(cls) -> ReportingOrg:
        """The reporting organisation configured in the settings (CTA_IATI_ORG_REF, _TYPE, _NAME)."""
        from ctatracker.config import settings

        config = settings()
        return cls(config.iati_org_ref, config.iati_org_type, config.iati_org_name)


@dataclass(frozen=True)
class _Date:
    kind: str
    day: dt.date
    note: str | None = None


def identifier(org_ref: str, activity_id: str) -> str:
    """The activity's `iati-identifier`: the reporting organisation's identifier, a hyphen, the activity id."""
    return f"{org_ref}-{activity_id}"


def alpha2(iso3: str) -> str:
    """ISO 3166-1 alpha-2 code of an alpha-3 code (IATI's country code list)."""
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise ValueError(f"'{iso3}' is not an ISO 3166 alpha-3 country code")
    return country.alpha_2


def _get(rec: dict[str, Any], name: str) -> Any:
    v = rec.get(name)
    if isinstance(v, Enum):
        v = v.value
    if v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v == "":
        return None
    return v


def _day(rec: dict[str, Any], name: str) -> dt.date | None:
    value = _get(rec, name)
    return None if value is None else pd.Timestamp(value).date()


def _year(rec: dict[str, Any], name: str) -> int | None:
    value = _get(rec, name)
    return None if value is None else int(value)


def _clean(text: Any) -> str:
    """The text without the characters XML 1.0 cannot carry (control characters, lone surrogates)."""
    return _NOT_XML.sub("", str(text))


def _narrative(parent: ET.Element, tag: str, text: Any, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    ET.SubElement(element, "narrative").text = _clean(text)
    return element


def _year_only(year: int, day: str) -> str:
    return f"Year only: the source gives {year} and no day; {day} {year} is written because IATI needs a full date."


def _dates(rec: dict[str, Any], status: str | None, today: dt.date) -> list[_Date]:
    """The activity's dates as IATI activity dates: exact ones, year-only ones, or a placeholder start."""
    planned_start, start = _day(rec, "planned_start_date"), _day(rec, "start_date")
    planned_end, end = _day(rec, "planned_end_date"), _day(rec, "end_date")
    dates = [_Date(kind, day) for kind, day in (("1", planned_start), ("2", start), ("3", planned_end),
                                                 ("4", end)) if day]
    start_year, end_year = _year(rec, "start_year"), _year(rec, "end_year")
    if start is None and start_year is not None:
        day = dt.date(start_year, 1, 1)
        kind = "1" if status == "pipeline" or day > today else "2"
        if not (kind == "1" and planned_start):
            dates.append(_Date(kind, day, _year_only(start_year, "1 January")))
    if end is None and end_year is not None:
        day = dt.date(end_year, 12, 31)
        kind = "4" if status in ENDED and day <= today else "3"
        if not (kind == "3" and planned_end):
            dates.append(_Date(kind, day, _year_only(end_year, "31 December")))
    if not any(d.kind in ("1", "2") for d in dates):
        source_year = _year(rec, "source_year")
        candidates = [(source_year, "the year of its source") if source_year else (today.year, "this file's year")]
        candidates += [(d.day.year, "the year of its recorded end") for d in dates]
        year, whose = min(candidates, key=lambda c: c[0])
        dates.append(_Date("1", dt.date(year, 1, 1), f"No start date stated by the source: 1 January {year} "
                           f"({whose}) is a placeholder, written because IATI needs a start date."))
    return sorted(dates, key=lambda d: d.kind)


def _budget_period(rec: dict[str, Any]) -> tuple[dt.date, dt.date, bool] | None:
    """The period a stated budget covers (start, end, from years only), or None when it is not known."""
    start = _day(rec, "planned_start_date") or _day(rec, "start_date")
    end = _day(rec, "planned_end_date") or _day(rec, "end_date")
    by_year = False
    if start is None and (year := _year(rec, "start_year")) is not None:
        start, by_year = dt.date(year, 1, 1), True
    if end is None and (year := _year(rec, "end_year")) is not None:
        end, by_year = dt.date(year, 12, 31), True
    if start is None or end is None or end < start:
        return None
    return start, end, by_year


def _budget(activity: ET.Element, rec: dict[str, Any], notes: list[str]) -> None:
    amount, currency = _get(rec, "budget"), _get(rec, "currency")
    if amount is None or currency is None:
        return
    stated = f"{float(amount):,.2f} {currency}"
    period = _budget_period(rec)
    if period is None:
        notes.append(f"Budget stated by the source: {stated}. It is not written as an IATI budget, which needs "
                     "the period it covers, and the source gives no start and end.")
        return
    start, end, by_year = period
    if by_year:
        notes.append(f"The budget's period ({start.isoformat()} to {end.isoformat()}) is taken from years only.")
    budget = ET.SubElement(activity, "budget", {"type": "1", "status": "1"})
    ET.SubElement(budget, "period-start", {"iso-date": start.isoformat()})
    ET.SubElement(budget, "period-end", {"iso-date": end.isoformat()})
    value = ET.SubElement(budget, "value", {"currency": str(currency), "value-date": start.isoformat()})
    value.text = f"{float(amount):.2f}"


def _participants(activity: ET.Element, rec: dict[str, Any], orgs: list[dict[str, Any]], notes: list[str]) -> None:
    written = [(role, org["organisation"]) for org in orgs if (role := ROLE_CODES.get(str(_get(org, "role"))))]
    if not written:
        written = [(role, text) for column, role in (("funders", "1"), ("implementers", "4"))
                   if (text := _get(rec, column))]
    if not written:
        written = [("4", "Not recorded")]
        notes.append("No organisation is recorded for this activity: its implementing organisation is written as "
                     "'Not recorded' because IATI needs a participating organisation.")
    for role, name in written:
        _narrative(activity, "participating-org", name, role=role)


def _activity(root: ET.Element, rec: dict[str, Any], orgs: list[dict[str, Any]], area_names: dict[str, str],
              org: ReportingOrg, today: dt.date) -> None:
    notes: list[str] = []
    activity = ET.SubElement(root, "iati-activity", {XML_LANG: LANGUAGE})
    ET.SubElement(activity, "iati-identifier").text = _clean(identifier(org.ref, str(rec["id"])))
    _narrative(activity, "reporting-org", org.name, ref=org.ref, type=org.type, **{"secondary-reporter": "1"})
    _narrative(activity, "title", rec["title"])
    if _get(rec, "description"):
        _narrative(activity, "description", rec["description"], type="1")
    else:
        notes.append("No description is recorded for this activity.")
    if _get(rec, "outputs"):
        _narrative(activity, "description", rec["outputs"], type="2")
    notes_at = len(activity)
    _participants(activity, rec, orgs, notes)
    status = _get(rec, "status")
    code = STATUS_CODES.get(str(status))
    element = ET.SubElement(activity, "activity-status", {"code": code or UNSTATED_STATUS})
    if code is None:
        element.append(ET.Comment(f" status not stated by the source: {UNSTATED_STATUS} (Implementation) written "))
        notes.append(f"Status not stated by the source: written as {UNSTATED_STATUS} (Implementation), as the "
                     "tracker counts an activity without a status as under way.")
    for date in _dates(rec, str(status) if code else None, today):
        element = ET.SubElement(activity, "activity-date", {"type": date.kind, "iso-date": date.day.isoformat()})
        if date.note:
            ET.SubElement(element, "narrative").text = date.note
    if _get(rec, "country_iso3"):
        ET.SubElement(activity, "recipient-country", {"code": alpha2(str(rec["country_iso3"])), "percentage": "100"})
    else:
        vocabulary, code_, name = REGION_ASIA
        _narrative(activity, "recipient-region", name, code=code_, vocabulary=vocabulary, percentage="100")
    vocabulary, code_, name = SECTOR_DAC
    _narrative(activity, "sector", name, vocabulary=vocabulary, code=code_, percentage="100")
    if area := _get(rec, "action_area_code"):
        vocabulary, uri = AREA_VOCABULARY
        _narrative(activity, "sector", area_names.get(area, area), vocabulary=vocabulary,
                   **{"vocabulary-uri": uri}, code=_clean(area), percentage="100")
    _budget(activity, rec, notes)
    if url := _get(rec, "url"):
        kind = "application/pdf" if urlsplit(str(url)).path.lower().endswith(".pdf") else "text/html"
        link = ET.SubElement(activity, "document-link", {"format": kind, "url": _clean(url)})
        _narrative(link, "title", "Report of the activity")
        ET.SubElement(link, "category", {"code": DOCUMENT_CATEGORY})
    if notes:
        description = ET.Element("description", {"type": NOTES_TYPE})
        ET.SubElement(description, "narrative").text = "Notes on this record: " + " ".join(notes)
        activity.insert(notes_at, description)


def activities_xml(activities: pd.DataFrame, participants: pd.DataFrame | None = None,
                   generated: dt.datetime | None = None, reporting_org: ReportingOrg | None = None) -> bytes:
    """An `iati-activities` document (UTF-8 bytes, IATI 2.03) with one `iati-activity` per row of `activities`
    (rows of `queries.activities`; `action_area_name` and `source_year` are used when present).
    `participants` are rows of `cooperation.activity_participants`; `reporting_org` defaults to the settings'."""
    generated = generated or dt.datetime.now(dt.UTC).replace(microsecond=0)
    org = reporting_org or ReportingOrg.from_settings()
    root = ET.Element("iati-activities", {"version": IATI_VERSION, "generated-datetime": generated.isoformat()})
    root.append(ET.Comment(f" {NOTE} "))
    orgs: dict[str, list[dict[str, Any]]] = {}
    if participants is not None:
        for row in participants.to_dict("records"):
            orgs.setdefault(str(row["activity_id"]), []).append(row)
    names: dict[str, str] = {}
    if "action_area_name" in activities:
        names = {str(_get(r, "action_area_code")): str(r["action_area_name"])
                 for r in activities.to_dict("records") if _get(r, "action_area_code")}
    for rec in activities.to_dict("records"):
        _activity(root, rec, orgs.get(str(rec["id"]), []), names, org, generated.date())
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    document = etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd"), etree.XMLParser(**_PARSER_OPTIONS))
    return etree.XMLSchema(document)


def schema_errors(document: bytes) -> list[str]:
    """Where `document` breaks the IATI 2.03 activity schema, one 'line N: message' per error; empty when it
    is valid. A document that is not well-formed XML gives that one error."""
    try:
        tree = etree.fromstring(document, etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    with _SCHEMA_LOCK:
        schema = _schema()
        if schema.validate(tree):
            return []
        return [f"line {error.line}: {error.message}" for error in schema.error_log]
