"""Key messages for briefings: plain sentences drawn from the gap analysis, each with the numbers it states.

Every number in a message is written through `_Sentence.num` or `_Sentence.year`, which records it as a
`Figure` (its value, what it is, the sources behind it and the year of the data), so each one can be traced
back to the gap table, the Euro VI table, the regional share or the activities. Nothing is estimated here: a
sentence only restates values those tables hold, and where they hold none it says so. Pure functions: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ctatracker.analysis.gaps import OFF_TRACK, STATUS_LABELS, ProgressStatus
from ctatracker.briefing import finding_messages as fm
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
from ctatracker.findings.model import Findings


def _scope(mode: Any) -> str:
    m = str(mode)
    return SCOPE_WORDS.get(m, m.replace("_", " "))


def _target_sources(targets: pd.DataFrame | None, target_id: str, fallback: Iterable[Any]) -> tuple[str, ...]:
    if targets is not None and not targets.empty and target_id in set(targets["id"]):
        return _union(targets.loc[targets["id"] == target_id, "source_id"])
    sets = [set(_ids(v)) for v in fallback]
    return tuple(sorted(set.intersection(*sets))) if sets else ()


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


def _area_of(indicators: pd.DataFrame | None) -> dict[str, str]:
    """indicator code -> action area code."""
    return {} if indicators is None else dict(zip(indicators["code"], indicators["action_area_code"], strict=True))


def _kept(messages: Iterable[KeyMessage | None], areas: Iterable[str] | None) -> list[KeyMessage]:
    """The messages of the chosen action areas (all when none are chosen) and those of no particular area."""
    chosen = set(areas or [])
    return [m for m in messages if m is not None and (not chosen or m.action_area in (None, *chosen))]


def regional_messages(gap: pd.DataFrame, euro: pd.DataFrame, rollup: pd.DataFrame, share: Mapping[str, Any] | None,
                      activities: pd.DataFrame, *, found: Findings, targets: pd.DataFrame | None = None,
                      indicators: pd.DataFrame | None = None, areas: Iterable[str] | None = None,
                      names: Mapping[str, str] | None = None) -> list[KeyMessage]:
    """The regional key messages of a briefing, in order: Euro VI (heavy, light duty) and the 30% ambition as the
    findings say them (who stands where, by name; the regional share with its coverage), the largest gaps without
    support, other regional goals, national targets (counted from `rollup`), activities. Messages of action areas
    outside `areas` are left out (all kept when it is empty). `euro`, `share` and `names` are kept for callers
    that pass them; the findings already hold what they said."""
    area_of = _area_of(indicators)
    national = rollup[rollup["target_scope"] == "national"]
    if areas and area_of:
        national = national[national["indicator_code"].map(area_of).isin(set(areas))]
    if found.regional_of("co2") is not None:  # its answer comes from the CO2 findings, not counted again here
        gap = gap[(gap["indicator_code"] != fm.CO2_INDICATOR) | (gap["target_scope"] != "regional")]
    return _kept([*fm.euro_regional_messages(found), *fm.ev_regional_messages(found),
                  *fm.co2_regional_messages(found), fm.unsupported_message(found),
                  *other_regional_messages(gap, targets, indicators, area_of),
                  national_rollup_message(national, gap), activities_message(activities)], areas)


def country_messages(gap: pd.DataFrame, euro: pd.DataFrame, activities: pd.DataFrame, iso3: str,
                     *, found: Findings, areas: Iterable[str] | None = None, indicators: pd.DataFrame | None = None,
                     ) -> list[KeyMessage]:
    """Key messages of one country: Euro VI and the 30% ambition as its findings say them, national targets,
    activities (`activities`: rows of queries.activities; only the country's own are counted)."""
    area_of = _area_of(indicators)
    mine = gap[gap["country_iso3"] == iso3]
    national = mine[mine["target_scope"] == "national"]
    if areas and area_of:
        national = national[national["indicator_code"].map(area_of).isin(set(areas))]
    who = dict(zip(euro["country_iso3"], euro["country_name"], strict=False)).get(iso3, iso3)
    euro_lines = [KeyMessage("euro_country", f.plain, fm.stated_figures(f.plain, "Euro VI", f.source_ids), iso3,
                             "standards") for f in found.euro_of(iso3)]
    msgs = _kept([*euro_lines, *fm.country_ev_messages(found, iso3), *fm.country_co2_messages(found, iso3),
                  national_targets_message(national, iso3, who),
                  activities_message(activities[activities["country_iso3"] == iso3], who)], areas)
    return [KeyMessage(m.topic, m.text, m.figures, iso3, m.action_area) for m in msgs]
