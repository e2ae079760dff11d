"""Map the rows of EDGAR's sheet (see edgar_read) to transport emission figures: a pure step, no database.

- Sector `Transport` only (EDGAR: mobile combustion, road, rail, ship and aviation); every other sector is skipped
  and counted.
- Substance `CO2` (fossil CO2, IEA-EDGAR CO2) becomes `transport_co2` in Mt CO2 per year.
- `transport_ghg` is CO2 + CH4 + N2O in Mt CO2-equivalent, with CH4 and N2O as the workbook gives them already
  weighted (`GWP_100_AR5_CH4`, `GWP_100_AR5_N2O`); formed only for the country-years where all three are given,
  the others counted. F-gases are not part of EDGAR's transport rows and are not added.
- Countries are matched by the `EDGAR Country Code` column (ISO 3166 alpha-3) to the tracker's countries;
  aggregates (GLOBAL TOTAL, EU27, International Aviation, International Shipping) and other countries are skipped
  and counted. Years before the tracker's first year (1990) are counted and left out.
- The file is rejected whole when a used cell is impossible: a value that is not a number, a negative emission,
  two rows for the same substance and country with different values, a value for a year that has not ended, or
  CH4 and N2O weighted on two different GWP bases.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ctatracker.io.edgar_read import SHEET, EdgarFile, ImportRejected
from ctatracker.model.base import MIN_YEAR

CO2, GHG = "transport_co2", "transport_ghg"
SECTOR = "transport"
AGGREGATES = {"GLOBAL TOTAL": "GLOBAL TOTAL", "EU27": "EU27", "AIR": "International Aviation",
              "SEA": "International Shipping", "WORLD": "World"}
WEIGHTED = re.compile(r"^GWP_(\d+)_(AR\d)_(CH4|N2O)$", re.IGNORECASE)
SHOWN = 5


@dataclass
class Mapped:
    """The figures taken from one workbook, and what was left aside."""

    figures: dict[tuple[str, str, int], float]  # (indicator, iso3, year) -> value
    rows_read: int
    rows_kept: int
    duplicates: int
    empty_rows: int
    skipped: Counter[str] = field(default_factory=Counter)
    matched: list[str] = field(default_factory=list)  # the tracker's countries found in the file
    names: dict[str, list[str]] = field(default_factory=dict)  # aggregates, not covered
    early_values: int = 0  # figures before MIN_YEAR left out
    ghg_not_formed: int = 0  # country-years with CO2 but not all three gases (or the reverse)
    gwp: str | None = None  # the basis of the weighted CH4 and N2O, e.g. "GWP-100 AR5"

    def count(self, indicator: str) -> int:
        """How many figures of one indicator the file gives."""
        return sum(1 for key in self.figures if key[0] == indicator)


def _gas(substance: object) -> tuple[str | None, str | None]:
    """('co2', None), ('ch4', 'GWP-100 AR5'), ('n2o', ...) or (None, None) for a substance not used."""
    text = str(substance or "").strip()
    if text.casefold() == "co2":
        return "co2", None
    if m := WEIGHTED.match(text):
        return m.group(3).casefold(), f"GWP-{m.group(1)} {m.group(2).upper()}"
    return None, None


def _number(value: object) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    number = float(value) if isinstance(value, int | float) else float(str(value).strip())
    if math.isnan(number) or math.isinf(number):
        raise ValueError(value)
    return number


def _classify(raw: EdgarFile, covered: set[str], out: Mapped) -> dict[tuple[str, str], list[tuple[int, tuple]]]:
    """Rows of the used substances of covered countries, by (gas, iso3); the others counted by reason."""
    kept: dict[tuple[str, str], list[tuple[int, tuple]]] = {}
    aggregates, others, bases = set(), set(), set()
    for number, cells in raw.rows:
        substance, sector, code, country = cells[:4]
        code = str(code or "").strip().upper()
        gas, basis = _gas(substance)
        if str(sector or "").strip().casefold() != SECTOR:
            out.skipped[f"sector not used: {str(sector or '(empty)').strip()}"] += 1
        elif gas is None:
            out.skipped[f"substance not used: {str(substance or '(empty)').strip()}"] += 1
        elif code in AGGREGATES or not re.fullmatch(r"[A-Z]{3}", code):
            out.skipped["aggregate (GLOBAL TOTAL, EU27, international aviation and shipping)"] += 1
            aggregates.add(AGGREGATES.get(code, str(country or code).strip()))
        elif code not in covered:
            out.skipped["country not covered by the tracker"] += 1
            others.add(str(country or code).strip())
        else:
            kept.setdefault((gas, code), []).append((number, cells))
            if basis:
                bases.add(basis)
    if len(bases) > 1:
        raise ImportRejected(f"{raw.name} was rejected whole: CH4 and N2O are weighted on different bases "
                             f"({', '.join(sorted(bases))}), so they cannot be added")
    out.gwp = raw.gwp or next(iter(bases), None)
    out.names = {"aggregate": sorted(aggregates), "not covered": sorted(others)}
    return kept


def _values(raw: EdgarFile, number: int, cells: tuple, problems: list[str]) -> dict[int, float]:
    """One row's values by year; impossible cells are added to `problems`."""
    this_year = dt.date.today().year
    values = {}
    for i, (year, cell) in enumerate(zip(raw.years, cells[4:], strict=True)):
        where = raw.cell(number, i + 4)
        try:
            value = _number(cell)
        except ValueError:
            problems.append(f"not a number: {where} ('{str(cell)[:40]}')")
            continue
        if value is None:
            continue
        if value < 0:
            problems.append(f"a negative emission: {where} ({value:g})")
        elif year > this_year:
            problems.append(f"a value for a year that has not ended: {where} ({year})")
        else:
            values[year] = value
    return values


