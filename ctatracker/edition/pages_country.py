"""A page per country (its profile: stages, key figures, charts, action areas, sources), the list of countries, and
compare-ready data: a JSON file per country with its findings as the findings layer states them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd

from ctatracker.charts.overview import GROUPING_LABELS
from ctatracker.charts.style import STAGE_LABELS
from ctatracker.edition import charts
from ctatracker.edition.model import Cell, Page, Table
from ctatracker.edition.pages_region import COMMUNIQUE, status_cell
from ctatracker.edition.read import Published
from ctatracker.findings.compare import compare_table
from ctatracker.findings.model import Co2Finding, EuroFinding, Finding
from ctatracker.findings.profile import Profile

FIGURE_HEADERS = ("Indicator", "Vehicles", "Latest value", "Year", "Source", "Other sources (latest figure of each)")


def country_path(iso3: str) -> str:
    """A country's page: 'countries/ind.html'."""
    return f"countries/{iso3.lower()}.html"


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _year(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(int(value))


def _cite(row: dict) -> Cell:
    """'Publisher 2024' linked to the source."""
    year = _year(row.get("source_year"))
    return Cell(f"{row.get('source_publisher') or 'unknown publisher'}{' ' + year if year else ''}",
                href=_text(row.get("source_url")))


def _ids(frames: dict[str, pd.DataFrame]) -> set[str]:
    return {str(s) for f in frames.values() if "source_id" in f for s in f["source_id"].dropna()}


def _activities(frame: pd.DataFrame) -> list[str]:
    out = []
    for r in frame.to_dict("records"):
        years = [str(pd.Timestamp(d).year) if pd.notna(d) else _year(y) for d, y in
                 ((r["start_date"], r["start_year"]), (r["end_date"], r["end_year"]))]
        when = "–".join(dict.fromkeys(y for y in years if y)) or "dates not recorded"
        out.append(f"{r['title']} ({_text(r['status']) or 'status not stated'}, {when})")
    return out


def area_blocks(p: Profile, areas: pd.DataFrame) -> list[dict[str, Any]]:
    """Each action area with something recorded: its stage with evidence, policies, latest figures, the findings
    on its targets, activities and needs as the country states them."""
    f = p.frames
    out = []
    for area in areas[areas["code"].isin(p.areas_with_content)].to_dict("records"):
        code = area["code"]
        strip = p.stages[p.stages["code"] == code]
        stage = f["commitments"][f["commitments"]["action_area_code"] == code]
        label = str(strip["stage_label"].iloc[0]) if not stage.empty and not strip.empty else "No stage recorded"
        s = stage.iloc[0].to_dict() if not stage.empty else None
        figures = p.latest[p.latest["area"] == code]
        mine = [x for x in p.findings if x.action_area == code and (x.target_scope == "national" or
                                                                     x.basis.has_figure)]
        acts = f["activities"]
        needs = f["needs"][f["needs"]["action_area_code"] == code]
        out.append({
            "number": int(area["number"]), "name": area["name"], "communique": area["communique_wording"],
            "stage": label, "summary": _text(s["summary"]) if s else None,
            "evidence": _text(s["evidence_url"]) if s else None,
            "as_of": pd.Timestamp(s["as_of"]).date() if s and pd.notna(s["as_of"]) else None,
            "source": _cite(s) if s else None,
            "policies": [{"name": r["name"], "kind": r["kind"], "status": str(r["status"]).replace("_", " "),
                          "year": _year(r["year"]), "url": _text(r["url"])}
                         for r in f["policies"][f["policies"]["action_area_code"] == code].to_dict("records")],
            "figures": Table(f"Latest figures: {area['name']}", FIGURE_HEADERS, tuple(
                (r["indicator"], r["scope"] or None, r["value"], str(r["year"]), _cite(r), _text(r["other_sources"]))
                for r in figures.to_dict("records")), f"figures-{code}") if not figures.empty else None,
            "targets": mine, "activities": _activities(acts[acts["action_area_code"] == code]),
            "needs": [{"need": r["need"], "source": _cite(r) if _text(r.get("source_title")) else None}
                      for r in needs.to_dict("records")]})
    return out


def country_page(pub: Published, p: Profile) -> Page:
    """One country's profile, as the findings and its profile state it."""
    path = country_path(p.iso3)
    found = pub.found
    members = [{"grouping": GROUPING_LABELS.get(r["grouping"], r["grouping"]), "status": r["status"],
                "since": _year(r["since_year"]), "source": _cite(r)}
               for r in p.frames["memberships"].to_dict("records")]
    ev30, co2 = found.ev30_of(p.iso3), found.co2_of(p.iso3)
    acts = p.frames["activities"]
    ids = _ids(p.frames) | {s for x in (ev30, co2, *found.euro_of(p.iso3), *p.findings) if x is not None
                            for s in x.source_ids}
    page_charts = charts.country_charts(pub, p, path)
    return Page(
        path, f"{p.name}: clean transport profile",
        f"Where {p.name} stands against {COMMUNIQUE}; its stage in each action area, its charts and every figure's "
        "source.", "country.html",
        {"p": p, "ev30": ev30, "co2": co2, "members": members, "lg_cta": "lg_cta" in set(
            p.frames["memberships"]["grouping"]), "stages": p.stages.to_dict("records"),
         "areas": area_blocks(p, pub.areas), "cross_cutting": _activities(acts[acts["action_area_code"].isna()]),
         "json": f"data/countries/{p.iso3}.json"},
        page_charts, ids, card=page_charts[0].key if page_charts else None, nav="countries")


def countries_page(pub: Published) -> Page:
    """Every country with its 30% status and its stage in each action area, each linked to its page."""
    frame = pub.all_countries
    numbers = [f"stage_{n}" for n in pub.areas["number"]]
    status = {f.country_iso3: f for f in pub.found.ev30}
    rows = tuple((Cell(r["country"], href=country_path(r["iso3"])), r["subregion"],
                  status_cell(status[r["iso3"]]) if r["iso3"] in status else r["ev30"],
                  *(STAGE_LABELS.get(r[c], "no data") if _text(r[c]) else "no data" for c in numbers))
                 for r in frame.to_dict("records"))
    table = Table("Every country: its 30% status and its implementation stage in each action area",
                  ("Country", "Subregion", "30% EV sales by 2030", *pub.areas["name"]), rows, "countries")
    return Page("countries/index.html", "Country profiles",
                f"The {len(frame)} countries the tracker covers: where each stands on 30% EV sales by 2030 and its "
                "stage in the communique's seven action areas, each with its own page.", "countries.html",
                {"table": table}, [], {s for f in pub.found.ev30 for s in f.source_ids} |
                {str(s) for s in pub.commitments["source_id"].dropna()}, nav="countries")


def _finding(f: Finding | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {"target_id": f.target_id, "target": f.target_words, "status": f.status.value,
            "status_label": f.status_label, "group": f.group.value, "figure": f.figure,
            "value": f.basis.value, "year": f.basis.year, "unit": f.basis.unit, "what_it_counts": f.basis.words,
            "pace": f.pace, "scenario": f.scenario, "caveats": list(f.caveats),
            "evidence": [e.text for e in f.evidence], "support": list(f.support), "finding": f.plain,
            "how_computed": f.technical, "source_ids": list(f.source_ids)}


def _euro(f: EuroFinding) -> dict[str, Any]:
    return {"vehicle_class": f.vehicle_class, "status": f.status, "status_label": f.status_label,
            "standard_now": f.level, "support": list(f.support), "finding": f.plain, "how_computed": f.technical,
            "source_ids": list(f.source_ids)}


def _co2(f: Co2Finding | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {"status_label": f.status_label, "level": f.level, "group": f.group.value, "figure": f.figure,
            "latest_value_mt": f.latest_value, "latest_year": f.latest_year, "base_value_mt": f.base_value,
            "base_year": f.base_year, "change": f.change, "direction": f.trend, "needed": f.pace,
            "caveats": list(f.caveats), "series": [{"year": y, "value_mt": v} for y, v in f.points],
            "source": f.source, "credit": f.credit, "finding": f.plain, "how_computed": f.technical,
            "source_ids": list(f.source_ids)}


def country_json(pub: Published, p: Profile, credits: list[str]) -> dict[str, Any]:
    """A country's compare-ready data: its key figures, stages and findings as the findings layer states them, with
    the credit lines of its sources."""
    found = pub.found
    return {"iso3": p.iso3, "name": p.name, "subregion": p.subregion, "data_as_of": pub.as_of.isoformat(),
            "page": country_path(p.iso3), "last_updated": p.updated,
            "key_figures": [asdict(k) | {"notes": list(k.notes)} for k in p.key_figures],
            "stages": [{"area": s["area"], "stage": s["stage"] or None, "stage_label": s["stage_label"],
                        "assessed": None if pd.isna(s["assessed"]) else int(s["assessed"]), "stale": bool(s["stale"])}
                       for s in p.stages.to_dict("records")],
            "ev30": _finding(found.ev30_of(p.iso3)), "euro_vi": [_euro(f) for f in found.euro_of(p.iso3)],
            "transport_co2": _co2(found.co2_of(p.iso3)), "other_targets": [_finding(f) for f in p.findings],
            "sources": credits}


def compare_json(pub: Published) -> dict[str, Any]:
    """Every country's key figures side by side ('value · status'), one row per figure."""
    table = compare_table(list(pub.profiles))
    return {"data_as_of": pub.as_of.isoformat(), "columns": list(table.columns),
            "rows": table.to_dict("records"), "countries": {p.iso3: f"data/countries/{p.iso3}.json"
                                                             for p in pub.profiles}}
