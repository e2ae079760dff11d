"""IATI activity XML: valid against the vendored IATI 2.03 schema (seed data and edge cases), codes from the IATI
codelists, values read back; the activity record fields."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree
from pydantic import ValidationError

from ctatracker import config
from ctatracker.io import iati
from ctatracker.io.iati import SCHEMA_DIR, ReportingOrg, activities_xml, alpha2, identifier, schema_errors
from ctatracker.model.schema import Activity
from ctatracker.store import queries
from ctatracker.store.cooperation import activity_participants
from ctatracker.store.database import connect

GENERATED = dt.datetime(2026, 1, 2, 3, 4, 5)
ORG = ReportingOrg(ref="XM-EXAMPLE-1", type="21", name="Example Secretariat")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EMPTY = {"description": None, "status": None, "country_iso3": None, "action_area_code": None, "start_year": None,
         "end_year": None, "start_date": pd.NaT, "end_date": pd.NaT, "planned_start_date": pd.NaT,
         "planned_end_date": pd.NaT, "budget": float("nan"), "currency": None, "outputs": None, "url": None}
ACTIVITIES = pd.DataFrame([
    {**EMPTY, "id": "lka-ta", "title": "Framework for Electric Mobility Policy", "description": "Drafting support.",
     "status": "completed", "country_iso3": "LKA", "action_area_code": "electric_vehicles",
     "action_area_name": "Electric vehicles", "start_year": 2019, "end_year": 2019,
     "start_date": pd.Timestamp("2019-03-01"), "end_date": pd.Timestamp("2019-10-11"),
     "planned_start_date": pd.Timestamp("2019-01-15"), "planned_end_date": pd.Timestamp("2019-09-30"),
     "budget": 120000.0, "currency": "USD", "outputs": "Draft framework.", "url": "https://example.org/r"},
    {**EMPTY, "id": "regional-forum", "title": "Regional forum", "action_area_name": "Cross-cutting",
     "start_year": 2024},
])
PARTICIPANTS = pd.DataFrame([
    {"activity_id": "lka-ta", "organisation": "Swiss Agency for Development and Cooperation (SDC)",
     "role": "funding"},
    {"activity_id": "lka-ta", "organisation": "ICLEI South Asia", "role": "implementing"},
    {"activity_id": "lka-ta", "organisation": "Ministry of Transport", "role": "beneficiary"},
    {"activity_id": "regional-forum", "organisation": "UNCRD", "role": "accountable"},
])
HOSTILE = "<script>alert('x')</script> & \"Bus\" ]]> <!-- -->\x00\x0b\x1f end"
EDGES = pd.DataFrame([
    {**EMPTY, "id": "no-status", "title": HOSTILE, "country_iso3": "BTN", "start_year": 2022,
     "end_year": 2023, "budget": 5000.0, "currency": "EUR", "url": "https://example.org/report.PDF?x=1&y=2"},
    {**EMPTY, "id": "no-budget-dates", "title": "Budget without dates", "status": "implementation",
     "budget": 75000.0, "currency": "USD", "source_year": 2021},
    {**EMPTY, "id": "future-pipeline", "title": "Planned study", "status": "pipeline", "start_year": 2027},
    {**EMPTY, "id": "ended-this-year", "title": "Ends this year", "status": "completed", "start_year": 2026,
     "end_year": 2026, "implementers": "Someone & Partners"},
    {**EMPTY, "id": "only-an-end", "title": "Only an end", "status": "closed", "end_year": 2018,
     "source_year": 2020},
])


def _root(activities: pd.DataFrame, participants: pd.DataFrame | None = None) -> etree._Element:
    document = activities_xml(activities, participants, generated=GENERATED, reporting_org=ORG)
    assert schema_errors(document) == []
    return etree.fromstring(document)


def _dates(activity: etree._Element) -> dict[str, tuple[str, str | None]]:
    return {d.get("type"): (d.get("iso-date"), d.findtext("narrative")) for d in activity.findall("activity-date")}


def _notes(activity: etree._Element) -> str:
    return activity.findtext("description[@type='4']/narrative") or ""


@lru_cache
def _codes(name: str) -> frozenset[str]:
    """The codes of one vendored IATI codelist, withdrawn ones left out."""
    root = etree.parse(str(SCHEMA_DIR / "codelists" / f"{name}.xml")).getroot()
    return frozenset(item.findtext("code") for item in root.iter("codelist-item") if item.get("status") != "withdrawn")


@pytest.fixture(scope="module")
def seed_export(built_db: Path) -> bytes:
    con = connect(built_db, read_only=True)
    try:
        acts, parts = queries.activities(con), activity_participants(con)
    finally:
        con.close()
    return activities_xml(acts, parts, generated=GENERATED, reporting_org=ReportingOrg.from_settings())


def test_seed_export_validates_against_the_iati_schema(seed_export: bytes, built_db: Path) -> None:
    assert schema_errors(seed_export) == []
    root = etree.fromstring(seed_export)
    con = connect(built_db, read_only=True)
    try:
        assert len(root.findall("iati-activity")) == len(queries.activities(con)) > 0
    finally:
        con.close()
    ref = config.settings().iati_org_ref
    lka = root.find(f"iati-activity[iati-identifier='{ref}-lka-emobility-policy-framework-ta']")
    assert lka.findtext("title/narrative") == "Framework for Electric Mobility Policy in Sri Lanka"
    assert lka.find("recipient-country").get("code") == "LK"
    funders = [o.findtext("narrative") for o in lka.findall("participating-org[@role='1']")]
    assert funders == ["Swiss Agency for Development and Cooperation (SDC)"]
    for activity in root.iter("iati-activity"):
        assert activity.find("reporting-org").get("ref") == ref
        assert activity.findtext("iati-identifier").startswith(ref + "-")
        assert activity.find("activity-status") is not None and activity.find("activity-date") is not None


@pytest.mark.parametrize("source", ["seed", "edges"])
def test_codes_are_from_the_iati_codelists(source: str, request: pytest.FixtureRequest) -> None:
    document = request.getfixturevalue("seed_export") if source == "seed" else activities_xml(
        pd.concat([ACTIVITIES, EDGES]), PARTICIPANTS, generated=GENERATED, reporting_org=ORG)
    root = etree.fromstring(document)
    used = {
        "ActivityStatus": root.xpath("//activity-status/@code"),
        "ActivityDateType": root.xpath("//activity-date/@type"),
        "OrganisationRole": root.xpath("//participating-org/@role"),
        "OrganisationType": root.xpath("//reporting-org/@type"),
        "DocumentCategory": root.xpath("//document-link/category/@code"),
        "FileFormat": root.xpath("//document-link/@format"),
        "SectorVocabulary": root.xpath("//sector/@vocabulary"),
        "Sector": root.xpath("//sector[@vocabulary='1']/@code"),
        "Language": [a.get(XML_LANG) for a in root.iter("iati-activity")],
        "Currency": root.xpath("//budget/value/@currency"),
        "BudgetType": root.xpath("//budget/@type"),
        "BudgetStatus": root.xpath("//budget/@status"),
        "Country": root.xpath("//recipient-country/@code"),
        "Region": root.xpath("//recipient-region/@code"),
        "RegionVocabulary": root.xpath("//recipient-region/@vocabulary"),
    }
    for name, codes in used.items():
        assert codes or source == "seed", name    # the seed states no budget; the edge cases use every list
        assert set(codes) <= _codes(name), name
    assert {s.get("vocabulary-uri") for s in root.xpath("//sector[@vocabulary='99']")} == {iati.AREA_VOCABULARY[1]}


def test_the_tracker_s_code_tables_are_iati_codes() -> None:
    assert set(iati.STATUS_CODES.values()) | {iati.UNSTATED_STATUS} <= _codes("ActivityStatus")
    assert set(iati.ROLE_CODES.values()) <= _codes("OrganisationRole")
    assert iati.DOCUMENT_CATEGORY in _codes("DocumentCategory") and iati.LANGUAGE in _codes("Language")
    assert iati.SECTOR_DAC[1] in _codes("Sector") and iati.SECTOR_DAC[0] in _codes("SectorVocabulary")
    assert iati.AREA_VOCABULARY[0] in _codes("SectorVocabulary")
    assert iati.REGION_ASIA[1] in _codes("Region") and iati.REGION_ASIA[0] in _codes("RegionVocabulary")
    assert config.Settings().iati_org_type in _codes("OrganisationType")
    assert ORG.type in _codes("OrganisationType")


def test_written_and_read_back() -> None:
    root = _root(ACTIVITIES, PARTICIPANTS)
    assert root.tag == "iati-activities" and root.get("version") == "2.03"
    assert root.get("generated-datetime") == "2026-01-02T03:04:05"
    first = root.findall("iati-activity")[0]
    assert first.get(XML_LANG) == "en" and first.get("default-language") is None
    assert first.findtext("iati-identifier") == "XM-EXAMPLE-1-lka-ta" == identifier(ORG.ref, "lka-ta")
    reporter = first.find("reporting-org")
    assert (reporter.get("ref"), reporter.get("type"), reporter.findtext("narrative")) == (
        "XM-EXAMPLE-1", "21", "Example Secretariat")
    assert first.findtext("title/narrative") == "Framework for Electric Mobility Policy"
    assert first.findtext("description[@type='1']/narrative") == "Drafting support."
    assert first.findtext("description[@type='2']/narrative") == "Draft framework."
    assert first.find("description[@type='4']") is None          # nothing to note
    assert first.find("activity-status").get("code") == "3"
    assert _dates(first) == {"1": ("2019-01-15", None), "2": ("2019-03-01", None), "3": ("2019-09-30", None),
                             "4": ("2019-10-11", None)}
    orgs = {(o.get("role"), o.findtext("narrative")) for o in first.findall("participating-org")}
    assert orgs == {("1", "Swiss Agency for Development and Cooperation (SDC)"), ("4", "ICLEI South Asia")}
    assert first.find("recipient-country").get("code") == "LK"
    sectors = {(s.get("vocabulary"), s.get("code")) for s in first.findall("sector")}
    assert sectors == {("1", "21020"), ("99", "electric_vehicles")}
    value = first.find("budget/value")
    assert value.get("currency") == "USD" and float(value.text) == 120000.0
    assert value.get("value-date") == first.find("budget/period-start").get("iso-date") == "2019-01-15"
    assert first.find("budget/period-end").get("iso-date") == "2019-09-30"
    link = first.find("document-link")
    assert (link.get("url"), link.get("format"), link.find("category").get("code")) == (
        "https://example.org/r", "text/html", "A12")


def test_unknown_values_are_written_as_the_standard_allows_and_said_so() -> None:
    second = _root(ACTIVITIES, PARTICIPANTS).findall("iati-activity")[1]
    status = second.find("activity-status")
    assert status.get("code") == "2" and "not stated" in status.xpath("comment()")[0].text
    assert _dates(second) == {"2": ("2024-01-01", "Year only: the source gives 2024 and no day; 1 January 2024 is "
                                                  "written because IATI needs a full date.")}
    notes = _notes(second)
    assert "Status not stated by the source" in notes and "No description" in notes
    assert second.find("budget") is None and second.find("recipient-country") is None
    assert second.find("recipient-region").get("code") == "798"
    assert [s.get("code") for s in second.findall("sector")] == ["21020"]
    assert second.find("participating-org").get("role") == "2"


def test_edge_cases_validate() -> None:
    no_status, no_budget_dates, future, this_year, only_end = _root(EDGES).findall("iati-activity")
    # hostile text: escaped, characters XML cannot carry dropped, read back as written
    assert no_status.findtext("title/narrative") == "<script>alert('x')</script> & \"Bus\" ]]> <!-- --> end"
    assert no_status.find("document-link").get("format") == "application/pdf"
    assert no_status.find("document-link").get("url") == "https://example.org/report.PDF?x=1&y=2"
    # no status, year-only dates: actual start, planned end (not known to have ended)
    assert no_status.find("activity-status").get("code") == "2"
    assert {k: v[0] for k, v in _dates(no_status).items()} == {"2": "2022-01-01", "3": "2023-12-31"}
    assert all(note.startswith("Year only") for _, note in _dates(no_status).values())
    budget = no_status.find("budget")
    assert (budget.find("period-start").get("iso-date"), budget.find("period-end").get("iso-date")) == (
        "2022-01-01", "2023-12-31")
    assert "taken from years only" in _notes(no_status)
    assert {o.findtext("narrative") for o in no_status.findall("participating-org")} == {"Not recorded"}
    # a budget without any date: left out, its amount in the notes; a placeholder start in the source's year
    assert no_budget_dates.find("budget") is None
    assert "75,000.00 USD" in _notes(no_budget_dates) and "no start and end" in _notes(no_budget_dates)
    placeholder = _dates(no_budget_dates)["1"]
    assert placeholder[0] == "2021-01-01" and "placeholder" in placeholder[1] and "source" in placeholder[1]
    # a pipeline activity starts in the future: planned, not actual
    assert set(_dates(future)) == {"1"} and _dates(future)["1"][0] == "2027-01-01"
    # completed this year: 31 December is after the file's date, so the end is planned
    assert {k: v[0] for k, v in _dates(this_year).items()} == {"2": "2026-01-01", "3": "2026-12-31"}
    assert this_year.find("participating-org").get("role") == "4"
    assert this_year.findtext("participating-org/narrative") == "Someone & Partners"
    # only an end year: actual end, and a placeholder start no later than the end
    dates = _dates(only_end)
    assert dates["4"][0] == "2018-12-31" and dates["1"][0] == "2018-01-01" and "recorded end" in dates["1"][1]


def test_reporting_org_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    default = config.Settings()
    assert (default.iati_org_ref, default.iati_org_type, default.iati_org_name) == (
        "CTA-TRACKER", "90", "Clean Transport Asia Tracker")
    chosen = config.Settings(iati_org_ref="XM-DAC-99-1", iati_org_type="40", iati_org_name="A & B")
    monkeypatch.setattr(config, "settings", lambda: chosen)
    org = ReportingOrg.from_settings()
    assert org == ReportingOrg("XM-DAC-99-1", "40", "A & B")
    root = etree.fromstring(activities_xml(ACTIVITIES, PARTICIPANTS, generated=GENERATED))
    assert root.findtext("iati-activity/iati-identifier") == "XM-DAC-99-1-lka-ta"
    for bad in ({"iati_org_ref": "has space"}, {"iati_org_ref": "a/b"}, {"iati_org_type": "9"},
                {"iati_org_name": ""}):
        with pytest.raises(ValidationError):
            config.Settings(**bad)


def test_schema_errors_are_reported() -> None:
    document = activities_xml(ACTIVITIES, PARTICIPANTS, generated=GENERATED, reporting_org=ORG)
    broken = re.sub(rb"\s*<activity-status[^>]*/>", b"", document, count=1)
    errors = schema_errors(broken)
    assert len(errors) == 1 and "activity-date" in errors[0] and errors[0].startswith("line ")
    assert schema_errors(b"<iati-activities")[0].startswith("not well-formed XML")


def test_vendored_schema_files_are_unchanged() -> None:
    listed = re.findall(r"^([0-9a-f]{64})  (\S+)$", (SCHEMA_DIR / "LICENCE.md").read_text(), flags=re.M)
    files = {p.relative_to(SCHEMA_DIR).as_posix() for p in SCHEMA_DIR.rglob("*") if p.suffix in (".xsd", ".xml")}
    assert {name for _, name in listed} == files
    for digest, name in listed:
        assert hashlib.sha256((SCHEMA_DIR / name).read_bytes()).hexdigest() == digest, name


def test_alpha2() -> None:
    assert alpha2("LKA") == "LK" and alpha2("KOR") == "KR"
    with pytest.raises(ValueError):
        alpha2("XXX")


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
