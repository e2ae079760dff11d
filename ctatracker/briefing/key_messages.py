"""Key messages for briefings: plain sentences drawn from the gap analysis, each with the numbers it states.

Every number in a message is written through `_Sentence.num` or `_Sentence.year`, which records it as a
`Figure` (its value, what it is, the sources behind it and the year of the data), so each one can be traced
back to the gap table, the Euro VI table, the regional share or the activities. Nothing is estimated here: a
sentence only restates values those tables hold, and where they hold none it says so. Pure functions: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from ctatracker.analysis.gaps import ACHIEVED, OFF_TRACK, STATUS_LABELS, ProgressStatus
from ctatracker.briefing.euro_messages import country_euro_message, euro_message
from ctatracker.briefing.sentences import (  # noqa: F401  (re-exported for briefings)
    CLASS_WORDS,
    EV_SHARE,
    SCOPE_WORDS,
    Figure,
    KeyMessage,
    _article,
    _has,
    _ids,
    _is,
    _names,
    _present,
    _Sentence,
    _union,
    number,
)


def _scope(mode: Any) -> str:
    m = str(mode)
    return SCOPE_WORDS.get(m, m.replace("_", " "))


def _target_sources(targets: pd.DataFrame | None, target_id: str, fallback: Iterable[Any]) -> tuple[str, ...]:
    if targets is not None and not targets.empty and target_id in set(targets["id"]):
        return _union(targets.loc[targets["id"] == target_id, "source_id"])
    sets = [set(_ids(v)) for v in fallback]
    return tuple(sorted(set.intersection(*sets))) if sets else ()


def ev_ambition_messages(gap: pd.DataFrame, share: Mapping[str, Any] | None = None,
                         targets: pd.DataFrame | None = None, names: Mapping[str, str] | None = None,
                         ) -> list[KeyMessage]:
    """Where the region stands on its EV sales share ambition (regional ev_sales_share targets of the gap table),
    in the target's own vehicle scope only, and the latest regional figure when `share` is of that scope."""
    out: list[KeyMessage] = []
    regional = gap[(gap["target_scope"] == "regional") & (gap["indicator_code"] == EV_SHARE)]
    for target_id, rows in regional.groupby("target_id", sort=True):
        first = rows.iloc[0]
        scope = _scope(first["mode"])
        tsrc = _target_sources(targets, str(target_id), rows["source_ids"])
        s = _Sentence()
        tv = s.num("target_value", first["target_value"], "regional EV sales share ambition (%)", tsrc)
        ty = (s.year("target_year", first["target_year"], "year of the regional ambition", tsrc)
              if _present(first["target_year"]) else None)
        by = f" by {ty}" if ty else ""
        n = len(rows)
        short = rows["status"].map(str) == ProgressStatus.INSUFFICIENT_DATA.value
        assessable = rows[~short]
        if assessable.empty:
            text = (f"No country has two years of {scope} EV sales share data, so regional progress towards "
                    f"{tv}%{by} cannot be assessed yet.")
        else:
            parts = []
            for status in (*ACHIEVED, ProgressStatus.ON_TRACK, *OFF_TRACK):
                sel = rows[rows["status"].map(str) == status.value]
                if not sel.empty:
                    k = s.num(status.value, len(sel), f"countries: {STATUS_LABELS[status].lower()}",
                              _union(sel["source_ids"]))
                    who = [f"{r['country_name']} ({str(r['basis']).removeprefix('Proxy: ')})"
                           if r.get("basis_kind") == "proxy" else r["country_name"] for r in sel.to_dict("records")]
                    parts.append(f"{k} {STATUS_LABELS[status].lower()}{_names(who)}")
            rest = s.num("insufficient_data", n - len(assessable), "countries without enough data")
            total = s.num("countries", n, "countries covered by the tracker")
            text = (f"Against the regional ambition of {tv}% EV share of {scope} sales{by}, of the {total} "
                    f"countries: {'; '.join(parts)}; {rest} cannot be assessed yet for lack of data.")
        out.append(s.done(f"ev_ambition_{target_id}", text, area="electric_vehicles"))

        s = _Sentence()
        with_value = rows[rows["latest_value"].notna()]
        if with_value.empty:
            total = s.num("countries", n, "countries covered by the tracker")
            text = f"None of the {total} countries has an EV sales share figure, for all vehicles or any one type."
        else:
            groups = []
            for kind, words in (("reported", "on all vehicles as reported"),
                                ("derived", "on all vehicles, derived from EV sales and shares by vehicle type"),
                                ("proxy", "on one vehicle type as a proxy")):
                kinds = with_value["basis_kind"].fillna("reported") if "basis_kind" in with_value else "reported"
                sel = with_value[kinds == kind]
                listed = []
                for r in sel.sort_values("country_name").to_dict("records"):
                    ids = _ids(r["source_ids"])
                    value = s.num(f"latest_{r['country_iso3']}", r["latest_value"],
                                  f"{r['country_name']}, EV share of sales (%), {r.get('basis') or scope}", ids,
                                  int(r["latest_year"]))
                    year = s.year(f"latest_year_{r['country_iso3']}", r["latest_year"], "year of that figure", ids)
                    what = f", {str(r['basis']).removeprefix('Proxy: ')}" if kind == "proxy" else ""
                    listed.append(f"{r['country_name']} {value}% ({year}{what})")
                if listed:
                    groups.append(f"{words}: {', '.join(listed)}")
            rest = n - len(with_value)
            none = f"; {s.num('no_figure', rest, 'countries with no EV sales share figure')} {_has(rest)} none" \
                if rest else ""
            text = f"Latest figures, {'; '.join(groups)}{none}."
        if text:
            out.append(s.done(f"ev_figures_{target_id}", text, area="electric_vehicles"))

        if share is not None and str(share.get("mode")) == str(first["mode"]):
            out.append(regional_share_message(share, names))
    return out