def transform(raw: EdgarFile, covered: set[str]) -> Mapped:
    """transport_co2 and transport_ghg figures of the covered countries (ImportRejected if a used cell is
    impossible)."""
    out = Mapped({}, rows_read=len(raw.rows), rows_kept=0, duplicates=0, empty_rows=raw.empty_rows)
    kept = _classify(raw, covered, out)
    problems: list[str] = []
    series: dict[tuple[str, str], dict[int, float]] = {}
    for (gas, iso3), rows in kept.items():
        found = [_values(raw, number, cells, problems) for number, cells in rows]
        if any(f != found[0] for f in found[1:]):
            lines = ", ".join(str(n) for n, _ in rows[:SHOWN])
            problems.append(f"{gas.upper()} of {iso3} given twice with different values: sheet {SHEET} rows {lines}")
        out.duplicates += len(rows) - 1
        series[(gas, iso3)] = found[0]
    if problems:
        more = f"; and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
        raise ImportRejected(f"{raw.name} was rejected whole, {len(problems)} impossible value(s): "
                             + "; ".join(problems[:SHOWN]) + more)
    out.rows_kept = out.rows_read - out.duplicates - sum(out.skipped.values())
    out.matched = sorted({iso3 for _, iso3 in series})
    for iso3 in out.matched:
        co2, ch4, n2o = (series.get((g, iso3), {}) for g in ("co2", "ch4", "n2o"))
        figures = {(CO2, iso3, year): value for year, value in co2.items()}
        for year in sorted(set(co2) | set(ch4) | set(n2o)):
            if year in co2 and year in ch4 and year in n2o:
                figures[(GHG, iso3, year)] = float(f"{co2[year] + ch4[year] + n2o[year]:.12g}")
            elif year >= MIN_YEAR:
                out.ghg_not_formed += 1
        out.early_values += sum(1 for key in figures if key[2] < MIN_YEAR)
        out.figures.update({key: value for key, value in figures.items() if key[2] >= MIN_YEAR})
    return out
