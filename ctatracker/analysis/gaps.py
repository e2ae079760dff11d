"""Gap analysis: how far each country is from each quantitative target, and whether it is on track.

The method is that of Open SDG / Statistics Canada (compound growth observed against compound growth
required), with every input kept beside the status so a reader can redo the sum; docs/methodology.md
explains it in plain language. Pure functions: no I/O, no database, no streamlit. Euro VI standards are
assessed in `ctatracker.analysis.euro`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from enum import StrEnum
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

EURO_INDICATOR = "euro_emission_level"
"""Targets on this indicator are assessed by `ctatracker.analysis.euro`, not by `gap_table`."""


class ProgressStatus(StrEnum):
    """Progress towards a numeric target, best first."""

    ACHIEVED = "achieved"
    ACHIEVED_LATE = "achieved_late"
    ON_TRACK = "on_track"
    ACCELERATION_NEEDED = "acceleration_needed"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"
    MISSED = "missed"
    NOT_ASSESSABLE = "not_assessable"
    INSUFFICIENT_DATA = "insufficient_data"


STATUS_ORDER: tuple[ProgressStatus, ...] = tuple(ProgressStatus)
"""Statuses from best to worst, with not assessable and insufficient data last: the order of legends and tables."""

UNASSESSED: tuple[ProgressStatus, ...] = (ProgressStatus.NOT_ASSESSABLE, ProgressStatus.INSUFFICIENT_DATA)
"""The statuses of a target the figures cannot answer (a passed target judged only on an old figure or one of
another scope; too few figures)."""

STATUS_LABELS: dict[ProgressStatus, str] = {
    ProgressStatus.ACHIEVED: "Target achieved",
    ProgressStatus.ACHIEVED_LATE: "Achieved late",
    ProgressStatus.ON_TRACK: "On track",
    ProgressStatus.ACCELERATION_NEEDED: "Progress, acceleration needed",
    ProgressStatus.LIMITED_PROGRESS: "Limited progress",
    ProgressStatus.DETERIORATION: "Moving away from the target",
    ProgressStatus.MISSED: "Missed",
    ProgressStatus.NOT_ASSESSABLE: "Not assessable",
    ProgressStatus.INSUFFICIENT_DATA: "Insufficient data",
}

OFF_TRACK: tuple[ProgressStatus, ...] = (
    ProgressStatus.ACCELERATION_NEEDED, ProgressStatus.LIMITED_PROGRESS, ProgressStatus.DETERIORATION,
    ProgressStatus.MISSED,
)
"""The statuses counted together as off track in `rollup` (a missed target is off track)."""

ACHIEVED: tuple[ProgressStatus, ...] = (ProgressStatus.ACHIEVED, ProgressStatus.ACHIEVED_LATE)
"""The statuses of a target that has been met, on time or late."""


class Thresholds(BaseModel):
    """Settings of the assessment. Ratio bands are those of Open SDG / Statistics Canada; the recent window
    and the base floor are the tracker's own, so that growth from a tiny base never reads as on track."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    on_track_ratio: float = Field(0.95, gt=0, description="R at or above this: on track.")
    acceleration_ratio: float = Field(0.60, ge=0, description="R at or above this (below on track): "
                                      "progress, acceleration needed; from 0 up to it: limited progress.")
    zero_substitute: float = Field(0.001, gt=0, description="Replaces a zero value in compound growth.")
    recent_years: int | None = Field(5, ge=1, description="Trend measured over only the last N years "
                                     "before the latest value; None: the whole period from the base year.")
    base_floor: float = Field(0.05, ge=0, lt=1, description="Compound growth is never measured from a base "
                              "below this fraction of the target value: the base moves to the first value "
                              "at or above it (higher is better only); 0: no floor.")
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
    Two paces are compared with the pace required, both direction-adjusted (R < 0: the wrong way):
    `ratio` is compound growth observed over compound growth required (Open SDG), from `cagr_base_year`;
    `ratio_linear` is the least-squares slope over the slope still required from the latest value. Each
    gives a status (`status_cagr`, `status_linear`); `status` is the more cautious of the two, and `method`
    names the one that decided it ('cagr' or 'linear').
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
    cagr_base_year: int | None = Field(None, description="Year compound growth is measured from (at or "
                                       "after base_year: the first value above the floor).")
    observed_cagr: float | None = None
    required_cagr: float | None = None
    ratio: float | None = None
    ratio_linear: float | None = None
    status_cagr: ProgressStatus | None = None
    status_linear: ProgressStatus | None = None
    achieved_year: int | None = Field(None, description="First year the target was met (achieved late).")
    projected_value: float | None = Field(None, description="Latest + observed slope x years to target, "
                                          "kept within the indicator's bounds (0-100 for a share).")


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