def regional_share_message(share: Mapping[str, Any], names: Mapping[str, str] | None = None) -> KeyMessage:
    """The regional EV sales share of `analysis.latest_regional_share`, with how it was computed."""
    s = _Sentence()
    scope = _scope(share.get("mode"))
    if share.get("value") is None:
        return s.done("regional_share", f"No regional {scope} EV sales share can be computed: no country reports "
                      "one.", area="electric_vehicles")
    ids = tuple(share.get("source_ids") or ())
    year = int(share["year"])
    value = s.num("value", share["value"], f"regional EV share of {scope} sales (%)", ids, year)
    y = s.year("year", year, "year of the regional figure", ids)
    who = _names([(names or {}).get(c, c) for c in share.get("countries_used", [])], limit=8)
    if share["n_countries"] == 1:
        text = (f"The latest {scope} EV sales share that can be put together for the region is {value}% for {y}, and "
                f"it comes from a single country{who}: the others have no {y} figure, so it is not a regional total.")
    else:
        k = s.num("n_countries", share["n_countries"], f"countries with a {year} {scope} figure", ids, year)
        kind = "sales-weighted share" if share.get("weighted") else "unweighted mean"
        text = (f"The latest regional {scope} EV sales share is {value}% for {y}: the {kind} of the {k} countries "
                f"with a {y} figure{who}; countries without one are left out, so this is not a regional total.")
        if share.get("largest") and share.get("without_largest") is not None:
            big = (names or {}).get(share["largest"], share["largest"])
            part = s.num("largest_share", share["largest_share"], f"{big}'s part of these sales (%)", ids, year)
            rest = s.num("without_largest", share["without_largest"], f"share without {big} (%)", ids, year)
            text += f" {big} makes {part}% of these sales; without {big} the share is {rest}%."
    return s.done("regional_share", text, area="electric_vehicles")


def pace_messages(gap: pd.DataFrame, indicators: Sequence[str] = (EV_SHARE,)) -> list[KeyMessage]:
    """'At its 2010-2024 pace, India reaches a 2.9% EV share of car sales by 2030, against its national target
    of 30%', for every gap row of these indicators that holds a projection (only that projection is used)."""
    rows = gap[gap["indicator_code"].isin(indicators) & gap["projected_value"].notna() & gap["target_year"].notna()]
    out = []
    for r in rows.sort_values(["country_name", "target_year"]).to_dict("records"):
        s = _Sentence()
        ids = _ids(r["source_ids"])
        basis_mode = r.get("basis_mode")
        scope = _scope(basis_mode if isinstance(basis_mode, str) and basis_mode else r["mode"])
        if r.get("basis_kind") == "derived":
            scope += " (derived from sales by vehicle type)"
        base = s.year("base_year", r["base_year"], "first year of the trend", ids)
        latest = s.year("latest_year", r["latest_year"], "latest year of the trend", ids)
        year = s.year("target_year", r["target_year"], "target year", ids)
        target = s.num("target_value", r["target_value"], "target (%)", ids)
        whose = "the regional ambition" if r["target_scope"] == "regional" else "its national target"
        if r["unit"] == "percent" and r["projected_value"] > 100:
            text = (f"At its {base}–{latest} pace, {r['country_name']} would reach {whose} of {target}% EV share "
                    f"of {scope} sales before {year}; the straight-line projection runs past a full share, so it "
                    "shows a direction, not a forecast.")
        else:
            proj = s.num("projected_value", r["projected_value"], "linear projection to the target year (%)", ids,
                         int(r["target_year"]))
            text = (f"At its {base}–{latest} pace, {r['country_name']} reaches {_article(proj)} {proj}% EV share of "
                    f"{scope} sales by {year}, against {whose} of {target}%.")
        out.append(s.done("pace", text, country=r["country_iso3"], area="electric_vehicles"))
    return out


