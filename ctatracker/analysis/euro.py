"""Euro VI assessment: how far each country's vehicle emission standards are from the Euro 6 level by 2030.

A standard step counts as in force once it is adopted (status in_force or scheduled) and its date has come;
a pledged step never counts as in force. Pure functions: no I/O. See docs/methodology.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date
from enum import Enum, StrEnum
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict

VEHICLE_CLASSES: tuple[str, ...] = ("light_duty", "heavy_duty")
"""Vehicle classes reported by `euro_table`."""

ADOPTED = ("in_force", "scheduled")


class EuroStatus(StrEnum):
    """Where a country stands on the goal level, best first."""

    IN_FORCE = "in_force"
    SCHEDULED = "scheduled"
    PLEDGED = "pledged"
    NOT_SCHEDULED = "not_scheduled"
    NO_DATA = "no_data"


EURO_STATUS_LABELS: dict[EuroStatus, str] = {
    EuroStatus.IN_FORCE: "In force",
    EuroStatus.SCHEDULED: "Adopted, takes effect by the deadline",
    EuroStatus.PLEDGED: "Pledged, not yet adopted",
    EuroStatus.NOT_SCHEDULED: "Not scheduled by the deadline",
    EuroStatus.NO_DATA: "No data",
}


class EuroResult(BaseModel):
    """Euro-level status of one country and vehicle class, with the inputs behind it.

    levels_to_climb counts from level 0 when no standard is in force; years_left may be negative once the
    deadline has passed. goal_year is the year of the step that decides the status (for not_scheduled, the
    year of a goal-level step planned after the deadline, if any).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: EuroStatus
    current_level: int | None
    current_since: int | None
    goal_level: int
    goal_year: int | None
    deadline_year: int
    levels_to_climb: int | None
    years_left: int
    source_ids: tuple[str, ...]
    explanation: str


class _Step(BaseModel):
    model_config = ConfigDict(frozen=True)

    euro_level: int
    effective_year: int
    effective_date: date | None
    status: str
    local_name: str | None
    source_id: str | None

    @property
    def starts(self) -> date:
        return self.effective_date or date(self.effective_year, 1, 1)

    @property
    def name(self) -> str:
        """'Euro 6 (BS-VI)'; the local name left out when it only repeats the Euro level ('Euro VI')."""
        roman = ("", "I", "II", "III", "IV", "V", "VI", "VII")[self.euro_level]
        local = "".join((self.local_name or "").split()).replace("-", "").casefold()
        same = local in {f"euro{self.euro_level}", f"euro{roman}".casefold(), ""}
        return f"Euro {self.euro_level}" + ("" if same else f" ({self.local_name})")


def _get(step: Any, name: str) -> Any:
    """A field of a dict, pandas row or object; NaN, NaT and '' read as None; enums as their value."""
    v = step.get(name) if isinstance(step, Mapping | pd.Series) else getattr(step, name, None)
    if isinstance(v, Enum):
        v = v.value
    if v is None or v is pd.NaT or v is pd.NA or v == "" or (isinstance(v, float) and math.isnan(v)):
        return None
    return v


def _step(raw: Any) -> _Step:
    when = _get(raw, "effective_date")
    if isinstance(when, pd.Timestamp):
        when = when.date()
    elif isinstance(when, str):
        when = date.fromisoformat(when)
    status = _get(raw, "status")
    if status not in (*ADOPTED, "pledged"):
        raise ValueError(f"unknown standard status {status!r}; expected in_force, scheduled or pledged")
    return _Step(euro_level=int(_get(raw, "euro_level")), effective_year=int(_get(raw, "effective_year")),
                 effective_date=when, status=status, local_name=_get(raw, "local_name"),
                 source_id=_get(raw, "source_id"))