def _band(ratio: float, th: Thresholds) -> ProgressStatus:
    """The status of a direction-adjusted pace ratio R."""
    if ratio >= th.on_track_ratio:
        return ProgressStatus.ON_TRACK
    if ratio >= th.acceleration_ratio:
        return ProgressStatus.ACCELERATION_NEEDED
    return ProgressStatus.LIMITED_PROGRESS if ratio >= 0 else ProgressStatus.DETERIORATION


def _bounded(value: float, low: float | None, high: float | None) -> float:
    return min(max(value, low if low is not None else value), high if high is not None else value)


def assess_progress(
    points: Iterable[tuple[int, float]],
    *,
    target_value: float | None,
    target_year: int | None,
    higher_is_better: bool,
    as_of_year: int,
    base_year: int | None = None,
    upper_bound: float | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> ProgressResult:
    """Assess one series of (year, value) points against a target, in this order of rules:

    1. No target value, no data, or (with `thresholds.max_age`) only stale data: insufficient_data.
    2. Latest value meets the target (>= when higher is better, <= when lower): achieved, even with one
       point; achieved_late when no value up to the target year met it (the first year that did is kept).
    3. Target year before the as-of year and not met: missed, even with one point.
    4. Fewer than two points in the trend window (the last `recent_years` up to the latest, not before
       `base_year`): insufficient_data.
    5. No target year: the direction of the least-squares trend decides.
    6. Otherwise two paces against the pace required: R = CAGR_o / CAGR_r (Open SDG, measured from the
       first value at or above `base_floor` x target) and R_linear = slope / slope still required. Each is
       banded (>= on_track_ratio on_track, >= acceleration_ratio acceleration_needed, >= 0 limited_progress,
       < 0 deterioration); the status is the more cautious of the two.

    Points after `as_of_year` are ignored; missing values are dropped, never read as zero. The straight-line
    projection is kept within [0, upper_bound] for a non-negative series (a share never exceeds 100%).
    """
    th, d = thresholds, (1 if higher_is_better else -1)
    series = [p for p in _clean_points(points) if p[0] <= as_of_year]
    t, yt = series[-1] if series else (None, None)
    start = base_year if base_year is not None else (series[0][0] if series else None)
    if th.recent_years is not None and t is not None and start is not None:
        start = max(start, t - th.recent_years)
    window = [p for p in series if start is not None and p[0] >= start]
    t0, y0 = window[0] if window else (None, None)
    tT, yT = target_year, target_value
    two = len(window) >= 2
    slope = _slope(window) if two else None
    met = yT is not None and yt is not None and d * (yt - yT) >= 0
    ahead = tT is not None and t is not None and t < tT
    floor = th.base_floor * abs(yT) if higher_is_better and yT is not None else None
    cagr_window = [p for p in window if floor is None or p[1] >= floor]
    cagr_window = cagr_window if len(cagr_window) >= 2 else []
    c0, cy0 = cagr_window[0] if cagr_window else (None, None)
    cagr_o = _cagr(cy0, yt, t - c0, th.zero_substitute) if cagr_window else None
    required_slope = (yT - yt) / (tT - t) if ahead and yT is not None else None
    cagr_r = _cagr(cy0, yT, tT - c0, th.zero_substitute) if ahead and yT is not None and c0 is not None else None
    ratio = ratio_linear = status_c = status_l = None
    past_target = False
    if two and ahead and yT is not None and not met:
        if cagr_o is not None and cagr_r is not None and cagr_r != 0:
            sign = d * (1 if (cy0 if cy0 != 0 else th.zero_substitute) > 0 else -1)
            ratio, past_target = sign * cagr_o / abs(cagr_r), sign * cagr_r < 0
            status_c = _band(ratio, th)
        ratio_linear = d * slope / (d * required_slope) if required_slope else None
        status_l = _band(ratio_linear, th) if ratio_linear is not None else None
    decided = [x for x in ((status_c, "cagr"), (status_l, "linear")) if x[0] is not None]
    status_paced, method = max(decided, key=lambda x: STATUS_ORDER.index(x[0])) if decided else (None, None)
    nonneg = bool(series) and all(v >= 0 for _, v in series)
    projected = None
    if slope is not None and tT is not None and tT >= t:
        projected = _bounded(yt + slope * (tT - t), 0.0 if nonneg else None, upper_bound if nonneg else None)
    achieved_year = None
    if met and tT is not None and t > tT and not any(d * (v - yT) >= 0 for y, v in series if y <= tT):
        achieved_year = next(y for y, v in series if y > tT and d * (v - yT) >= 0)

    cmp = "at least" if higher_is_better else "at most"
    target_txt = f"the target of {cmp} {_fmt(yT)}" + (f" by {tT}" if tT is not None else "")
    latest_txt = f"the latest value {_fmt(yt)} ({t})"

    def result(status: ProgressStatus, why: str) -> ProgressResult:
        label = STATUS_LABELS[status].lower()
        if status is ProgressStatus.ACHIEVED_LATE:
            label = f"achieved late ({achieved_year})"
        return ProgressResult(
            status=status, explanation=f"{why[0].upper()}{why[1:]}: {label}.", method=method,
            higher_is_better=higher_is_better,
            direction="higher_is_better" if higher_is_better else "lower_is_better",
            as_of_year=as_of_year, n_points=len(window), base_year=t0, base_value=y0, latest_year=t,
            latest_value=yt, target_value=yT, target_year=tT,
            gap=d * (yT - yt) if yT is not None and yt is not None else None,
            years_left=tT - as_of_year if tT is not None else None, observed_slope=slope,
            required_slope=required_slope, cagr_base_year=c0, observed_cagr=cagr_o, required_cagr=cagr_r,
            ratio=ratio, ratio_linear=ratio_linear, status_cagr=status_c, status_linear=status_l,
            achieved_year=achieved_year, projected_value=projected,
        )

    S = ProgressStatus
    if yT is None:
        return result(S.INSUFFICIENT_DATA, "no target value could be set (no value for its baseline year)")
    if t is None:
        return result(S.INSUFFICIENT_DATA, f"no data for this series up to {as_of_year}")
    if th.max_age is not None and as_of_year - t > th.max_age:
        return result(S.INSUFFICIENT_DATA, f"{latest_txt} is more than {th.max_age} years old")
    if met and achieved_year is not None:
        return result(S.ACHIEVED_LATE, f"{latest_txt} meets {target_txt}, first in {achieved_year}, after "
                      "the target year")
    if met:
        return result(S.ACHIEVED, f"{latest_txt} meets {target_txt}")
    if tT is not None and tT < as_of_year:
        when = "" if t >= tT else f"; no value for {tT} or later is recorded"
        return result(S.MISSED, f"the target year {tT} has passed and {latest_txt} does not meet "
                      f"{target_txt}{when}")
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
        return result(status, f"the target year {tT} is under way: {latest_txt} does not yet meet "
                      f"{target_txt}, and {trend} {way}")
    parts = []
    if ratio is not None:
        part = (f"compound growth {_pct(cagr_o)} ({c0}-{t}) is {ratio:.2f} of the {_pct(cagr_r)} required "
                f"from {c0}")
        if past_target:
            part += f" (the {c0} value was already beyond the target, so any fall back is the wrong way)"
        if 0 in (cy0, yt, yT):
            part += f" (a zero was replaced by {th.zero_substitute:g}, which inflates compound growth)"
        parts.append(part)
    elif floor is not None and len(window) >= 2 and not cagr_window:
        parts.append(f"compound growth is not used: fewer than two values from {t0} reach {_fmt(floor)}, "
                     f"{th.base_floor:.0%} of the target")
    if ratio_linear is not None:
        parts.append(f"the straight-line trend {t0}-{t} ({_rate(slope)}) is {ratio_linear:.2f} of the "
                     f"{_rate(required_slope)} still required and reaches {_fmt(projected)} in {tT}")
    why = f"to reach {target_txt}: " + "; ".join(parts)
    if status_c is not None and status_l is not None and status_c is not status_l:
        why += (f". The two methods disagree ({STATUS_LABELS[status_c].lower()} by compound growth, "
                f"{STATUS_LABELS[status_l].lower()} by the straight line); the more cautious is shown")
    return result(status_paced, why)


def resolve_baseline_target(points: Iterable[tuple[int, float]], baseline_year: int | None) -> float | None:
    """Value of a target stated as 'the baseline year's value' (e.g. 'below 2019'): the series' value in
    `baseline_year`, or None when that year has no value (never a neighbouring year, never zero)."""
    if baseline_year is None:
        return None
    return dict(_clean_points(points)).get(int(baseline_year))