# ---------------------------------------------------------------- other targets, national targets, activities


def _target_label(target_id: str, gap_rows: pd.DataFrame, targets: pd.DataFrame | None,
                  indicators: pd.DataFrame | None, s: _Sentence) -> str:
    """'Transport CO2 emissions at or below their 2019 level' from the target's own fields."""
    first = gap_rows.iloc[0]
    code = str(first["indicator_code"])
    name = code.replace("_", " ")
    if indicators is not None and code in set(indicators["code"]):
        name = str(indicators.loc[indicators["code"] == code, "name"].iloc[0])
    tg = targets[targets["id"] == target_id].iloc[0] if targets is not None and target_id in set(targets["id"]) \
        else None
    ids = _union([tg["source_id"]]) if tg is not None else ()
    at_most = (str(tg["comparison"]) == "at_most") if tg is not None and _present(tg["comparison"]) else False
    if tg is not None and not _present(tg["target_value"]) and _present(tg["baseline_year"]):
        label = (f"{name} {'at or below' if at_most else 'at or above'} their "
                 f"{s.year('baseline_year', tg['baseline_year'], 'baseline year of the target', ids)} level")
    elif _present(first["target_value"]):
        value = s.num("target_value", first["target_value"], "target value", ids)
        unit = "%" if first["unit"] == "percent" else f" {str(first['unit']).replace('_', ' ')}"
        label = f"{name} {'at most' if at_most else 'at least'} {value}{unit}"
    else:
        label = name
    if _present(first["target_year"]):
        label += f" by {s.year('target_year', first['target_year'], 'target year', ids)}"
    return label


def other_regional_messages(gap: pd.DataFrame, targets: pd.DataFrame | None = None,
                            indicators: pd.DataFrame | None = None, area_of: Mapping[str, str] | None = None,
                            ) -> list[KeyMessage]:
    """Status counts of the regional targets other than the EV sales share (e.g. transport CO2 below 2019)."""
    out = []
    regional = gap[(gap["target_scope"] == "regional") & (gap["indicator_code"] != EV_SHARE)]
    for target_id, rows in regional.groupby("target_id", sort=True):
        s = _Sentence()
        label = _target_label(str(target_id), rows, targets, indicators, s)
        n = len(rows)
        total = s.num("countries", n, "countries covered by the tracker")
        assessable = rows[rows["status"].map(str) != ProgressStatus.INSUFFICIENT_DATA.value]
        if assessable.empty:
            some = rows[rows["latest_value"].notna()]
            k = s.num("with_data", len(some), "countries with some data", _union(some["source_ids"]))
            text = (f"Regional goal of {label}: none of the {total} countries can be assessed yet; {k} "
                    f"{_has(len(some))} some data, but not the two comparable years the assessment needs.")
        else:
            parts = []
            for status in STATUS_LABELS:
                sel = rows[rows["status"].map(str) == status.value]
                if not sel.empty:
                    k = s.num(status.value, len(sel), f"countries: {STATUS_LABELS[status].lower()}",
                              _union(sel["source_ids"]))
                    parts.append(f"{k} {STATUS_LABELS[status].lower()}")
            text = f"Regional goal of {label}, {total} countries: {'; '.join(parts)}."
        area = (area_of or {}).get(str(rows["indicator_code"].iloc[0]))
        out.append(s.done(f"regional_{target_id}", text[0].upper() + text[1:], area=area))
    return out


def _status_ids(rows: pd.DataFrame, statuses: Iterable[str]) -> tuple[str, ...]:
    return _union(rows.loc[rows["status"].map(str).isin(list(statuses)), "source_ids"])


