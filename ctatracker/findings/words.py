"""The tracker's sentences: every claim about a country or the region is worded here, once, from finding objects.

Two forms: `plain` (one line for a minister's adviser) and `technical` (the method's figures, for the methodology
reader). Numbers are rounded for reading: a percentage to one decimal, anything else to three significant figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ctatracker.text.naming import MODE_WORDS, mode_list

UNIT_WORDS = {"percent": "%", "vehicles": " vehicles", "charging_points": " charging points",
              "charging_stations": " charging stations", "mt_co2": " Mt CO₂", "mt_co2e": " Mt CO₂e",
              "euro_level": "", "km": " km"}
STRENGTH_WORDS = {"law": "its target in law", "policy": "its policy target", "pledge": "its pledge",
                  "aspirational": "its aspiration"}
"""How a national target is named, by its recorded strength: a pledge or an aspiration is never 'its national
target'."""


def sig(value: float, digits: int = 3) -> str:
    """A number to at most `digits` significant figures, thousands separated: 49150 -> '49,200', 2.154 -> '2.15'."""
    v = float(value)
    if v == 0 or not math.isfinite(v):
        return "0" if v == 0 else str(v)
    rounded = round(v, digits - 1 - math.floor(math.log10(abs(v))))
    if abs(rounded) >= 1000 or float(rounded).is_integer():
        return f"{rounded:,.0f}"
    return f"{rounded:,.{max(0, digits - 1 - math.floor(math.log10(abs(rounded))))}f}".rstrip("0").rstrip(".")


def value_text(value: float, unit: str) -> str:
    """A value with its unit, rounded for reading: '2.2%', '49,200 vehicles', '150 Mt CO₂'."""
    if unit == "percent":
        return f"{value:.1f}%"
    return f"{sig(value)}{UNIT_WORDS.get(unit, ' ' + unit.replace('_', ' '))}"


def names(items: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'; 'none' for an empty list."""
    items = list(items)
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def scope_words(mode: Any) -> str:
    """A vehicle scope in words: 'all vehicles', 'cars', '2/3-wheelers'; '' when none applies."""
    text = str(getattr(mode, "value", mode))
    return "" if text in ("not_applicable", "None", "nan") else MODE_WORDS.get(text, text.replace("_", " "))


def target_words(target: dict[str, Any], unit: str, indicator_name: str) -> str:
    """The target named as firmly as it is recorded: 'the regional ambition of 30% EV sales share (all vehicles)
    by 2030', 'its aspiration (contested) of 30% ... by 2030', 'its pledge of 2,450,000 vehicles by 2028'."""
    regional = not isinstance(target.get("country_iso3"), str) or not target.get("country_iso3")
    wording = str(target.get("wording") or "")
    if regional:
        kind = "the regional ambition"
    else:
        kind = STRENGTH_WORDS.get(str(target.get("strength")), "its stated target")
        if "contested" in wording.lower():
            kind += " (contested)"
        if str(target.get("conditional")).lower() == "true":
            kind += " (conditional on support)"
    value = target.get("target_value")
    year = target.get("target_year")
    scope = scope_words(target.get("mode"))
    types = target.get("vehicle_types")
    if isinstance(types, str) and types.strip():
        scope = mode_list([t.strip() for t in types.split(";") if t.strip()])
    what = lower_first(indicator_name)
    amount = (f"{sig(float(value))}%" if unit == "percent" else sig(float(value)) if unit in COUNTED
              else value_text(float(value), unit)) if _present(value) else ""
    goal = (f"{amount} {what}" if _present(value)
            else f"{what} below its {int(target['baseline_year'])} level" if _present(target.get("baseline_year"))
            else what)
    return (f"{kind} of {goal.strip()}" + (f" ({scope})" if scope else "")
            + (f" by {int(year)}" if _present(year) else ""))


COUNTED = ("vehicles", "charging_points", "charging_stations")
"""Units a target names through its indicator ('10,000 public EV charging points'), not beside the number."""
OF_WHAT = {"all_vehicles": "new vehicle", "cars": "new car", "two_three_wheelers": "new 2/3-wheeler",
           "two_wheelers": "new two-wheeler", "three_wheelers": "new three-wheeler", "buses": "new bus",
           "vans": "new van", "trucks": "new truck", "passenger_vehicles": "passenger vehicle",
           "light_duty": "light-duty vehicle", "heavy_duty": "heavy-duty vehicle"}
"""A vehicle scope before 'sales', 'imports' or 'fleet': '76.0% of new car sales'."""


def lower_first(text: str) -> str:
    """'Transport CO2 emissions' -> 'transport CO2 emissions'; 'EV sales' stays (an acronym keeps its case)."""
    if not text or (len(text) > 1 and text[1].isupper()):
        return text
    return text[0].lower() + text[1:]


def _present(v: Any) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v)) and str(v) not in ("", "nan", "<NA>")


