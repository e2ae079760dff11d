"""Gap analysis: how far each country is from each quantitative target, and whether it is on track.

The method is that of Open SDG / Statistics Canada (compound growth observed against compound growth
required), with every input kept beside the status so a reader can redo the sum; docs/methodology.md
explains it in plain language. Pure functions: no I/O, no database, no streamlit. Euro VI standards are
assessed in `ctatracker.euro`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from enum import StrEnum
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

EURO_INDICATOR = "euro_emission_level"
"""Targets on this indicator are assessed by `ctatracker.euro`, not by `gap_table`."""


class ProgressStatus(StrEnum):
    """Progress towards a numeric target, best first."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    ACCELERATION_NEEDED = "acceleration_needed"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"
    INSUFFICIENT_DATA = "insufficient_data"


STATUS_ORDER: tuple[ProgressStatus, ...] = tuple(ProgressStatus)
"""Statuses from best to worst, with insufficient data last: the order of legends and tables."""

STATUS_LABELS: dict[ProgressStatus, str] = {
    ProgressStatus.ACHIEVED: "Target achieved",
    ProgressStatus.ON_TRACK: "On track",
    ProgressStatus.ACCELERATION_NEEDED: "Progress, acceleration needed",
    ProgressStatus.LIMITED_PROGRESS: "Limited progress",
    ProgressStatus.DETERIORATION: "Moving away from the target",
    ProgressStatus.INSUFFICIENT_DATA: "Insufficient data",
}

OFF_TRACK: tuple[ProgressStatus, ...] = (
    ProgressStatus.ACCELERATION_NEEDED, ProgressStatus.LIMITED_PROGRESS, ProgressStatus.DETERIORATION,
)
"""The statuses counted together as off track in `rollup`."""


class Thresholds(BaseModel):
    """Settings of the assessment. Defaults are those of Open SDG / Statistics Canada."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    on_track_ratio: float = Field(0.95, gt=0, description="R at or above this: on track.")
    acceleration_ratio: float = Field(0.60, ge=0, description="R at or above this (below on track): "
                                      "progress, acceleration needed; from 0 up to it: limited progress.")
    zero_substitute: float = Field(0.001, gt=0, description="Replaces a zero value in compound growth.")
    recent_years: int | None = Field(None, ge=1, description="Trend measured over only the last N years "
                                     "before the latest value; None: the whole period from the base year.")
    max_age: int | None = Field(None, ge=0, description="Latest value older than this many years before "
                                "the as-of year: insufficient data; None: no age limit.")

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.acceleration_ratio > self.on_track_ratio:
            raise ValueError("acceleration_ratio must not exceed on_track_ratio")
        return self


DEFAULT_THRESHOLDS = Thresholds()


class ProgressResult(BaseModel):
    """Status of one series against one target, with every input and intermediate value used.

    Years: base_year t0 (first year of the trend window), latest_year t, target_year T.
    `gap` is in the target's unit, signed so that positive means still to go (negative: beyond the target).
    `ratio` R is observed over required growth, direction-adjusted: R < 0 always means moving the wrong way.
    `method` says which rates R compares: 'cagr' (compound growth) or 'linear' (when compound growth cannot
    be computed: values of mixed sign, or a required compound rate of zero).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: ProgressStatus
    explanation: str
    method: Literal["cagr", "linear"] | None = None
    higher_is_better: bool
    direction: Literal["higher_is_better", "lower_is_better"]
    as_of_year: int
    n_points: int = Field(description="Data points in the trend window (base to latest).")
    base_year: int | None = None
    base_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    target_value: float | None = None
    target_year: int | None = None
    gap: float | None = None
    years_left: int | None = Field(None, description="target_year - as_of_year; negative once passed.")
    observed_slope: float | None = Field(None, description="Least-squares slope per year, base to latest.")
    required_slope: float | None = Field(None, description="(target - latest) / (target_year - latest_year).")
    observed_cagr: float | None = None
    required_cagr: float | None = None
    ratio: float | None = None
    projected_value: float | None = Field(None, description="Latest + observed slope x years to target.")


# ---------------------------------------------------------------- single series