def _national_text(s: _Sentence, counts: Mapping[str, int], rows: pd.DataFrame, who: str | None) -> str:
    """The national-targets sentence from status counts; sources from the gap rows behind each count."""
    n = s.num("targets", counts["targets"], "national targets recorded", _union(rows["source_ids"]))
    parts = []
    for key, label, statuses in (("achieved", "achieved", ["achieved"]), ("on_track", "on track", ["on_track"]),
                                 ("off_track", "off track", [o.value for o in OFF_TRACK])):
        parts.append(f"{s.num(key, counts[key], f'national targets {label}', _status_ids(rows, statuses))} {label}")
    k = s.num("insufficient_data", counts["insufficient_data"], "national targets without enough data")
    plural = "s" if counts["targets"] != 1 else ""
    if who:
        return (f"{who} has {n} national target{plural} recorded: {', '.join(parts)}; {k} cannot be assessed yet "
                "for lack of data.")
    m = s.num("countries", rows["country_iso3"].nunique(), "countries with national targets")
    return (f"Countries' own targets: {n} national target{plural} {_is(counts['targets'])} recorded for {m} "
            f"countries: {', '.join(parts)}; {k} cannot be assessed yet for lack of data.")


def national_targets_message(gap: pd.DataFrame, country: str | None = None, who: str | None = None) -> KeyMessage:
    """Status counts of national targets (each country against its own), for one country or all (gap rows)."""
    rows = gap[gap["target_scope"] == "national"]
    if country:
        rows = rows[rows["country_iso3"] == country]
    s = _Sentence()
    if rows.empty:
        return s.done("national_targets", f"No national quantitative target is recorded for {who or 'any country'}"
                      " in these action areas.", country=country)
    status = rows["status"].map(str)
    counts = {"targets": len(rows), "achieved": int((status == "achieved").sum()),
              "on_track": int((status == "on_track").sum()),
              "off_track": int(status.isin([o.value for o in OFF_TRACK]).sum()),
              "insufficient_data": int((status == "insufficient_data").sum())}
    return s.done("national_targets", _national_text(s, counts, rows, who), country=country)


def national_rollup_message(rollup: pd.DataFrame, gap: pd.DataFrame) -> KeyMessage:
    """The regional summary of national targets, counted from `gap_tables.rollup` (sources from the gap rows)."""
    national = rollup[rollup["target_scope"] == "national"]
    rows = gap[(gap["target_scope"] == "national") & gap["target_id"].isin(set(national["target_id"]))]
    s = _Sentence()
    if national.empty:
        return s.done("national_targets", "No national quantitative target is recorded in these action areas.")
    counts = {"targets": len(national), **{c: int(national[c].sum()) for c in
                                           ("achieved", "on_track", "off_track", "insufficient_data")}}
    return s.done("national_targets", _national_text(s, counts, rows, None))


def activities_message(activities: pd.DataFrame, who: str = "the region") -> KeyMessage:
    """Cooperation activities by status (rows of queries.activities, already filtered)."""
    s = _Sentence()
    if activities.empty:
        return s.done("activities", f"No cooperation activity is recorded for {who}.")
    status = activities["status"].map(lambda v: str(v) if isinstance(v, str) and v else "not stated")

    def count(value: str, label: str) -> str:
        sel = activities[status == value]
        return s.num(value.replace(" ", "_"), len(sel), f"activities {label}", _union(sel["source_id"]))

    n = s.num("activities", len(activities), "cooperation activities recorded", _union(activities["source_id"]))
    text = (f"{n} cooperation {'activity is' if len(activities) == 1 else 'activities are'} recorded for {who}: "
            f"{count('implementation', 'under way')} under way, {count('pipeline', 'in the pipeline')} in the pipeline")
    done = int((status == "completed").sum())
    if done:
        text += f", {count('completed', 'completed')} completed"
    others = int((~status.isin(["implementation", "pipeline", "completed", "not stated"])).sum())
    if others:
        sel = activities[~status.isin(["implementation", "pipeline", "completed", "not stated"])]
        text += f", {s.num('other', others, 'activities closed, suspended or cancelled', _union(sel['source_id']))} " \
                "closed, suspended or cancelled"
    if (status == "not stated").any():
        text += f"; the source gives no status for {count('not stated', 'without a stated status')}"
    return s.done("activities", text + ".")