def basis_words(kind: str, mode: str | None, covered: Sequence[str], missing: Sequence[str]) -> str:
    """What a figure counts: 'all vehicles, as reported'; 'all vehicles, derived from sales by vehicle type (cars
    and 2/3-wheelers; buses, vans and trucks not counted)'; 'cars only'."""
    if kind == "reported":
        scope = scope_words(mode)
        return f"{scope}, as reported" if scope else "as reported"
    if kind == "derived":
        counted = mode_list(list(covered)) if covered else "the vehicle types with data"
        rest = f"; {mode_list(list(missing))} not counted" if missing else ""
        return f"all vehicles, derived from sales by vehicle type ({counted}{rest})"
    if kind == "proxy":
        return f"{mode_list([str(mode)])} only"
    return ""


def figure_text(value: float | None, year: int | None, unit: str, period: str = "") -> str:
    """'2.2% in 2024', '5.0% in 2025 (part of the year)', 'no figure'."""
    if value is None or year is None:
        return "no figure"
    return f"{value_text(value, unit)} in {year}" + (f" ({period})" if period else "")


def pace_words(base_year: Any, latest_year: Any, target_year: Any, projected: Any, unit: str,
               status_achieved: bool) -> str | None:
    """'At its 2019–2024 pace it would reach about 12.8% by 2030'; None when there is no projection."""
    if status_achieved or not all(_present(v) for v in (base_year, latest_year, target_year, projected)):
        return None
    span = f"{int(base_year)}–{int(latest_year)}"
    if unit == "percent" and float(projected) >= 100:
        return f"At its {span} pace a straight line reaches a full share before {int(target_year)}."
    return f"At its {span} pace it would reach about {value_text(float(projected), unit)} by {int(target_year)}."


def finding_plain(name: str, label: str, figure: str, basis: str, target: str, evidence: Sequence[str],
                  has_figure: bool) -> str:
    """One line: 'India: limited progress. 7.7% in 2024 (all vehicles, derived ...), against the regional
    ambition of 30% ... by 2030.' Without a figure it names the indicative evidence, or says there is none."""
    if has_figure:
        what = label.lower() + (" (one figure, no trend yet)" if label == "Insufficient data" else "")
        return f"{name}: {what}. {figure[0].upper()}{figure[1:]} ({basis}), against {target}."
    if evidence:
        return (f"{name}: indicative evidence only: {'; '.join(evidence)}. No yearly figure on the target's basis "
                f"to assess against {target}.")
    return f"{name}: no figure. The tracker holds no figure on which to assess {target}."


def regional_share_plain(value: float, year: int, used: int, total: int, modes: str, largest: str | None,
                         largest_share: float | None, largest_ev: float | None, without: float | None) -> str:
    """The regional EV share, led by its coverage and the weight of its largest market."""
    text = (f"Across the {used} of {total} countries with EV sales by vehicle type for {year} ({modes}), EVs were "
            f"{value:.1f}% of new vehicle sales")
    if largest and largest_share is not None and without is not None:
        ev = f" and {largest_ev:.0f}% of their EV sales" if largest_ev is not None else ""
        text += (f"; {largest} makes {largest_share:.0f}% of these countries' vehicle sales{ev}, and without "
                 f"{largest} the share is {without:.1f}%")
    return text + ". It is not a figure for the whole region: the other countries have no such data."


def groups_sentence(groups: dict[str, Sequence[str]]) -> str:
    """'On track or achieved: China. Off track: India, Thailand. Indicative evidence only: Nepal. No figure: ...'"""
    return " ".join(f"{label}: {names(list(members))}." for label, members in groups.items() if members)
