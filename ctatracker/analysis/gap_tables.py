"""The gap table: every quantitative target beside its country's series, assessed by `ctatracker.analysis.gaps`, and the
roll-up of statuses per target. Pure functions on DataFrames: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import partial
from typing import Any

import pandas as pd

from ctatracker.analysis.gaps import (
    DEFAULT_THRESHOLDS,
    EURO_INDICATOR,
    OFF_TRACK,
    STATUS_LABELS,
    STATUS_ORDER,
    UNASSESSED,
    ProgressResult,
    ProgressStatus,
    Thresholds,
    assess_progress,
    resolve_baseline_target,
)
from ctatracker.analysis.target_rules import COMMUNIQUE_MODES, apply_rules, fit, target_vehicle_types
from ctatracker.text.naming import mode_list

SERIES_KEY = ["country_iso3", "indicator_code", "mode", "year"]
CONFIDENCE_RANK = {"high": 0, "medium": 1, "low": 2}

GAP_COLUMNS: list[str] = [
    "country_iso3", "country_name", "target_id", "target_scope", "indicator_code", "mode", "unit", "wording",
    *ProgressResult.model_fields, "status_label", "basis_kind", "basis", "basis_mode", "target_value_basis",
    "alternatives", "other_figures", "source_ids", "indicative", "scope_match", "scope_difference",
    "basis_covered", "basis_missing",
]
"""Columns of `gap_table`. target_value_basis: 'stated', 'baseline_observed' (series value in the
baseline year), 'baseline_stated' (baseline value given by a national target's source) or None.
alternatives: values from other sources set aside for the years used (see `select_series`).
basis_kind: 'reported', 'derived', 'proxy' or 'none'; basis: what answers the target, in words (EV share of
all vehicle sales only); basis_mode: the mode of the series used. other_figures: more recent part-year,
one-month or BEV-only figures, not used. indicative: the status rests on a figure of a narrower or other basis
than the target's (a proxy vehicle type, a scope the target does not share); scope_match: the figure covers what
the target counts; scope_difference: what differs, in words, when it does not. basis_covered, basis_missing: the
vehicle types a derived figure counts and leaves out ('; '-joined codes)."""

ROLLUP_COLUMNS: list[str] = [
    "target_id", "target_scope", "indicator_code", "mode", "countries",
    "achieved", "achieved_late", "on_track", "off_track", "not_assessable", "insufficient_data",
    "acceleration_needed", "limited_progress", "deterioration", "missed",
]


def plain_values(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with enum members (Mode.CARS, Confidence.HIGH, ...) replaced by their text values."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: v.value if isinstance(v, Enum) else v)
    return out


def _present(v: Any) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v)) and v is not pd.NA and v != ""


def _opt_float(v: Any) -> float | None:
    return float(v) if _present(v) and not pd.isna(v) else None


def _opt_int(v: Any) -> int | None:
    return int(v) if _present(v) and not pd.isna(v) else None


POINT_DEFAULTS = {"period": "annual", "powertrains": "bev_and_phev", "source_year": 0}
PERIOD_WORDS = {"partial_year": "part of the year", "single_month": "one month"}
STOCK_INDICATORS = frozenset({
    "ev_stock", "ev_stock_share", "public_charging_points", "public_fast_charging_points",
    "public_slow_charging_points", "public_charging_stations", "charging_points_all", "fast_charging_points_all",
    "slow_charging_points_all", "biodiesel_blend_mandate", "ethanol_blend_mandate",
})
"""Indicators that count what exists at a date (a fleet, charging points, a mandate in force): a figure dated
within a year is a count at that date, a point of the series, never 'part of a year'."""
SHARE_PRECISION_DIGITS = 2
"""Shares are published to two significant figures (IEA's Global EV Outlook): a share within half a unit of
its second significant figure of a target is not counted as meeting it."""


def is_flow(indicator_code: pd.Series) -> pd.Series:
    """True where the indicator is a flow over a period (sales, imports, emissions), False for a count at a date."""
    return ~indicator_code.isin(STOCK_INDICATORS)


def with_point_defaults(observations: pd.DataFrame) -> pd.DataFrame:
    """Observations with the columns the series selection reads, filled where absent: period, powertrains,
    source_family (the source itself when it has none), source_year and confidence."""
    df = observations.copy()
    for col, default in POINT_DEFAULTS.items():
        df[col] = df[col].fillna(default) if col in df else default
    family = df["source_family"] if "source_family" in df else pd.Series(None, index=df.index, dtype=object)
    df["source_family"] = family.where(family.notna() & (family.astype(object) != ""), df["source_id"])
    if "confidence" not in df:
        df["confidence"] = "medium"
    return df


def usable_points(observations: pd.DataFrame) -> pd.DataFrame:
    """The observations that can be points of a trend: annual figures counting both electric powertrains.
    Partial-year, single-month and BEV-only figures are left out (`set_aside_points` lists them); a count at a
    date (fleet, charging points: `STOCK_INDICATORS`) is a point of its year whatever its period."""
    df = with_point_defaults(observations)
    df = df[df["value"].notna()]
    yearly = (df["period"] == "annual") | ~is_flow(df["indicator_code"])
    return df[yearly & (df["powertrains"] == "bev_and_phev")]


def set_aside_points(observations: pd.DataFrame) -> pd.DataFrame:
    """Figures not used as trend points (part of a year, one month, BEV only), with a `flag` in words."""
    df = with_point_defaults(observations)
    part = (df["period"] != "annual") & is_flow(df["indicator_code"])
    df = df[df["value"].notna() & (part | (df["powertrains"] != "bev_and_phev"))]
    flags = df["period"].map(PERIOD_WORDS).where(is_flow(df["indicator_code"]), "count at a date").fillna("")
    bev = df["powertrains"].eq("bev_only").map({True: "battery-electric only", False: ""})
    return df.assign(flag=[", ".join(x for x in pair if x) for pair in zip(flags, bev, strict=True)])


def select_series(observations: pd.DataFrame) -> pd.DataFrame:
    """One series per (country_iso3, indicator_code, mode): one measure from one source family.

    Only usable points (annual, both powertrains) are kept. The family with the most years is chosen, then
    the one with the latest year, the most confident, the first by name; within it, for each year, the
    newest edition (source_year), then the most confident source, then the source with the most years in the
    series (the dataset itself rather than a report quoting one of its figures), then the first source_id.
    Column `alternatives` counts the usable values of other sources or editions set aside for each year."""
    df = usable_points(plain_values(observations))
    key3 = SERIES_KEY[:3]
    rank = df["confidence"].map(CONFIDENCE_RANK).fillna(len(CONFIDENCE_RANK))
    df = df.assign(_rank=rank, source_year=pd.to_numeric(df["source_year"], errors="coerce").fillna(0))
    size = df.groupby(SERIES_KEY, dropna=False)["value"].transform("size")
    df = df.assign(alternatives=(size - 1).astype("int64"))
    fams = (df.groupby([*key3, "source_family"], dropna=False)
            .agg(_n=("year", "nunique"), _last=("year", "max"), _best=("_rank", "min")).reset_index()
            .sort_values([*key3, "_n", "_last", "_best", "source_family"],
                         ascending=[True, True, True, False, False, True, True], kind="mergesort")
            .drop_duplicates(key3))
    df = df.merge(fams[[*key3, "source_family"]], on=[*key3, "source_family"])
    df = df.assign(_years=df.groupby([*key3, "source_id"])["year"].transform("nunique"))
    df = df.sort_values([*SERIES_KEY, "source_year", "_rank", "_years", "source_id"],
                        ascending=[True, True, True, True, False, True, False, True], kind="mergesort")
    return df.drop_duplicates(SERIES_KEY, keep="first").drop(columns=["_rank", "_years"]).reset_index(drop=True)


@dataclass(frozen=True)
class Series:
    """One selected series, light enough to look up once per target and country."""

    points: list[tuple[int, float]]
    source_ids: frozenset[str]
    alternatives: int = 0
    coverage: str | None = None
    missing: tuple[str, ...] = ()
    covered: tuple[str, ...] = ()

    @property
    def last(self) -> float:
        return self.points[-1][1]


def _series_by_key(frame: pd.DataFrame, key: list[str]) -> dict[tuple, Series]:
    """The rows of `frame` (year, value, source_id[, alternatives, coverage]) grouped by `key`, as Series."""
    if frame.empty:
        return {}
    df = frame.sort_values([*key, "year"], kind="mergesort")
    keys = list(zip(*(df[k].tolist() for k in key), strict=True))
    years, values = df["year"].astype("int64").tolist(), df["value"].astype(float).tolist()
    sids = df["source_id"].tolist()
    alt = df["alternatives"].astype("int64").tolist() if "alternatives" in df else None
    cov = df["coverage"].tolist() if "coverage" in df else None
    miss = df["modes_missing"].tolist() if "modes_missing" in df else None
    kept = df["modes"].tolist() if "modes" in df else None
    starts = [i for i in range(len(keys)) if i == 0 or keys[i] != keys[i - 1]]
    out: dict[tuple, Series] = {}
    for a, b in zip(starts, [*starts[1:], len(keys)], strict=True):
        out[keys[a]] = Series(list(zip(years[a:b], values[a:b], strict=True)), frozenset(sids[a:b]),
                              sum(alt[a:b]) if alt else 0, cov[b - 1] if cov else None,
                              tuple(m for m in str(miss[b - 1] or "").split("; ") if m) if miss else (),
                              tuple(m for m in str(kept[b - 1] or "").split("; ") if m) if kept else ())
    return out


def _aside_by_key(aside: pd.DataFrame) -> dict[tuple, list[tuple[int, float, str]]]:
    """Set-aside figures by (country, indicator, mode): (year, value, flag), oldest first."""
    out: dict[tuple, list[tuple[int, float, str]]] = {}
    df = aside.sort_values("year")
    for iso, code, mode, year, value, flag in zip(df["country_iso3"], df["indicator_code"], df["mode"],
                                                   df["year"], df["value"], df["flag"], strict=True):
        out.setdefault((iso, code, mode), []).append((int(year), float(value), flag))
    return out


def _basis_candidates(iso: str, series: dict[tuple, Series], derived: dict[tuple, Series],
                      modes: tuple[str, ...] = COMMUNIQUE_MODES) -> list[dict[str, Any]]:
    """The series that can answer 'EV share of all vehicle sales' for a country, best first: reported,
    derived from mode data on the target's vehicle types `modes`, then proxies (cars, then the mode with the
    most EV sales)."""
    out: list[dict[str, Any]] = []
    grp = series.get((iso, "ev_sales_share", "all_vehicles"))
    if grp is not None:
        out.append({"kind": "reported", "basis": "All vehicles, as reported", "grp": grp, "mode": "all_vehicles"})
    mine = derived.get((iso,))
    if mine is not None:
        out.append({"kind": "derived", "grp": mine, "mode": "all_vehicles", "missing": mine.missing,
                    "basis": f"All vehicles, derived by the tracker from mode data ({mine.coverage})"})
    proxies = [m for m in ("cars", "two_three_wheelers", "buses", "vans", "trucks", "two_wheelers",
                           "three_wheelers") if (iso, "ev_sales_share", m) in series and m in (*modes, "two_wheelers",
                                                                                                "three_wheelers")]
    if proxies:
        def sales(m: str) -> float:
            grp = series.get((iso, "ev_sales", m))
            return -1.0 if grp is None else grp.last
        largest = max(proxies, key=sales)
        for m in dict.fromkeys(["cars", largest] if "cars" in proxies else [largest]):
            what = "cars only" if m == "cars" else f"{mode_list([m])} only, the largest mode"
            out.append({"kind": "proxy", "basis": f"Proxy: {what}", "grp": series[(iso, "ev_sales_share", m)],
                        "mode": m})
    return out


def _other_figures(aside: dict[tuple, list[tuple[int, float, str]]], iso: str, code: str, mode: str,
                   after: int | None) -> str:
    """Set-aside figures (part-year, one month, BEV only) more recent than the latest point, in words."""
    return "; ".join(f"{_fmt_value(value)} ({year}, {flag}; not used as a yearly point)"
                     for year, value, flag in aside.get((iso, code, mode), []) if after is None or year > after)


def _fmt_value(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"


def gap_table(
    observations: pd.DataFrame,
    targets: pd.DataFrame,
    indicators: pd.DataFrame,
    countries: pd.DataFrame,
    as_of: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    derived: pd.DataFrame | Mapping[tuple[str, ...], pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """One row per (country, target): national targets for their country, regional targets (no country)
    for every country in `countries` (the countries reported on; national targets of other countries are
    left out). The series is the target's indicator in the target's mode, one measure from one source family
    (`select_series`): modes are never mixed. The exception is the EV share of all vehicle sales, where the
    `basis` column says what answers it: the reported all-vehicle series, else the share derived from mode
    data on the target's vehicle types (`derived`: the frame for the communique's types, or frames by types, see
    `ctatracker.analysis.ev_share`), else a named proxy mode; the first that can be assessed is used. A country
    without data gets insufficient_data, never a zero. Euro-level targets are left to `euro`. Direction comes
    from the target's comparison (at_least: higher is better), else from the indicator. Each result then goes
    through `target_rules.apply_rules` (scope, rounding, passed targets judged on old or other-scope figures)."""
    target_rows = plain_values(targets)
    needed = set(target_rows["indicator_code"]) | {"ev_sales_share", "ev_sales"}  # the latter two: basis choice
    columns = [c for c in (*SERIES_KEY, "value", "source_id", "confidence", "period", "powertrains", "source_family",
                           "source_year") if c in observations]
    observations = observations.loc[observations["indicator_code"].isin(needed), columns]  # what the series read
    obs = select_series(observations)
    obs = obs[obs["year"] <= as_of.year]
    aside = _aside_by_key(set_aside_points(plain_values(observations)))
    series = _series_by_key(obs, ["country_iso3", "indicator_code", "mode"])
    frames = derived if isinstance(derived, Mapping) else {COMMUNIQUE_MODES: derived}
    by_modes = {modes: _series_by_key(frame[frame["year"] <= as_of.year], ["country_iso3"])
                for modes, frame in frames.items() if frame is not None}
    ind = plain_values(indicators).set_index("code")
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    rows: list[dict[str, Any]] = []
    for tg in target_rows.to_dict("records"):
        code, mode = tg["indicator_code"], tg["mode"]
        if code == EURO_INDICATOR:
            continue
        national = _present(tg.get("country_iso3"))
        if _present(tg.get("comparison")):
            higher = tg["comparison"] == "at_least"
        elif code in ind.index:
            higher = bool(ind.loc[code, "higher_is_better"])
        else:
            raise ValueError(f"target {tg['id']}: no comparison and indicator '{code}' is unknown")
        unit = ind.loc[code, "unit"] if code in ind.index else None
        for iso in [tg["country_iso3"]] if national else list(names):
            if iso not in names:
                continue
            if code == "ev_sales_share" and mode == "all_vehicles":
                modes = target_vehicle_types(tg)
                candidates = _basis_candidates(iso, series, by_modes.get(modes, {}), modes)
            else:
                grp = series.get((iso, code, mode))
                candidates = [] if grp is None else [{"kind": "reported", "basis": None, "grp": grp, "mode": mode}]
            tried = [(c, *_assess(tg, c["grp"], national, higher, unit, as_of, thresholds)) for c in candidates]
            usable = [t for t in tried if t[1].status is not ProgressStatus.INSUFFICIENT_DATA]
            chosen = (usable or tried or [({"kind": "none", "basis": None, "grp": None, "mode": None},
                                           *_assess(tg, None, national, higher, unit, as_of, thresholds))])[0]
            cand, res, value, basis = chosen
            grp = cand["grp"]
            ids = set() if grp is None else set(grp.source_ids)
            fitted = fit(tg, cand["kind"], cand["mode"], cand.get("missing", ()))
            res = apply_rules(res, tg, fitted, unit=unit, reassess=partial(
                _reassess, tg, cand["grp"], national, higher, unit, as_of, thresholds))
            indicative = fitted.indicative and res.status not in UNASSESSED
            label = STATUS_LABELS[res.status] + (" (indicative)" if indicative else "")
            rows.append({
                "country_iso3": iso, "country_name": names[iso], "target_id": tg["id"],
                "target_scope": "national" if national else "regional", "indicator_code": code,
                "mode": mode, "unit": unit, "wording": tg.get("wording"), **res.model_dump(mode="json"),
                "status_label": label, "basis_kind": cand["kind"], "basis": cand["basis"],
                "basis_mode": cand["mode"],
                "target_value_basis": basis if value is not None else None,
                "alternatives": 0 if grp is None else grp.alternatives,
                "other_figures": _other_figures(aside, iso, code, mode, res.latest_year),
                "source_ids": "; ".join(sorted(ids | {tg["source_id"]})), "indicative": indicative,
                "scope_match": fitted.scope_match, "scope_difference": fitted.difference,
                "basis_covered": "; ".join(grp.covered) if grp is not None else None,
                "basis_missing": "; ".join(grp.missing) if grp is not None else None,
            })
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def _reassess(tg: dict, grp: Series | None, national: bool, higher: bool, unit: Any, as_of: date,
              thresholds: Thresholds, value: float) -> ProgressResult:
    """The same series assessed against another target value (see `target_rules.apply_rules`)."""
    return _assess({**tg, "target_value": value}, grp, national, higher, unit, as_of, thresholds)[0]


def _assess(tg: dict, grp: Series | None, national: bool, higher: bool, unit: Any, as_of: date,
            thresholds: Thresholds) -> tuple[ProgressResult, float | None, str]:
    """Assess one series against one target row: (result, target value used, where that value came from)."""
    points = [] if grp is None else grp.points
    value, basis = _opt_float(tg.get("target_value")), "stated"
    base_year = _opt_int(tg.get("baseline_year"))
    if value is None:
        value, basis = resolve_baseline_target(points, base_year), "baseline_observed"
    if value is None and national and _opt_float(tg.get("baseline_value")) is not None:
        value, basis = _opt_float(tg["baseline_value"]), "baseline_stated"
    res = assess_progress(
        points, target_value=value, target_year=_opt_int(tg.get("target_year")), higher_is_better=higher,
        as_of_year=as_of.year, base_year=base_year, thresholds=thresholds,
        upper_bound=100.0 if unit == "percent" else None,
    )
    if basis == "baseline_observed" and value is not None and (res.latest_year or 0) <= (base_year or 0):
        res = res.model_copy(update={
            "status": ProgressStatus.INSUFFICIENT_DATA,
            "explanation": f"Only the {base_year} baseline value is known; a later value is needed "
                           "to compare with it: insufficient data."})
    return res, value, basis


def rollup(gap_table: pd.DataFrame) -> pd.DataFrame:
    """Per target: number of countries in each status; off_track = acceleration_needed + limited_progress
    + deterioration."""
    if gap_table.empty:
        return pd.DataFrame(columns=ROLLUP_COLUMNS)
    statuses = [s.value for s in STATUS_ORDER]
    df = gap_table.assign(status=gap_table["status"].map(str))
    counts = (df.groupby(["target_id", "status"]).size().unstack(fill_value=0)
              .reindex(columns=statuses, fill_value=0))
    out = df.groupby("target_id")[["target_scope", "indicator_code", "mode"]].first().join(counts)
    out["countries"] = out[statuses].sum(axis=1)
    out["off_track"] = out[[s.value for s in OFF_TRACK]].sum(axis=1)
    return out.reset_index()[ROLLUP_COLUMNS]