def country_ev_message(gap: pd.DataFrame, iso3: str) -> KeyMessage | None:
    """A country's latest figure against the regional EV sales share ambition, in the ambition's scope."""
    rows = gap[(gap["country_iso3"] == iso3) & (gap["target_scope"] == "regional")
               & (gap["indicator_code"] == EV_SHARE)]
    if rows.empty:
        return None
    r = rows.iloc[0]
    s = _Sentence()
    ids = _ids(r["source_ids"])
    scope = _scope(r["mode"])
    tv = s.num("target_value", r["target_value"], "regional ambition (%)", ids)
    by = f" by {s.year('target_year', r['target_year'], 'year of the ambition', ids)}" if _present(r["target_year"]) \
        else ""
    if not _present(r["latest_value"]):
        text = (f"No {scope} EV sales share figure is recorded for {r['country_name']}, so its progress towards the "
                f"regional {tv}%{by} ambition cannot be assessed.")
    else:
        value = s.num("latest_value", r["latest_value"], f"EV share of {scope} sales (%)", ids, int(r["latest_year"]))
        year = s.year("latest_year", r["latest_year"], "year of the latest figure", ids)
        status = STATUS_LABELS[ProgressStatus(str(r["status"]))].lower()
        if r["status"] == ProgressStatus.INSUFFICIENT_DATA.value and r["n_points"] < 2:
            status = "with a single year of data, no trend can be measured yet"
        text = (f"{r['country_name']}'s latest {scope} EV sales share is {value}% ({year}), against the regional "
                f"ambition of {tv}%{by}: {status}.")
    return s.done("ev_country", text, country=iso3, area="electric_vehicles")


def _area_of(indicators: pd.DataFrame | None) -> dict[str, str]:
    """indicator code -> action area code."""
    return {} if indicators is None else dict(zip(indicators["code"], indicators["action_area_code"], strict=True))


def _kept(messages: Iterable[KeyMessage | None], areas: Iterable[str] | None) -> list[KeyMessage]:
    """The messages of the chosen action areas (all when none are chosen) and those of no particular area."""
    chosen = set(areas or [])
    return [m for m in messages if m is not None and (not chosen or m.action_area in (None, *chosen))]


def regional_messages(gap: pd.DataFrame, euro: pd.DataFrame, rollup: pd.DataFrame, share: Mapping[str, Any] | None,
                      activities: pd.DataFrame, *, targets: pd.DataFrame | None = None,
                      indicators: pd.DataFrame | None = None, areas: Iterable[str] | None = None,
                      names: Mapping[str, str] | None = None) -> list[KeyMessage]:
    """The regional key messages of a briefing, in order: Euro VI (heavy, light duty), the EV sales share
    ambition and the regional figure, pace projections, other regional goals, national targets (counted from
    `rollup`), activities. Messages of action areas outside `areas` are left out (all kept when it is empty)."""
    area_of = _area_of(indicators)
    national = rollup[rollup["target_scope"] == "national"]
    if areas and area_of:
        national = national[national["indicator_code"].map(area_of).isin(set(areas))]
    return _kept([euro_message(euro, "heavy_duty", targets), euro_message(euro, "light_duty", targets),
                  *ev_ambition_messages(gap, share, targets, names), *pace_messages(gap),
                  *other_regional_messages(gap, targets, indicators, area_of),
                  national_rollup_message(national, gap), activities_message(activities)], areas)


def country_messages(gap: pd.DataFrame, euro: pd.DataFrame, activities: pd.DataFrame, iso3: str,
                     *, areas: Iterable[str] | None = None, indicators: pd.DataFrame | None = None,
                     ) -> list[KeyMessage]:
    """Key messages of one country: Euro VI, the EV ambition, pace projections, national targets, activities
    (`activities`: rows of queries.activities; only the country's own are counted)."""
    area_of = _area_of(indicators)
    mine = gap[gap["country_iso3"] == iso3]
    national = mine[mine["target_scope"] == "national"]
    if areas and area_of:
        national = national[national["indicator_code"].map(area_of).isin(set(areas))]
    who = dict(zip(euro["country_iso3"], euro["country_name"], strict=False)).get(iso3, iso3)
    msgs = _kept([country_euro_message(euro, iso3), country_ev_message(gap, iso3), *pace_messages(mine),
                  national_targets_message(national, iso3, who),
                  activities_message(activities[activities["country_iso3"] == iso3], who)], areas)
    return [KeyMessage(m.topic, m.text, m.figures, iso3, m.action_area) for m in msgs]
