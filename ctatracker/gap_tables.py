"""The gap table: every quantitative target beside its country's series, assessed by `ctatracker.gaps`, and the
roll-up of statuses per target. Pure functions on DataFrames: no I/O.
"""

from __future__ import annotations

import math
from datetime import date
from enum import Enum
from typing import Any

import pandas as pd

from ctatracker.gaps import (
    DEFAULT_THRESHOLDS,
    EURO_INDICATOR,
    OFF_TRACK,
    STATUS_LABELS,
    STATUS_ORDER,
    ProgressResult,
    ProgressStatus,
    Thresholds,
    assess_progress,
    resolve_baseline_target,
)

SERIES_KEY = ["country_iso3", "indicator_code", "mode", "year"]
CONFIDENCE_RANK = {"high": 0, "medium": 1, "low": 2}

GAP_COLUMNS: list[str] = [
    "country_iso3", "country_name", "target_id", "target_scope", "indicator_code", "mode", "unit", "wording",
    *ProgressResult.model_fields, "status_label", "target_value_basis", "alternatives", "source_ids",
]
"""Columns of `gap_table`. target_value_basis: 'stated', 'baseline_observed' (series value in the
baseline year), 'baseline_stated' (baseline value given by a national target's source) or None.
alternatives: values from other sources set aside for the years used (see `select_series`)."""

ROLLUP_COLUMNS: list[str] = [
    "target_id", "target_scope", "indicator_code", "mode", "countries",
    "achieved", "on_track", "off_track", "insufficient_data",
    "acceleration_needed", "limited_progress", "deterioration",
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


def select_series(observations: pd.DataFrame) -> pd.DataFrame:
    """One value per (country_iso3, indicator_code, mode, year): the most confident source (high > medium >
    low), ties broken by the source_id that sorts first. Column `alternatives` counts the values set aside."""
    df = plain_values(observations)
    df = df[df["value"].notna()]
    rank = df["confidence"].map(CONFIDENCE_RANK).fillna(len(CONFIDENCE_RANK))
    df = df.assign(_rank=rank).sort_values([*SERIES_KEY, "_rank", "source_id"], kind="mergesort")
    size = df.groupby(SERIES_KEY, dropna=False)["value"].transform("size")
    df = df.assign(alternatives=(size - 1).astype("int64"))
    return df.drop_duplicates(SERIES_KEY, keep="first").drop(columns="_rank").reset_index(drop=True)


def gap_table(
    observations: pd.DataFrame,
    targets: pd.DataFrame,
    indicators: pd.DataFrame,
    countries: pd.DataFrame,
    as_of: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> pd.DataFrame:
    """One row per (country, target): national targets for their country, regional targets (no country)
    for every country in `countries` (the countries reported on; national targets of other countries are
    left out). The series is the target's indicator in the target's mode exactly: modes are never mixed.
    A country without data gets insufficient_data, never a zero. Euro-level targets are left to `euro`.
    Direction comes from the target's comparison (at_least: higher is better), else from the indicator."""
    obs = select_series(observations)
    obs = obs[obs["year"] <= as_of.year]
    series = {key: grp for key, grp in obs.groupby(["country_iso3", "indicator_code", "mode"])}
    ind = plain_values(indicators).set_index("code")
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    rows: list[dict[str, Any]] = []
    for tg in plain_values(targets).to_dict("records"):
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
            grp = series.get((iso, code, mode))
            points = [] if grp is None else list(zip(grp["year"], grp["value"], strict=True))
            value, basis = _opt_float(tg.get("target_value")), "stated"
            base_year = _opt_int(tg.get("baseline_year"))
            if value is None:
                value, basis = resolve_baseline_target(points, base_year), "baseline_observed"
            if value is None and national and _opt_float(tg.get("baseline_value")) is not None:
                value, basis = _opt_float(tg["baseline_value"]), "baseline_stated"
            res = assess_progress(
                points, target_value=value, target_year=_opt_int(tg.get("target_year")),
                higher_is_better=higher, as_of_year=as_of.year,
                base_year=base_year, thresholds=thresholds,
            )
            if basis == "baseline_observed" and value is not None and (res.latest_year or 0) <= (base_year or 0):
                res = res.model_copy(update={
                    "status": ProgressStatus.INSUFFICIENT_DATA,
                    "explanation": f"Only the {base_year} baseline value is known; a later value is needed "
                                   "to compare with it: insufficient data."})
            ids = set() if grp is None else set(grp["source_id"])
            rows.append({
                "country_iso3": iso, "country_name": names[iso], "target_id": tg["id"],
                "target_scope": "national" if national else "regional", "indicator_code": code,
                "mode": mode, "unit": unit, "wording": tg.get("wording"), **res.model_dump(mode="json"),
                "status_label": STATUS_LABELS[res.status],
                "target_value_basis": basis if value is not None else None,
                "alternatives": 0 if grp is None else int(grp["alternatives"].sum()),
                "source_ids": "; ".join(sorted(ids | {tg["source_id"]})),
            })
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


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