def assess_euro_vi(
    steps: Iterable[Any], *, as_of: date, deadline_year: int = 2030, goal_level: int = 6
) -> EuroResult:
    """Assess the standard steps (dicts, rows or objects) of one country and vehicle class.

    current level: highest step adopted (in_force or scheduled) whose date (or 1 January of its year) is on
    or before `as_of`. Status: in_force when a step at or above `goal_level` is in force; scheduled when one
    is adopted for a year <= deadline_year; pledged when one is only pledged for such a year; not_scheduled
    when steps exist but none reaches the goal level by the deadline; no_data when there are no steps.
    """
    items = sorted((_step(s) for s in steps), key=lambda s: (s.starts, s.euro_level))
    years_left = deadline_year - as_of.year
    ids = tuple(sorted({s.source_id for s in items if s.source_id}))
    if not items:
        return EuroResult(status=EuroStatus.NO_DATA, current_level=None, current_since=None,
                          goal_level=goal_level, goal_year=None, deadline_year=deadline_year,
                          levels_to_climb=None, years_left=years_left, source_ids=ids,
                          explanation="No emission standard recorded: no data.")
    in_force = [s for s in items if s.status in ADOPTED and s.starts <= as_of]
    current = max(in_force, key=lambda s: (s.euro_level, s.starts)) if in_force else None
    goal_steps = [s for s in items if s.euro_level >= goal_level]
    by_deadline = [s for s in goal_steps if s.effective_year <= deadline_year]
    now = f"{current.name} in force since {current.effective_year}" if current else "No standard in force yet"
    if current and current.euro_level >= goal_level:
        status, decisive = EuroStatus.IN_FORCE, current
        why = f"{now}, at or above the Euro {goal_level} goal"
    elif adopted := [s for s in by_deadline if s.status in ADOPTED]:
        status, decisive = EuroStatus.SCHEDULED, adopted[0]
        why = f"{now}; {decisive.name} adopted for {decisive.effective_year}, by the {deadline_year} deadline"
    elif pledged := [s for s in by_deadline if s.status == "pledged"]:
        status, decisive = EuroStatus.PLEDGED, pledged[0]
        late = " (that date has passed)" if decisive.starts <= as_of else ""
        why = f"{now}; {decisive.name} only pledged for {decisive.effective_year}{late}, not yet adopted"
    elif goal_steps:
        status, decisive = EuroStatus.NOT_SCHEDULED, goal_steps[0]
        when = decisive.effective_year
        why = f"{now}; {decisive.name} planned only for {when}, after the {deadline_year} deadline"
    else:
        status, decisive = EuroStatus.NOT_SCHEDULED, None
        why = f"{now}; no Euro {goal_level} step recorded"
    level = current.euro_level if current else 0
    return EuroResult(
        status=status, current_level=current.euro_level if current else None,
        current_since=current.effective_year if current else None, goal_level=goal_level,
        goal_year=decisive.effective_year if decisive else None, deadline_year=deadline_year,
        levels_to_climb=max(goal_level - level, 0), years_left=years_left, source_ids=ids,
        explanation=f"{why}: {EURO_STATUS_LABELS[status].lower()}.",
    )


EURO_COLUMNS: list[str] = ["country_iso3", "country_name", "vehicle_class", *EuroResult.model_fields]
"""Columns of `euro_table`; source_ids joined with '; '."""


def euro_table(
    emission_standards: pd.DataFrame, countries: pd.DataFrame, as_of: date, *,
    deadline_year: int = 2030, goal_level: int = 6,
) -> pd.DataFrame:
    """One row per country in `countries` (iso3, name) and vehicle class (light_duty, heavy_duty)."""
    es = emission_standards
    steps_by_key: dict[tuple[str, str], list[dict]] = {}
    for step in es.to_dict("records") if len(es) else []:
        vc = step["vehicle_class"]
        steps_by_key.setdefault((str(step["country_iso3"]), vc.value if isinstance(vc, Enum) else vc), []).append(step)
    rows = []
    for code, name in zip(countries["iso3"], countries["name"], strict=True):
        for vc in VEHICLE_CLASSES:
            steps = steps_by_key.get((code, vc), [])
            res = assess_euro_vi(steps, as_of=as_of, deadline_year=deadline_year, goal_level=goal_level)
            row = res.model_dump(mode="json")
            rows.append({"country_iso3": code, "country_name": name, "vehicle_class": vc,
                         **row, "source_ids": "; ".join(row["source_ids"])})
    return pd.DataFrame(rows, columns=EURO_COLUMNS)
