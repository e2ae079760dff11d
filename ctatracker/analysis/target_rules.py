"""Rules that keep a status from claiming more than its figure: the target's own scope, the source's rounding, and
a passed target judged only on an old figure or one of another scope. Pure functions: no I/O.

`gap_tables.gap_table` assesses each series with `gaps.assess_progress`, then passes the result through
`apply_rules`, which may mark it indicative, hold back 'achieved', or turn 'missed' into 'not assessable'.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ctatracker.analysis.gaps import ACHIEVED, ProgressResult, ProgressStatus
from ctatracker.text.naming import MODE_WORDS, mode_list

COMMUNIQUE_MODES: tuple[str, ...] = ("cars", "two_three_wheelers", "buses", "vans", "trucks")
"""The vehicle types whose sales make up 'total vehicle sales' (the communique names 2/3-wheelers, cars, trucks,
buses; vans are light commercial vehicles)."""


def target_vehicle_types(target: dict[str, Any]) -> tuple[str, ...]:
    """The vehicle types an all-vehicle target counts: its own `vehicle_types`, else the communique's."""
    text = target.get("vehicle_types")
    if not isinstance(text, str) or not text.strip():
        return COMMUNIQUE_MODES
    return tuple(p.strip() for p in text.split(";") if p.strip())


def rounding_margin(value: float, digits: int = 2) -> float:
    """Half a unit of the `digits`-th significant figure of `value`: 45 -> 0.5, 7.3 -> 0.05, 0 -> 0."""
    if value == 0 or not math.isfinite(value):
        return 0.0
    return 0.5 * 10 ** (math.floor(math.log10(abs(value))) - digits + 1)


@dataclass(frozen=True)
class Fit:
    """How a figure fits the target: whether it covers what the target counts, what differs, and whether a
    status resting on it is indicative only."""

    scope_match: bool
    difference: str | None
    indicative: bool


def fit(target: dict[str, Any], kind: str, basis_mode: str | None, coverage_missing: tuple[str, ...] = ()) -> Fit:
    """The fit of a figure of basis `kind` ('reported', 'derived', 'proxy', 'none') to `target`."""
    note = target.get("scope_note")
    if kind == "none":
        return Fit(True, None, False)
    if isinstance(note, str) and note.strip():
        counted = MODE_WORDS.get(str(basis_mode), str(basis_mode).replace("_", " "))
        return Fit(False, f"the target counts {note.strip().rstrip('.')}; the figure counts all {counted}", True)
    if kind == "proxy":
        return Fit(False, f"{mode_list([str(basis_mode)])} only, not all vehicles", True)
    if coverage_missing:
        return Fit(False, f"{mode_list(list(coverage_missing))} not covered by the figure", False)
    return Fit(True, None, False)


def apply_rules(res: ProgressResult, target: dict[str, Any], fitted: Fit, *, unit: Any,
                reassess: Callable[[float], ProgressResult]) -> ProgressResult:
    """The result with the rules applied, in this order:

    1. 'Achieved' needs a share beyond the source's rounding of the target: one within half a unit of the
       target's second significant figure is re-assessed against the target plus that margin.
    2. A passed target judged only on a figure more than a year before its target year, or on a figure of
       another scope, is 'not assessable', with the reason.
    `reassess(value)` assesses the same series against another target value.
    """
    if res.status in ACHIEVED and res.target_value is not None and res.latest_value is not None:
        d = 1 if res.higher_is_better else -1
        margin = rounding_margin(res.target_value) if unit == "percent" else 0.0
        if d * (res.latest_value - res.target_value) < margin:
            redo = reassess(res.target_value + d * margin)
            text = (f"The latest value {res.latest_value:.3g} ({res.latest_year}) is within the source's rounding "
                    "of the target (shares are published to two significant figures), so it is not counted as "
                    f"met. {redo.explanation}")
            res = redo.model_copy(update={"target_value": res.target_value, "gap": res.gap, "explanation": text})
    if res.status is ProgressStatus.MISSED and res.target_year is not None and res.latest_year is not None:
        old = res.latest_year < res.target_year - 1
        if old or (not fitted.scope_match and fitted.indicative):
            reasons = []
            if old:
                reasons.append(f"the latest figure is from {res.latest_year}, years before the target year "
                               f"{res.target_year}")
            if fitted.indicative:
                reasons.append(f"it is of another scope ({fitted.difference})")
            text = (f"The target year {res.target_year} has passed, but {' and '.join(reasons)}: whether it was "
                    "met cannot be told from the figures held: not assessable.")
            res = res.model_copy(update={"status": ProgressStatus.NOT_ASSESSABLE, "explanation": text})
    return res
