"""Support and cooperation, reporting status and what changed: the gaps no activity supports (with the findings'
sentences for each), who reported what and when, and the latest approved changes to published data."""

from __future__ import annotations

import pandas as pd

from ctatracker.analysis import reporting
from ctatracker.analysis.matching import gaps_without_support
from ctatracker.charts.style import STAGE_LABELS
from ctatracker.edition.model import Cell, Page, Table
from ctatracker.edition.read import RECENT_CHANGES, Published
from ctatracker.findings.compose import STANDARDS_AREA
from ctatracker.findings.model import Findings

TRACKER_REPORTED = ("The years and stages come from the tracker's published figures and stages; each figure's "
                    "source is on its country's page.")


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def said(found: Findings, iso3: str, area: str) -> list[tuple[str, str]]:
    """What the findings say of one country in one action area: (status label, plain sentence), Euro VI too."""
    lines = [(f.status_label, f.plain) for f in (*found.ev30, *found.targets)
             if f.country_iso3 == iso3 and f.action_area == area]
    if area == STANDARDS_AREA:
        lines += [(f.status_label, f.plain) for f in found.euro_of(iso3)]
    return lines


def support_page(pub: Published) -> Page:
    """The largest gaps without support, every area that needs support and has none (with what the findings say,
    the stage, the needs and the catalogue's offers), and the activities under way."""
    todo = gaps_without_support(pub.matching)
    areas = []
    ids: set[str] = set()
    for r in todo.to_dict("records"):
        lines = said(pub.found, r["country_iso3"], r["action_area_code"])
        ids |= {s for f in (*pub.found.ev30, *pub.found.targets, *pub.found.euro) if f.country_iso3 ==
                r["country_iso3"] for s in f.source_ids}
        areas.append({"country": r["country_name"], "href": f"countries/{r['country_iso3'].lower()}.html",
                      "area": r["action_area_name"], "reason": r["reason"], "said": lines,
                      "stage": STAGE_LABELS.get(r["stage"], "no stage recorded") if _text(r["stage"])
                      else "no stage recorded", "needs": _text(r["needs"]),
                      "regional": _text(r["regional_under_way"]), "offers": _text(r["offers"])})
    going = pub.matching[pub.matching["under_way"].map(len) > 0] if not pub.matching.empty else pub.matching
    table = Table("Activities under way, by country and action area", ("Country", "Action area", "Activities"),
                  tuple((Cell(r["country_name"], href=f"countries/{r['country_iso3'].lower()}.html"),
                         r["action_area_name"], "; ".join(r["under_way"])) for r in going.to_dict("records")),
                  "under-way")
    activity_ids = {str(s) for s in pub.activities["source_id"].dropna()} if "source_id" in pub.activities else set()
    return Page(
        "support.html", "Support and cooperation: gaps without support",
        "The action areas where a country is off track or has no action recorded and no cooperation or technical "
        "assistance activity is under way, with what could be offered.", "support.html",
        {"unsupported": pub.found.unsupported, "areas": areas, "table": table}, [], ids | activity_ids,
        nav="support")


def _frame_table(frame: pd.DataFrame, caption: str, key: str) -> Table:
    """A country-by-column grid as a table, the country first."""
    shown = frame.drop(columns=[c for c in ("country_iso3",) if c in frame]).rename(columns={"country_name": "Country"})
    rows = tuple(tuple(None if pd.isna(v) else str(v) for v in r) for r in shown.itertuples(index=False))
    return Table(caption, tuple(str(c) for c in shown.columns), rows, key)


def reporting_page(pub: Published) -> Page:
    """Which figures and stages each country has, which are stale, which are missing."""
    years = pub.stale_after_years
    counts = pub.indicator_status["status"].value_counts()
    figures = _frame_table(reporting.grid(pub.indicator_status), "Figures: the latest year with data, by country "
                           "and indicator", "figures")
    stages = _frame_table(reporting.stage_grid(pub.stage_status, stale_after_years=years), "Implementation stages "
                          "and when they were assessed, by country and action area", "stages")
    ids = {str(s) for p in pub.profiles for s in p.frames["observations"]["source_id"].dropna()}
    ids |= {str(s) for s in pub.commitments["source_id"].dropna()}
    return Page(
        "reporting.html", "Reporting status: who has reported what, and when",
        "For each country, the latest year with a figure of each indicator and the date each action area's stage "
        f"was assessed; stale when more than {years} years old, no data when none is held.", "reporting.html",
        {"years": years, "oldest": pub.today.year - years, "counts": {k: int(counts.get(k, 0)) for k in (
            reporting.UP_TO_DATE, reporting.STALE, reporting.NO_DATA)}, "figures": figures, "stages": stages,
         "note": TRACKER_REPORTED}, [], ids, nav="reporting")


def change_words(lines: list[dict]) -> list[str]:
    """Each changed field of one change in words: 'Value: from 4.1 to 4.3.', 'Value: set to 4.3.', 'The record was
    removed.'"""
    out = []
    for r in lines:
        old, new = _text(r["old value"]), _text(r["new value"])
        name = str(r["field"])[:1].upper() + str(r["field"])[1:]
        if r["field"] == "the whole record":
            out.append("The record was removed.")
        elif old is None:
            out.append(f"{name}: set to {new}." if new is not None else f"{name}: left empty.")
        else:
            out.append(f"{name}: from {old} to {new}." if new is not None else f"{name}: {old} removed.")
    return out


def changes_page(pub: Published) -> Page:
    """The latest approved changes to published data, newest first, in words, each with its source."""
    entries = []
    frame = pub.changes
    by_url = {str(r["url"]): r for r in pub.sources.to_dict("records") if _text(r.get("url"))}
    ids: set[str] = set()
    for _cid, lines in (frame.groupby("change_id", sort=False) if not frame.empty else []):
        first = lines.iloc[0]
        url = _text(first["source_url"])
        if url in by_url:
            ids.add(str(by_url[url]["id"]))
        entries.append({"date": first["date"], "country": first["country"], "kind": first["kind"],
                        "record": first["record"], "changes": change_words(lines.to_dict("records")),
                        "source": _text(first["source"]), "url": url})
    return Page(
        "changes.html", "What changed: the latest approved changes",
        "The latest changes to the published figures, stages, targets and policies, newest first: what each was, "
        "what it is now, and its source. Each was checked by the ALP secretariat before it was published.",
        "changes.html", {"entries": entries, "limit": RECENT_CHANGES}, [], ids, nav="changes")
