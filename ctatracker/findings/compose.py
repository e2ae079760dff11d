"""Findings composed from frames read once: the gap table, the 30% table, the Euro VI table, the matching of gaps
with support, the observations (for indicative evidence) and the regional share. Pure functions: no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ctatracker.analysis.euro import EURO_STATUS_LABELS, EuroStatus
from ctatracker.analysis.gap_tables import set_aside_points
from ctatracker.analysis.gaps import ACHIEVED, OFF_TRACK, UNASSESSED, ProgressStatus
from ctatracker.findings import co2, words
from ctatracker.findings.model import (
    EURO_GROUP_LABELS,
    EURO_GROUP_WORDS,
    GROUP_LABELS,
    Basis,
    EuroFinding,
    Evidence,
    Finding,
    Findings,
    Group,
    RegionalFinding,
    status_label,
)

EVIDENCE_INDICATORS = {"ev_sales_share": "sales", "ev_imports_share": "imports", "ev_stock_share": "the fleet"}
"""Indicators whose figures are indicative evidence for the 30% question, and what each share is of."""
EV_AREA, STANDARDS_AREA = "electric_vehicles", "standards"
CLASS_WORDS = {"light_duty": "light-duty vehicles", "heavy_duty": "heavy-duty vehicles"}


@dataclass(frozen=True)
class Frames:
    """What findings are made from, read once per data version (columns as the analysis functions give them)."""

    gap: pd.DataFrame
    ev30: pd.DataFrame
    euro: pd.DataFrame
    matching: pd.DataFrame
    observations: pd.DataFrame
    targets: pd.DataFrame
    indicators: pd.DataFrame
    countries: pd.DataFrame
    regional_share: dict[str, Any]
    ev30_target_id: str | None
    this_year: int
    stale_after_years: int = 3
    sources: pd.DataFrame | None = None
    """The bibliography (licences and credit lines), for the credit line each CO2 finding carries."""


def _ids(text: Any) -> tuple[str, ...]:
    if not isinstance(text, str):
        return ()
    return tuple(sorted({p.strip() for p in text.split(";") if p.strip()}))


def _codes(text: Any) -> tuple[str, ...]:
    """'cars; buses' -> ('cars', 'buses'), in order; () for an empty cell."""
    return tuple(p for p in str(text).split("; ") if p) if isinstance(text, str) else ()


def _num(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _int(v: Any) -> int | None:
    return None if v is None or pd.isna(v) else int(v)


def evidence_for_ev30(observations: pd.DataFrame) -> dict[str, list[Evidence]]:
    """Per country, figures that speak to the 30% question on a narrower basis than a yearly all-vehicle share:
    part-year or battery-only shares, shares of one vehicle type, shares of imports or of the fleet (the latest
    of each indicator and vehicle type), newest first."""
    obs = observations[observations["indicator_code"].isin(list(EVIDENCE_INDICATORS))]
    if obs.empty:
        return {}
    aside = set_aside_points(obs)
    flags = dict(zip(zip(aside["country_iso3"], aside["indicator_code"], aside["mode"].map(str), aside["year"],
                         aside["source_id"], strict=True), aside["flag"], strict=True))
    obs = obs[obs["value"].notna()].sort_values("year").drop_duplicates(
        ["country_iso3", "indicator_code", "mode"], keep="last")
    out: dict[str, list[Evidence]] = {}
    for r in obs.sort_values("year", ascending=False).to_dict("records"):
        mode = str(getattr(r["mode"], "value", r["mode"]))
        flag = flags.get((r["country_iso3"], r["indicator_code"], mode, r["year"], r["source_id"]), "")
        scope = words.OF_WHAT.get(mode, words.scope_words(mode) or "vehicle")
        if r["indicator_code"] == "ev_stock_share":
            scope = scope.removeprefix("new ")
            text = f"{r['value']:.1f}% of the {scope} fleet"
        else:
            text = f"{r['value']:.1f}% of {scope} {EVIDENCE_INDICATORS[r['indicator_code']]}"
        text += f" ({int(r['year'])}" + (f", {flag})" if flag else ")")
        out.setdefault(str(r["country_iso3"]), []).append(Evidence(text, int(r["year"]), (str(r["source_id"]),)))
    return out


def _group(status: ProgressStatus, indicative: bool, has_figure: bool, evidence: bool) -> Group:
    if indicative or (status in UNASSESSED and (has_figure or evidence)):
        return Group.INDICATIVE
    if status in (*ACHIEVED, ProgressStatus.ON_TRACK):
        return Group.ON_TRACK
    if status in OFF_TRACK:
        return Group.OFF_TRACK
    return Group.NO_DATA


def _support(matching: pd.DataFrame) -> dict[tuple[str, str], tuple[str, ...]]:
    if matching.empty:
        return {}
    return {(r["country_iso3"], r["action_area_code"]): tuple(r["under_way"]) for r in
            matching[["country_iso3", "action_area_code", "under_way"]].to_dict("records")}


def target_finding(row: dict[str, Any], fr: Frames, target: dict[str, Any], evidence: list[Evidence],
                   support: dict[tuple[str, str], tuple[str, ...]], scenario: str | None = None) -> Finding:
    """One gap-table row as a finding."""
    ind = fr.indicators.set_index("code") if "code" in fr.indicators else pd.DataFrame()
    code = str(row["indicator_code"])
    unit = str(row.get("unit") or (ind.loc[code, "unit"] if code in ind.index else ""))
    area = str(ind.loc[code, "action_area_code"]) if code in ind.index else None
    status = ProgressStatus(str(row["status"]))
    kind = str(row.get("basis_kind") or "none")
    mode = row.get("basis_mode") if kind in ("proxy", "derived") else row.get("mode")
    derived_row = (_codes(row.get("basis_covered")), _codes(row.get("basis_missing"))) if kind == "derived" \
        else ((), ())
    value, year = _num(row.get("latest_value")), _int(row.get("latest_year"))
    basis = Basis(kind if value is not None else "none", value, year, unit,
                  words.basis_words(kind, None if mode is None else str(mode), *derived_row) if value is not None
                  else "", *derived_row)
    indicative = bool(row.get("indicative")) and status not in UNASSESSED
    group = _group(status, indicative, basis.has_figure, bool(evidence))
    stale = year is not None and year < fr.this_year - fr.stale_after_years
    caveats = []
    if isinstance(row.get("scope_difference"), str) and row["scope_difference"] and kind != "derived":
        caveats.append(f"Not the target's scope: {row['scope_difference']}.")
    if stale:
        caveats.append(f"The figure is from {year}, more than {fr.stale_after_years} years old.")
    if status in UNASSESSED and status is ProgressStatus.NOT_ASSESSABLE:
        caveats.append(str(row.get("explanation") or ""))
    tw = words.target_words(target, unit, str(ind.loc[code, "name"]) if code in ind.index else code)
    here = support.get((str(row["country_iso3"]), area or ""), ())
    label = status_label(status, indicative)
    pace = words.pace_words(row.get("base_year"), year, row.get("target_year"), row.get("projected_value"), unit,
                            status in ACHIEVED)
    shown = [e.text for e in evidence]
    fig = words.figure_text(value, year, unit)
    plain = words.finding_plain(str(row["country_name"]), label, fig, basis.words, tw, shown, basis.has_figure)
    return Finding(
        country_iso3=str(row["country_iso3"]), country_name=str(row["country_name"]), target_id=str(row["target_id"]),
        target_scope=str(row["target_scope"]), indicator_code=code, action_area=area, target_words=tw,
        status=status, indicative=indicative, group=group, figure=fig, basis=basis,
        scope_match=bool(row.get("scope_match", True)),
        scope_difference=row.get("scope_difference") if isinstance(row.get("scope_difference"), str) else None,
        pace=pace, scenario=scenario, caveats=tuple(c for c in caveats if c), evidence=tuple(evidence),
        support=here, needs_support=group is Group.OFF_TRACK and not here, stale=stale,
        source_ids=tuple(sorted(set(_ids(row.get("source_ids"))) | {s for e in evidence for s in e.source_ids})),
        plain=plain, technical=str(row.get("explanation") or ""))


def _scenario_text(row: dict[str, Any]) -> str | None:
    value = _num(row.get("scenario_value"))
    if value is None:
        return None
    label = str(row.get("scenario_label") or "")
    if row.get("scenario_same_basis") is False or "not the same vehicle types" in label:
        return f"{label.split(',')[0]} projects {value:.1f}% for {label.split(', ')[1]} on other vehicle types " \
               f"({label.split(': ', 1)[-1].split(';')[0]}): not comparable with the figure."
    return f"{label.split(',')[0]} projects {value:.1f}% for {label.split(', ')[1]} on the same vehicle types " \
           "(a projection, not an observation)."


def compose(fr: Frames) -> Findings:
    """Every finding: the 30% question per country, every other target per country, Euro VI per class, the
    regional answers and the largest gaps without support."""
    targets = {str(t["id"]): t for t in fr.targets.to_dict("records")}
    support = _support(fr.matching)
    evidence = evidence_for_ev30(fr.observations)
    ev30_rows = {str(r["country_iso3"]): r for r in fr.ev30.to_dict("records")} if not fr.ev30.empty else {}
    ev30, other = [], []
    for row in fr.gap.to_dict("records"):
        tid = str(row["target_id"])
        if tid == fr.ev30_target_id:
            extra = ev30_rows.get(str(row["country_iso3"]), {})
            mine = evidence.get(str(row["country_iso3"]), [])
            if row.get("basis_kind") in ("reported", "derived") and pd.notna(row.get("latest_value")):
                mine = []  # the figure answers the question: no narrower evidence needed beside it
            ev30.append(target_finding(row, fr, targets.get(tid, {}), mine, support, _scenario_text(extra)))
        else:
            other.append(target_finding(row, fr, targets.get(tid, {}), [], support))
    euro = [euro_finding(r, fr, support) for r in fr.euro.to_dict("records")]
    co2_found, co2_region = co2.compose_co2(fr.observations, fr.countries, fr.sources, fr.this_year,
                                            fr.stale_after_years)
    other = co2.in_place_of_generic(other, co2_found)  # the CO2 target's findings say what the CO2 findings say
    regional = [ev30_regional(ev30, fr), *euro_regional(euro), co2_region]
    return Findings(tuple(ev30), tuple(other), tuple(euro), tuple(r for r in regional if r is not None),
                    tuple(largest_unsupported(ev30, euro)), co2=tuple(co2_found))


def euro_finding(row: dict[str, Any], fr: Frames, support: dict[tuple[str, str], tuple[str, ...]]) -> EuroFinding:
    status = str(row["status"])
    group = {"in_force": Group.ON_TRACK, "scheduled": Group.ON_TRACK, "pledged": Group.INDICATIVE,
             "not_scheduled": Group.OFF_TRACK}.get(status, Group.NO_DATA)
    cls = CLASS_WORDS.get(str(row["vehicle_class"]), str(row["vehicle_class"]))
    level = (f"Euro {int(row['current_level'])} since {int(row['current_since'])}"
             if pd.notna(row.get("current_level")) else "no standard recorded")
    here = support.get((str(row["country_iso3"]), STANDARDS_AREA), ())
    plain = (f"{row['country_name']}, {cls}: Euro VI {EURO_GROUP_WORDS.get(status, status)}"
             + (f" ({level})." if pd.notna(row.get("current_level")) else "."))
    return EuroFinding(str(row["country_iso3"]), str(row["country_name"]), str(row["vehicle_class"]), status,
                       EURO_STATUS_LABELS[EuroStatus(status)], group, level,
                       stale=False, support=here,
                       source_ids=_ids(row.get("source_ids")), plain=plain, technical=str(row.get("explanation") or ""))


def _grouped(items: Iterable[Any]) -> dict[Group, tuple[str, ...]]:
    out: dict[Group, list[str]] = {g: [] for g in Group}
    for f in items:
        out[f.group].append(f.country_name)
    return {g: tuple(sorted(set(v))) for g, v in out.items()}


def ev30_regional(ev30: list[Finding], fr: Frames) -> RegionalFinding | None:
    """The 30% ambition for the region: names per group and the regional share with its coverage."""
    if not ev30:
        return None
    groups = _grouped(ev30)
    share = fr.regional_share
    names = dict(zip(fr.countries["iso3"], fr.countries["name"], strict=True))
    figure = coverage = None
    details: list[str] = []
    if share.get("value") is not None:
        modes = str(share.get("coverage", "")).split("modes: ")[-1]
        big = names.get(share.get("largest"), share.get("largest"))
        figure = f"{share['value']:.1f}% in {share['year']}"
        coverage = f"{share['n_countries']} of {len(fr.countries)} countries; {modes}"
        details.append(words.regional_share_plain(share["value"], share["year"], share["n_countries"],
                                                  len(fr.countries), modes, big, share.get("largest_share"),
                                                  share.get("largest_ev_share"), share.get("without_largest")))
    answer = words.groups_sentence({GROUP_LABELS[g]: m for g, m in groups.items()})
    plain = f"30% EV sales by 2030. {answer}"
    return RegionalFinding("ev30", "30% EV sales by 2030", groups, figure, coverage,
                           tuple(sorted({s for f in ev30 for s in f.source_ids})), plain,
                           share.get("method", ""), tuple(details), dict(GROUP_LABELS))


def euro_regional(euro: list[EuroFinding]) -> list[RegionalFinding]:
    out = []
    for cls, key in (("heavy_duty", "euro_hdv"), ("light_duty", "euro_ldv")):
        mine = [f for f in euro if f.vehicle_class == cls]
        if not mine:
            continue
        groups = _grouped(mine)
        title = f"Euro VI by 2030, {CLASS_WORDS[cls]}"
        out.append(RegionalFinding(key, title, groups, None, f"{len(mine)} countries",
                                   tuple(sorted({s for f in mine for s in f.source_ids})),
                                   f"{title}. " + words.groups_sentence({EURO_GROUP_LABELS[g]: m
                                                                         for g, m in groups.items()}),
                                   labels=dict(EURO_GROUP_LABELS)))
    return out


def largest_unsupported(ev30: list[Finding], euro: list[EuroFinding], limit: int = 3) -> list[str]:
    """The largest gaps with no activity under way, as sentences: off-track countries on the 30% ambition by the
    distance still to go, then countries whose Euro VI is not scheduled by 2030."""
    gaps = sorted((f for f in ev30 if f.needs_support and f.basis.value is not None),
                  key=lambda f: f.basis.value or 0.0)
    out = [f"{f.country_name}: 30% EV sales ({f.status_label.lower()}, {f.figure}); no activity under way in "
           "electric vehicles." for f in gaps]
    seen: set[str] = set()
    for f in euro:
        if f.group is Group.OFF_TRACK and not f.support and f.country_iso3 not in seen:
            seen.add(f.country_iso3)
            classes = [CLASS_WORDS[e.vehicle_class] for e in euro if e.country_iso3 == f.country_iso3
                       and e.group is Group.OFF_TRACK]
            out.append(f"{f.country_name}: Euro VI not scheduled by 2030 for {words.names(classes)}; no activity "
                       "under way in standards.")
    return out[:limit]
