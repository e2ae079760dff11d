"""Import the IEA Global EV Data Explorer (long CSV) into observations: extract -> transform -> load."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pycountry
from pydantic import ValidationError

from ctatracker import store
from ctatracker.enums import Confidence, Mode
from ctatracker.permissions import SYSTEM, Actor
from ctatracker.schema import Observation
from ctatracker.store import WriteRejected, WriteResult

IEA_SOURCE_ID = "iea-gev-data-2023"
MAX_BYTES = 50 * 1024 * 1024
COLUMNS = ("region", "category", "parameter", "mode", "powertrain", "year", "unit", "value")
KNOWN_UNITS = frozenset(u.casefold() for u in ("percent", "Vehicles", "GWh", "Milion barrels per day",
                                                "Million barrels per day", "Oil displacement, million lge"))
HISTORICAL = "Historical"
REGION_ISO3 = {  # IEA names pycountry does not resolve, casefolded
    "korea": "KOR", "republic of korea": "KOR", "south korea": "KOR", "turkiye": "TUR", "türkiye": "TUR",
    "turkey": "TUR", "usa": "USA", "united states": "USA", "viet nam": "VNM", "vietnam": "VNM",
    "lao pdr": "LAO", "laos": "LAO", "russia": "RUS", "chinese taipei": "TWN", "hong kong": "HKG",
    "brunei": "BRN", "czech republic": "CZE", "slovak republic": "SVK", "kyrgyz republic": "KGZ", "uk": "GBR"}
AGGREGATES = frozenset({
    "world", "europe", "eu27", "eu27+efta+uk", "rest of the world", "other europe", "asia pacific", "eurasia",
    "rest of asia pacific", "north america", "central and south america", "middle east", "africa"})
SHARES = {"ev sales share": "ev_sales_share", "ev stock share": "ev_stock_share"}
COUNTS = {"ev sales": "ev_sales", "ev stock": "ev_stock"}
MODES = {"car": Mode.CARS, "bus": Mode.BUSES, "buse": Mode.BUSES, "truck": Mode.TRUCKS, "van": Mode.VANS,
         "23w": Mode.TWO_THREE_WHEELERS, "2w3w": Mode.TWO_THREE_WHEELERS, "2w": Mode.TWO_WHEELERS,
         "3w": Mode.THREE_WHEELERS}


class ImportRejected(Exception):
    """The file or its data cannot be imported; nothing was written."""

    def __init__(self, message: str, problems: Sequence[str] = ()):
        self.problems = list(problems)
        super().__init__(message + "".join(f"\n  {p}" for p in self.problems))


@dataclass
class TransformReport:
    """What the transform kept and what it ignored, and why."""

    rows_read: int = 0
    rows_kept: int = 0
    per_indicator: Counter[str] = field(default_factory=Counter)
    aggregates: set[str] = field(default_factory=set)
    unresolved: set[str] = field(default_factory=set)
    not_covered: set[str] = field(default_factory=set)
    categories_skipped: Counter[str] = field(default_factory=Counter)
    ignored: Counter[str] = field(default_factory=Counter)
    single_powertrain: int = 0

    @property
    def rows_ignored(self) -> int:
        return self.rows_read - self.rows_kept

    def lines(self) -> list[str]:
        """Human-readable summary, one fact per line."""
        per = ", ".join(f"{k} {v}" for k, v in sorted(self.per_indicator.items())) or "none"
        facts = {"aggregates ignored": ", ".join(sorted(self.aggregates)),
                 "regions not recognised (ignored)": ", ".join(sorted(self.unresolved)),
                 "countries not covered": ", ".join(sorted(self.not_covered)),
                 "categories skipped": dict(self.categories_skipped), "rows ignored": dict(self.ignored),
                 "counts from one powertrain only": self.single_powertrain}
        return [f"rows read {self.rows_read}, kept {self.rows_kept}, ignored {self.rows_ignored}",
                f"observations {sum(self.per_indicator.values())}: {per}",
                *(f"{k}: {v}" for k, v in facts.items() if v)]


def region_iso3(name: str) -> str | None:
    """ISO3 code of an IEA region name, or None for an aggregate or an unknown name."""
    key = name.strip().casefold()
    if key in AGGREGATES or key in REGION_ISO3:
        return REGION_ISO3.get(key)
    try:
        return pycountry.countries.lookup(name.strip()).alpha_3
    except LookupError:
        return None


def mode_of(name: str) -> Mode | None:
    """Tracker mode of an IEA mode name ('Cars', 'Buses', '2/3 wheelers', '2W', ...), or None if unknown."""
    key = re.sub(r"[\s_/&,+-]|and", "", name.casefold()).replace("two", "2").replace("three", "3")
    key = re.sub(r"wheel(er)?s?", "w", key)
    return MODES.get(key) or MODES.get(key.removesuffix("s"))


def _reject_lines(name: str, bad: pd.Series, what: str, values: pd.Series) -> None:
    if bad.any():
        lines = [int(i) for i in bad[bad].index]
        shown = ", ".join(map(str, lines[:5])) + (", ..." if len(lines) > 5 else "")
        example = values[bad].iloc[0]
        raise ImportRejected(f"{name}: {what} on {len(lines)} line(s): {shown} (e.g. '{example}')")


def extract(path: Path | str) -> pd.DataFrame:
    """Read and check the CSV (index = file line number). Any problem rejects the whole file."""
    path, name = Path(path), Path(path).name
    if not path.is_file():
        raise ImportRejected(f"{path}: no such file")
    if (size := path.stat().st_size) > MAX_BYTES:
        raise ImportRejected(f"{name} is {size / 1e6:.0f} MB; files over 50 MB are refused")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected(f"{name} is not UTF-8 (byte 0x{data[exc.start]:02x} on line {line}); "
                             "save it as 'CSV UTF-8'") from None
    if not text.strip():
        raise ImportRejected(f"{name} is empty")
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise ImportRejected(f"{name} is not a readable CSV: {exc}") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    if missing := [c for c in COLUMNS if c not in raw.columns]:
        raise ImportRejected(f"{name} lacks column(s): {', '.join(missing)}; expected {', '.join(COLUMNS)}")
    if raw.empty:
        raise ImportRejected(f"{name} has a header but no data rows")
    raw = raw[list(COLUMNS)].apply(lambda s: s.str.strip())
    raw.index = pd.RangeIndex(2, len(raw) + 2)
    value = pd.to_numeric(raw["value"], errors="coerce")
    _reject_lines(name, value.isna() | value.abs().eq(float("inf")), "text in column 'value'", raw["value"])
    year = pd.to_numeric(raw["year"], errors="coerce")
    _reject_lines(name, year.isna() | year.mod(1).ne(0), "column 'year' is not a whole number", raw["year"])
    if unknown := sorted({u for u in raw["unit"] if u.casefold() not in KNOWN_UNITS}):
        what = f"unknown unit {', '.join(map(repr, unknown))}"
        _reject_lines(name, raw["unit"].isin(unknown), what, raw["unit"])
    return raw.assign(value=value.astype(float), year=year.astype(int))


def transform(raw: pd.DataFrame, covered_iso3: set[str], *, include_projections: bool = False,
              source_id: str = IEA_SOURCE_ID, last_year: int | None = None,
              ) -> tuple[list[Observation], TransformReport]:
    """Map IEA rows to observations of covered countries (pure). ImportRejected on inconsistent data."""
    report = TransformReport(rows_read=len(raw))
    last_year = last_year or dt.date.today().year
    cats = sorted(c for c in raw["category"].unique() if c != HISTORICAL) if include_projections else []
    scenario = ([c for c in cats if "steps" in c.casefold()] or cats or [None])[0]  # STEPS when present
    values: dict[tuple, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    problems: list[str] = []
    for line, rec in zip(raw.index, raw.itertuples(index=False), strict=True):
        if rec.category not in (HISTORICAL, scenario):
            report.categories_skipped[rec.category] += 1
            continue
        if (iso3 := region_iso3(rec.region)) is None:
            (report.aggregates if rec.region.casefold() in AGGREGATES else report.unresolved).add(rec.region)
            continue
        if iso3 not in covered_iso3:
            report.not_covered.add(rec.region)
            continue
        param, powertrain, mode = rec.parameter.casefold(), rec.powertrain.upper(), mode_of(rec.mode)
        code = SHARES.get(param) or COUNTS.get(param)
        if code is None or mode is None:
            report.ignored[f"parameter {rec.parameter}" if code is None else f"mode {rec.mode}"] += 1
            continue
        if powertrain not in (("EV",) if param in SHARES else ("BEV", "PHEV")) or rec.year > last_year:
            report.ignored[f"{rec.parameter} {rec.powertrain}" if rec.year <= last_year else "future"] += 1
            continue
        if rec.unit.casefold() != (unit := "percent" if param in SHARES else "vehicles"):
            problems.append(f"line {line}: {rec.parameter} must be in {unit}, not {rec.unit}")
        cell = values[(iso3, code, mode, rec.year)][rec.category]
        if powertrain in cell:
            problems.append(f"line {line}: a second {rec.parameter} {rec.powertrain} value for "
                            f"{rec.region} {rec.mode} {rec.year} {rec.category}")
        cell[powertrain] = rec.value
        report.rows_kept += 1
    if problems:
        raise ImportRejected(f"{len(problems)} inconsistent row(s) in the IEA data", problems[:20])
    observations = []
    for (iso3, code, mode, year), by_category in sorted(values.items()):
        category = HISTORICAL if HISTORICAL in by_category else str(scenario)
        cell = by_category[category]
        notes = [] if category == HISTORICAL else [f"IEA {category.split('-')[-1].strip()} projection"]
        value = round(cell["EV"], 4) if code in SHARES.values() else float(round(sum(cell.values())))
        if code in COUNTS.values() and len(cell) == 2:
            notes.append("BEV + PHEV")
        elif code in COUNTS.values():
            report.single_powertrain += 1
            notes.append(f"{next(iter(cell))} only (no {({'BEV', 'PHEV'} - set(cell)).pop()} in the source)")
        try:
            observations.append(Observation(country_iso3=iso3, indicator_code=code, mode=mode, year=year,
                                            value=value, source_id=source_id, confidence=Confidence.HIGH,
                                            note="; ".join(notes) or None))
            report.per_indicator[code] += 1
        except ValidationError as exc:
            problems.append(f"{iso3} {code} {mode} {year}: {exc.errors()[0]['msg']}")
    if problems:
        raise ImportRejected(f"{len(problems)} observation(s) are invalid", problems[:20])
    return observations, report


def load(con: duckdb.DuckDBPyConnection, observations: Sequence[Observation], actor: Actor = SYSTEM, *,
         file_name: str = "") -> WriteResult:
    """Write the observations through the one write path (checked, one transaction, audited)."""
    origins = [f"IEA {o.country_iso3} {o.indicator_code} {o.mode} {o.year}" for o in observations]
    try:
        return store.write_rows(con, list(observations), actor, origins=origins,
                                reason=f"IEA import {file_name}".strip())
    except WriteRejected as exc:
        raise ImportRejected(f"the database refused the import ({len(exc.problems)} problem(s))",
                             [str(p) for p in exc.problems[:20]]) from exc


def run(path: Path | str, db_path: Path | str, *, source_id: str = IEA_SOURCE_ID,
        include_projections: bool = False, progress: Callable[[str], None] = print,
        ) -> tuple[TransformReport, WriteResult]:
    """Extract, transform and load one IEA file into the database at db_path; return what happened."""
    path, hint = Path(path), "; run `python -m pipelines build` first"
    progress(f"Reading {path}")
    raw = extract(path)
    progress(f"  {len(raw)} rows, {raw['region'].nunique()} regions, {raw['year'].min()}-{raw['year'].max()}")
    if str(db_path) != ":memory:" and not Path(db_path).exists():
        raise ImportRejected(f"no database at {db_path}{hint}")
    con = store.connect(db_path)
    try:
        try:
            found = con.execute("SELECT count(*) FROM sources WHERE id = ?", [source_id]).fetchone()
            covered = {r[0] for r in con.execute("SELECT iso3 FROM countries").fetchall()}
        except duckdb.CatalogException:
            raise ImportRejected(f"the database {db_path} has no tracker tables{hint}") from None
        if not found or not found[0]:
            raise ImportRejected(f"source '{source_id}' is not in the database {db_path}{hint} "
                                 "(the seed data defines it), or pass --source-id of an existing source")
        progress(f"Transforming for {len(covered)} covered countries (source {source_id})")
        observations, report = transform(raw, covered, include_projections=include_projections,
                                         source_id=source_id)
        for line in report.lines():
            progress(f"  {line}")
        progress(f"Writing {len(observations)} observations")
        result = load(con, observations, file_name=path.name)
        progress(f"  added {result.added}, updated {result.updated}, unchanged {result.unchanged}")
    finally:
        con.close()
    return report, result

