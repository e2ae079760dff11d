"""Transport CO2 against 2019: the communique's third ambition, country by country and for the region.

For each country the series of `transport_co2` is one measure from one source family (`select_series`, as the gap
analysis chooses series: the family with most years, the newest edition for each year). The latest year is
compared with 2019 (percent change; within `TOLERANCE_PCT` it is *about* the 2019 level), the direction since the
pandemic is measured from `TREND_FROM` (the pandemic years 2020 and 2021 are never a trend's start or end), and a
country above 2019 gets the yearly change it needs to be back at its 2019 level by `HORIZON`. The regional total
sums the countries whose series holds both years. docs/methodology.md section 7 explains it with worked numbers.
Pure functions: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from ctatracker.analysis.gap_tables import plain_values, select_series, usable_points
from ctatracker.analysis.gaps import DEFAULT_THRESHOLDS, STATUS_LABELS, ProgressStatus, Thresholds

INDICATOR = "transport_co2"
BASE_YEAR = 2019
PANDEMIC_YEARS = (2020, 2021)
TREND_FROM = 2022
"""The first year after the pandemic years: a trend runs from it (or the first later year with a figure) to the
latest year, so 2020 and 2021 are never used for a trend, alone or as its base."""
HORIZON = 2030
TOLERANCE_PCT = 2.0
"""The tracker's own margin (not a source's): a latest figure within ±2% of 2019, inclusive, is 'about the 2019
level', a difference small enough for a source's precision and its revisions to move, so neither below nor above."""


class Level(StrEnum):
    """Where the latest figure stands against 2019."""

    BELOW = "below"
    ABOUT = "about"
    ABOVE = "above"
    NO_FIGURE = "no_figure"


@dataclass(frozen=True)
class Point:
    """One figure: year, value (Mt CO2), the source it comes from."""

    year: int
    value: float
    source_id: str


@dataclass(frozen=True)
class Co2Assessment:
    """One country's transport CO2 against 2019. `indicative`: its 2019 figure comes from another source than
    its series (no 2019 figure in the series); `others`: other sources' figures for the years used."""

    country_iso3: str
    country_name: str
    level: Level
    indicative: bool
    series: tuple[Point, ...]
    base: Point | None
    latest: Point | None
    change_pct: float | None
    trend_from: Point | None
    trend_pct: float | None
    pace_needed_pct: float | None
    others: tuple[Point, ...]
    reason: str = ""
    """Why there is no comparison, in words ('' when there is one)."""

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The sources of the figures used (2019, the trend's base, the latest) and of the others listed."""
        used = [p.source_id for p in (self.base, self.trend_from, self.latest, *self.others) if p is not None]
        return tuple(sorted(set(used)))


@dataclass(frozen=True)
class RegionalCo2:
    """The region's transport CO2 in `year` against 2019, over the countries whose series holds both years,
    with the weight of the largest emitter and the total without it."""

    year: int | None
    countries: tuple[str, ...]
    of_countries: int
    total: float | None
    base_total: float | None
    change_pct: float | None
    largest: str | None
    largest_share_pct: float | None
    without_total: float | None
    without_base_total: float | None
    without_change_pct: float | None
    source_ids: tuple[str, ...] = ()


def pct_change(value: float, base: float) -> float:
    """Percent change from `base` to `value`: 79.79 against 73.78 -> +8.15."""
    return (value / base - 1.0) * 100.0


def level_of(change_pct: float, tolerance: float = TOLERANCE_PCT) -> Level:
    """Below, about (within ±tolerance, inclusive) or above 2019."""
    if abs(change_pct) <= tolerance:
        return Level.ABOUT
    return Level.BELOW if change_pct < 0 else Level.ABOVE


def yearly_rate(first: Point, last: Point) -> float:
    """Compound change in percent a year from `first` to `last` (later year)."""
    return ((last.value / first.value) ** (1.0 / (last.year - first.year)) - 1.0) * 100.0


def trend(series: tuple[Point, ...] | list[Point], latest: Point) -> tuple[Point, float] | None:
    """(base, percent a year) from the first figure of `TREND_FROM` or later to `latest`; None with fewer than
    two figures in that window (the pandemic years are never used)."""
    window = [p for p in series if TREND_FROM <= p.year < latest.year and p.value > 0]
    if not window or latest.value <= 0:
        return None
    return window[0], yearly_rate(window[0], latest)


def pace_needed(latest: Point, base_value: float, horizon: int = HORIZON) -> float | None:
    """Percent a year from the latest figure to be back at the 2019 value by `horizon` (None once it is reached
    or passed)."""
    if latest.year >= horizon or latest.value <= 0 or base_value <= 0:
        return None
    return ((base_value / latest.value) ** (1.0 / (horizon - latest.year)) - 1.0) * 100.0


def _points(frame: pd.DataFrame) -> list[Point]:
    return [Point(int(y), float(v), str(s)) for y, v, s in
            zip(frame["year"], frame["value"], frame["source_id"], strict=True)]


def assess_country(iso3: str, name: str, series: list[Point], others: list[Point]) -> Co2Assessment:
    """One country from its series (one source family, one figure a year, oldest first) and the figures of other
    sources (`others`: yearly figures not in the series)."""
    series = sorted(series, key=lambda p: p.year)
    latest = series[-1] if series else None
    base = next((p for p in series if p.year == BASE_YEAR), None)
    indicative = False
    if base is None:  # a 2019 figure of another source: a comparison across sources, indicative only
        base = next((p for p in sorted(others, key=lambda p: -p.year) if p.year == BASE_YEAR), None)
        indicative = base is not None
    empty = dict(change_pct=None, trend_from=None, trend_pct=None, pace_needed_pct=None)
    if latest is None or base is None or latest.year <= BASE_YEAR or base.value <= 0:
        reason = ("no transport CO₂ figure" if latest is None else f"no {BASE_YEAR} figure to compare with"
                  if base is None else f"no figure after {BASE_YEAR}" if latest.year <= BASE_YEAR
                  else f"the {BASE_YEAR} figure is zero")
        listed = tuple(p for p in others if latest is not None and p.year in (BASE_YEAR, latest.year))
        return Co2Assessment(iso3, name, Level.NO_FIGURE, False, tuple(series), base, latest, **empty,
                             others=listed, reason=reason)
    change = pct_change(latest.value, base.value)
    level = level_of(change)
    found = trend(series, latest)
    pace = pace_needed(latest, base.value) if level is Level.ABOVE else None
    used = {BASE_YEAR, latest.year, *([found[0].year] if found else [])}
    listed = tuple(p for p in others if p.year in used and p != base)
    return Co2Assessment(iso3, name, level, indicative, tuple(series), base, latest, change,
                         found[0] if found else None, found[1] if found else None, pace, listed)


def co2_assessments(observations: pd.DataFrame, countries: pd.DataFrame, as_of_year: int | None = None
                    ) -> list[Co2Assessment]:
    """Every country in `countries` (iso3, name) against 2019, from the observations of `transport_co2`
    (years after `as_of_year` ignored); a country without a figure gets `Level.NO_FIGURE`, never a zero."""
    obs = observations[observations["indicator_code"] == INDICATOR] if not observations.empty else observations
    if as_of_year is not None and not obs.empty:
        obs = obs[obs["year"] <= as_of_year]
    series = select_series(obs) if not obs.empty else pd.DataFrame(columns=["country_iso3", "year"])
    usable = usable_points(plain_values(obs)) if not obs.empty else pd.DataFrame(columns=["country_iso3"])
    out = []
    for iso3, name in zip(countries["iso3"], countries["name"], strict=True):
        mine = _points(series[series["country_iso3"] == iso3].sort_values("year"))
        chosen = {(p.year, p.source_id) for p in mine}
        theirs = usable[usable["country_iso3"] == iso3].sort_values(["year", "source_id"])
        others = [p for p in _points(theirs) if (p.year, p.source_id) not in chosen]
        out.append(assess_country(str(iso3), str(name), mine, others))
    return out


def progress_status(a: Co2Assessment, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> ProgressStatus:
    """The assessment in the gap analysis's statuses (for the CO2 target's row among every target): below ->
    achieved; about -> not assessable (within the margin, neither below nor above); above -> the observed
    yearly change since `TREND_FROM` against the change needed by 2030, in Open SDG's bands (rising: moving
    away); no figure or no trend -> insufficient data."""
    if a.level is Level.BELOW:
        return ProgressStatus.ACHIEVED
    if a.level is Level.ABOUT:
        return ProgressStatus.NOT_ASSESSABLE
    if a.level is Level.NO_FIGURE or a.trend_pct is None:
        return ProgressStatus.INSUFFICIENT_DATA
    if a.pace_needed_pct is None:
        return ProgressStatus.MISSED
    if a.trend_pct > 0:
        return ProgressStatus.DETERIORATION
    ratio = a.trend_pct / a.pace_needed_pct
    if ratio >= thresholds.on_track_ratio:
        return ProgressStatus.ON_TRACK
    if ratio >= thresholds.acceleration_ratio:
        return ProgressStatus.ACCELERATION_NEEDED
    return ProgressStatus.LIMITED_PROGRESS


def regional_co2(assessments: list[Co2Assessment]) -> RegionalCo2:
    """The regional total: the year most countries' series reach (the later on a tie), summed over the countries
    whose own series holds 2019 and that year (indicative comparisons across sources left out), against their
    2019 total; the largest emitter's share of it and the total without it."""
    have = [a for a in assessments if not a.indicative and a.base is not None]
    years: dict[int, list[Co2Assessment]] = {}
    for a in have:
        for p in a.series:
            if p.year > BASE_YEAR:
                years.setdefault(p.year, []).append(a)
    n = len(assessments)
    if not years:
        return RegionalCo2(None, (), n, None, None, None, None, None, None, None, None)
    year = max(years, key=lambda y: (len(years[y]), y))
    used = sorted(years[year], key=lambda a: a.country_iso3)
    now = {a.country_iso3: next(p for p in a.series if p.year == year) for a in used}
    then = {a.country_iso3: a.base for a in used}
    total = sum(p.value for p in now.values())
    base_total = sum(p.value for p in then.values() if p is not None)
    largest = max(now, key=lambda k: now[k].value)
    without = total - now[largest].value
    without_base = base_total - then[largest].value if then[largest] is not None else None
    ids = tuple(sorted({p.source_id for p in (*now.values(), *then.values()) if p is not None}))
    return RegionalCo2(
        year, tuple(now), n, total, base_total, pct_change(total, base_total) if base_total else None, largest,
        now[largest].value / total * 100.0 if total else None, without if len(used) > 1 else None,
        without_base if len(used) > 1 else None,
        pct_change(without, without_base) if len(used) > 1 and without_base else None, ids)


def with_co2_status(gap: pd.DataFrame, assessments: list[Co2Assessment]) -> pd.DataFrame:
    """The gap table with the regional 'below 2019' target's rows taking their status from the CO2 assessment
    (the generic pace rule would read a target without a year as 'moving away'), so that every table, count and
    chart built on the gap table says what the CO2 findings say."""
    if gap.empty:
        return gap
    by_iso = {a.country_iso3: a for a in assessments}
    rows = (gap["indicator_code"] == INDICATOR) & (gap["target_scope"] == "regional")
    out = gap.copy()
    for i in out.index[rows]:
        a = by_iso.get(out.at[i, "country_iso3"])
        if a is None:
            continue
        status = progress_status(a)
        out.at[i, "status"] = status.value
        out.at[i, "status_label"] = STATUS_LABELS[status] + (" (indicative)" if a.indicative else "")
        if a.latest is not None:
            out.at[i, "latest_value"], out.at[i, "latest_year"] = a.latest.value, a.latest.year
    return out
