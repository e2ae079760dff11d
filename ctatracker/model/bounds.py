"""The largest (and smallest) value a figure of each unit can plausibly take: a typing slip (1e15 EV sales, 1e308
vehicles) is refused by the write path, whatever the way in (form, upload, seed, import).

Each ceiling sits far above any real national figure, so it never refuses a true one; the seed and IEA's and
EDGAR's data stay at least ten times below it:

- percent: 0 to 100 (a share);
- vehicles: 0 to 2,000,000,000, more than every vehicle on Earth (about 1.5 billion); the largest figure held,
  China's projected EV stock, is 138 million;
- charging points: 0 to 1,000,000,000, more than one for every person in any country (the largest
  national figure held, public and private, is 12.8 million);
- charging stations: 0 to 10,000,000 (the largest held is 65,000);
- Mt CO2 and Mt CO2e: -50,000 to 50,000, more than the world's CO2 from every source (about 38,000 Mt a year);
  below zero for a cut;
- Euro level: 0 to 7 (Euro 1 to Euro 6, and Euro 7 to come).
"""

from __future__ import annotations

from ctatracker.model.enums import Unit

RANGES: dict[Unit, tuple[float, float]] = {
    Unit.PERCENT: (0.0, 100.0),
    Unit.VEHICLES: (0.0, 2e9),
    Unit.CHARGING_POINTS: (0.0, 1e9),
    Unit.CHARGING_STATIONS: (0.0, 1e7),
    Unit.MT_CO2: (-5e4, 5e4),
    Unit.MT_CO2E: (-5e4, 5e4),
    Unit.EURO_LEVEL: (0.0, 7.0),
}
"""Unit -> (smallest, largest) value a figure in it may take."""

WHY = {Unit.VEHICLES: "more than every vehicle on Earth",
       Unit.CHARGING_POINTS: "more than one for every person in any country",
       Unit.CHARGING_STATIONS: "far more than any country has", Unit.MT_CO2: "more than the world emits",
       Unit.MT_CO2E: "more than the world emits", Unit.EURO_LEVEL: "Euro levels run from 1 to 6 (7 to come)"}


def out_of_range(unit: str | Unit, value: float) -> str | None:
    """Why `value` cannot be a figure in `unit` (in words), or None when it can (or the unit is not known)."""
    try:
        unit = Unit(unit)
    except ValueError:
        return None
    low, high = RANGES[unit]
    if unit is Unit.PERCENT:
        return None if low <= value <= high else f"{value:g} is not a percentage between 0 and 100"
    if value < 0 and low == 0:
        return f"{value:g} cannot be negative for a count"
    if not low <= value <= high:
        span = f"at most {high:,.0f}" if low == 0 else f"between {low:,.0f} and {high:,.0f}"
        return f"{value:g} is out of range for {unit.value.replace('_', ' ')}: {span} ({WHY[unit]})"
    return None