def _clean_points(points: Iterable[tuple[Any, Any]]) -> list[tuple[int, float]]:
    """Sorted (year, value) pairs; missing values dropped; a year given twice raises ValueError."""
    seen: dict[int, float | None] = {}
    for year, value in points:
        y = int(year)
        if y in seen:
            raise ValueError(f"year {y} is given twice; select one value per year first (select_series)")
        seen[y] = None if value is None or pd.isna(value) else float(value)
    for y, v in seen.items():
        if v is not None and math.isinf(v):
            raise ValueError(f"value for year {y} is infinite")
    return sorted((y, v) for y, v in seen.items() if v is not None)


def _slope(points: list[tuple[int, float]]) -> float:
    """Ordinary least-squares slope of value on year (at least two distinct years)."""
    n = len(points)
    xbar = sum(x for x, _ in points) / n
    ybar = sum(y for _, y in points) / n
    sxx = sum((x - xbar) ** 2 for x, _ in points)
    return sum((x - xbar) * (y - ybar) for x, y in points) / sxx


def _cagr(start: float, end: float, years: int, zero: float) -> float | None:
    """(end / start)^(1 / years) - 1, zeros replaced by `zero`; None if the two values differ in sign."""
    a = start if start != 0 else zero
    b = end if end != 0 else zero
    if years <= 0 or (a > 0) != (b > 0):
        return None
    return (b / a) ** (1 / years) - 1


def _fmt(v: float | None) -> str:
    """A value for a sentence: thousands separated, at most two decimals, small values significant."""
    if v is None:
        return "n/a"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if 0 < abs(v) < 1:
        return f"{v:.3g}"
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _pct(rate: float) -> str:
    return f"{rate * 100:+.1f}%/yr"


def _rate(slope: float) -> str:
    return f"{'+' if slope >= 0 else '-'}{_fmt(abs(slope))} per year"


def assess_progress(
    points: Iterable[tuple[int, float]],
    *,
    target_value: float | None,
    target_year: int | None,
    higher_is_better: bool,
    as_of_year: int,
    base_year: int | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> ProgressResult:
    """Assess one series of (year, value) points against a target, in this order of rules:

    1. No target value, no data, or (with `thresholds.max_age`) only stale data: insufficient_data.
    2. Latest value meets the target (>= when higher is better, <= when lower): achieved, even with one point.
    3. Fewer than two points in the trend window (base year, or latest - recent_years, to latest):
       insufficient_data.
    4. No target year: the direction of the least-squares trend decides: toward the target on_track, flat
       limited_progress, away deterioration.
    5. Target year at or before the latest year, not met: deterioration if the trend moves away, else
       limited_progress.
    6. Otherwise R = CAGR_o / CAGR_r (Open SDG), made direction-adjusted: R >= on_track_ratio on_track,
       >= acceleration_ratio acceleration_needed, >= 0 limited_progress, < 0 deterioration. When compound
       growth cannot be computed, R compares the least-squares slope with the required slope instead.

    Points after `as_of_year` are ignored; missing values are dropped, never read as zero.
    """
    th, d = thresholds, (1 if higher_is_better else -1)
    series = [p for p in _clean_points(points) if p[0] <= as_of_year]
    t, yt = series[-1] if series else (None, None)
    start = base_year if base_year is not None else (series[0][0] if series else None)
    if th.recent_years is not None and t is not None and start is not None:
        start = max(start, t - th.recent_years)
    window = [p for p in series if start is not None and p[0] >= start]
    t0, y0 = window[0] if window else (None, None)
    two = len(window) >= 2
    tT, yT = target_year, target_value
    slope = _slope(window) if two else None
    cagr_o = _cagr(y0, yt, t - t0, th.zero_substitute) if two else None
    met = yT is not None and yt is not None and d * (yt - yT) >= 0
    ahead = tT is not None and t is not None and t < tT
    required_slope = (yT - yt) / (tT - t) if ahead and yT is not None else None
    cagr_r = None
    if ahead and yT is not None and t0 is not None:
        cagr_r = _cagr(y0, yT, tT - t0, th.zero_substitute)
    ratio, method, past_target = None, None, False
    if two and ahead and yT is not None and not met:
        sign = d * (1 if (y0 if y0 != 0 else th.zero_substitute) > 0 else -1)
        if cagr_o is not None and cagr_r is not None and cagr_r != 0:
            ratio, method = sign * cagr_o / abs(cagr_r), "cagr"
            past_target = sign * cagr_r < 0
        else:
            ratio, method = d * slope / (d * required_slope), "linear"

    cmp = "at least" if higher_is_better else "at most"
    target_txt = f"the target of {cmp} {_fmt(yT)}" + (f" by {tT}" if tT is not None else "")
    latest_txt = f"the latest value {_fmt(yt)} ({t})"

    def result(status: ProgressStatus, why: str) -> ProgressResult:
        label = STATUS_LABELS[status].lower()
        return ProgressResult(
            status=status, explanation=f"{why[0].upper()}{why[1:]}: {label}.", method=method,
            higher_is_better=higher_is_better,
            direction="higher_is_better" if higher_is_better else "lower_is_better",
            as_of_year=as_of_year, n_points=len(window), base_year=t0, base_value=y0, latest_year=t,
            latest_value=yt, target_value=yT, target_year=tT,
            gap=d * (yT - yt) if yT is not None and yt is not None else None,
            years_left=tT - as_of_year if tT is not None else None, observed_slope=slope,
            required_slope=required_slope, observed_cagr=cagr_o, required_cagr=cagr_r, ratio=ratio,
            projected_value=None if slope is None or tT is None or tT < t else yt + slope * (tT - t),
        )

    S = ProgressStatus
    if yT is None:
        return result(S.INSUFFICIENT_DATA, "no target value could be set (no value for its baseline year)")
    if t is None:
        return result(S.INSUFFICIENT_DATA, f"no data for this series up to {as_of_year}")
    if th.max_age is not None and as_of_year - t > th.max_age:
        return result(S.INSUFFICIENT_DATA, f"{latest_txt} is more than {th.max_age} years old")
    if met:
        return result(S.ACHIEVED, f"{latest_txt} meets {target_txt}")
    if not two:
        n = len(window)
        return result(S.INSUFFICIENT_DATA, f"{latest_txt} does not meet {target_txt}, and with "
                      f"{n} data point{'' if n == 1 else 's'} from {start} on the trend is unknown")
    toward = d * slope
    trend = f"the trend {t0}-{t} ({_rate(slope)})"
    if tT is None:
        status = S.ON_TRACK if toward > 0 else S.LIMITED_PROGRESS if toward == 0 else S.DETERIORATION
        way = "toward it" if toward > 0 else "neither way" if toward == 0 else "away from it"
        return result(status, f"no target year: {latest_txt} does not yet meet {target_txt}; {trend} "
                      f"moves {way}")
    if not ahead:
        status = S.DETERIORATION if toward < 0 else S.LIMITED_PROGRESS
        way = "moves away from it" if toward < 0 else "does not move away from it"
        return result(status, f"the target year {tT} has passed: {latest_txt} does not meet {target_txt}, "
                      f"and {trend} {way}")
    if ratio >= th.on_track_ratio:
        status = S.ON_TRACK
    elif ratio >= th.acceleration_ratio:
        status = S.ACCELERATION_NEEDED
    elif ratio >= 0:
        status = S.LIMITED_PROGRESS
    else:
        status = S.DETERIORATION
    if method == "cagr":
        why = (f"observed growth {_pct(cagr_o)} ({t0}-{t}) is {ratio:.2f} of the {_pct(cagr_r)} required "
               f"from {t0} to reach {target_txt}")
        if past_target:
            why += f" (the {t0} value was already beyond the target, so any fall back is the wrong way)"
        if 0 in (y0, yt, yT):
            why += (f" (a zero was replaced by {th.zero_substitute:g}, which inflates compound growth; "
                    f"the linear projection to {tT} is {_fmt(yt + slope * (tT - t))})")
    else:
        why = (f"observed trend {_rate(slope)} ({t0}-{t}) is {ratio:.2f} of the {_rate(required_slope)} "
               f"still required to reach {target_txt} (compound growth cannot be computed here)")
    return result(status, why)


def resolve_baseline_target(points: Iterable[tuple[int, float]], baseline_year: int | None) -> float | None:
    """Value of a target stated as 'the baseline year's value' (e.g. 'below 2019'): the series' value in
    `baseline_year`, or None when that year has no value (never a neighbouring year, never zero)."""
    if baseline_year is None:
        return None
    return dict(_clean_points(points)).get(int(baseline_year))
