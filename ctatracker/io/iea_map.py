"""Map the rows of an IEA file (table `raw`, see iea_read) to observations and scenario values: a pure step,
done in DuckDB SQL over the whole table (no Python loop over rows), so a million-row file takes about as long as
reading it.

- Parameters: EV sales, EV sales share, EV stock, EV stock share, EV charging points (publicly available fast /
  slow); every other parameter is skipped and counted.
- Modes: Cars, Buses, Vans, Trucks, 2 and 3 wheelers; charging points have the mode 'EV' (not a vehicle mode).
- Counts are BEV + PHEV per mode (FCEV is not counted). Where IEA lists only one powertrain, its count is IEA's
  whole EV count for that mode (the note says which): powertrains stays bev_and_phev, as IEA's shares count both.
- Public charging points are fast + slow when both exist.
- Historical rows become observations; Projection-<scenario> rows become scenario values, never observations.
- The file is rejected whole when a value is impossible: non-numeric value or year, a negative count, a share
  outside 0-100, a parameter in the wrong unit, a historical year in the future, or two rows with the same key and
  different values. Exact duplicates collapse and are counted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import pandas as pd
import pycountry

from ctatracker.io.iea_read import ImportRejected, RawFile
from ctatracker.model.base import MAX_YEAR, MIN_YEAR
from ctatracker.model.enums import Mode

HISTORICAL = "Historical"
PROJECTION = "Projection-"
PARAMETERS = {  # IEA parameter (casefolded) -> (kind, unit expected, indicator code or None for charging)
    "ev sales": ("count", "vehicles", "ev_sales"),
    "ev stock": ("count", "vehicles", "ev_stock"),
    "ev sales share": ("share", "percent", "ev_sales_share"),
    "ev stock share": ("share", "percent", "ev_stock_share"),
    "ev charging points": ("charging", "charging points", None),
}
CHARGING = {"publicly available fast": "public_fast_charging_points",
            "publicly available slow": "public_slow_charging_points"}
TOTAL_CHARGING = "public_charging_points"
REGION_ISO3 = {  # IEA names pycountry does not resolve, casefolded
    "korea": "KOR", "republic of korea": "KOR", "south korea": "KOR", "turkiye": "TUR", "türkiye": "TUR",
    "turkey": "TUR", "usa": "USA", "united states": "USA", "viet nam": "VNM", "vietnam": "VNM",
    "lao pdr": "LAO", "laos": "LAO", "russia": "RUS", "chinese taipei": "TWN", "hong kong": "HKG",
    "brunei": "BRN", "czech republic": "CZE", "slovak republic": "SVK", "kyrgyz republic": "KGZ", "uk": "GBR"}
AGGREGATES = frozenset({
    "world", "europe", "eu27", "eu27+efta+uk", "rest of the world", "other europe", "asia pacific", "eurasia",
    "rest of asia pacific", "north america", "central and south america", "middle east", "africa",
    "middle east and caspian", "southeast asia", "asean", "latin america", "other"})
MODES = {"car": Mode.CARS, "bus": Mode.BUSES, "buse": Mode.BUSES, "truck": Mode.TRUCKS, "van": Mode.VANS,
         "23w": Mode.TWO_THREE_WHEELERS, "2w3w": Mode.TWO_THREE_WHEELERS, "2w": Mode.TWO_WHEELERS,
         "3w": Mode.THREE_WHEELERS}


@cache
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
    """Tracker mode of an IEA mode name ('Cars', 'Buses', '2 and 3 wheelers', '2W', ...), or None if unknown."""
    key = re.sub(r"[\s_/&,+-]|and", "", name.casefold()).replace("two", "2").replace("three", "3")
    key = re.sub(r"wheel(er)?s?", "w", key)
    return MODES.get(key) or MODES.get(key.removesuffix("s"))


@dataclass
class Mapped:
    """What the transform produced from one file, and what it left aside (rows, by reason)."""

    observations: pd.DataFrame  # country_iso3, indicator_code, mode, year, value, powertrains, note
    scenarios: pd.DataFrame  # country_iso3, indicator_code, mode, year, scenario, value
    rows_read: int
    rows_kept: int
    duplicates: int
    skipped: Counter[str] = field(default_factory=Counter)
    last_historical_year: int | None = None
    names: dict[str, list[str]] = field(default_factory=dict)  # aggregates, not covered, not recognised


def _lookups(raw: RawFile, covered: set[str]) -> None:
    """Small tables mapping the file's distinct regions and modes, and the fixed parameter table."""
    con = raw.con
    regions = [r[0] for r in con.execute("SELECT DISTINCT region FROM raw WHERE region IS NOT NULL").fetchall()]
    status = []
    for name in regions:
        iso3 = region_iso3(name)
        kind = ("country" if iso3 in covered else "not covered") if iso3 else (
            "aggregate" if name.strip().casefold() in AGGREGATES else "not recognised")
        status.append((name, iso3 if iso3 in covered else None, kind))
    con.register("_regions", pd.DataFrame(status, columns=["region", "iso3", "kind"], dtype=object))
    modes = [r[0] for r in con.execute("SELECT DISTINCT mode FROM raw WHERE mode IS NOT NULL").fetchall()]
    pairs = [(m, (found.value if (found := mode_of(m)) else None)) for m in modes]
    con.register("_modes", pd.DataFrame(pairs, columns=["mode", "tmode"], dtype=object))
    con.register("_params", _distinct(con, "parameter", lambda v: (v.strip(), *PARAMETERS.get(
        v.strip().casefold(), (None, None, None))), ["pname", "kind", "want_unit", "pcode"]))
    con.register("_cats", _distinct(con, "category", lambda v: (v.strip(),), ["cat"]))
    con.register("_pts", _distinct(con, "powertrain", lambda v: (v.strip(),), ["pt"]))
    con.register("_units", _distinct(con, "unit", lambda v: (v.strip().casefold(),), ["unit_l"]))
    con.register("_charging", pd.DataFrame(list(CHARGING.items()), columns=["pt", "code"], dtype=object))


def _cleaned(con) -> dict[str, str]:
    """SQL for the cleaned category, powertrain and unit: the raw column when every value is already clean (the
    usual case: no join), else a join to its small lookup table."""
    parts, joins = {}, []
    for column, table, clean in (("category", "_cats", "cat"), ("powertrain", "_pts", "pt"),
                                 ("unit", "_units", "unit_l")):
        if con.execute(f"SELECT count(*) FROM {table} WHERE raw <> {clean}").fetchone()[0]:
            parts[column] = f"j_{column}.{clean}"
            joins.append(f"LEFT JOIN {table} j_{column} ON r.{column} = j_{column}.raw")
        else:
            parts[column] = f"r.{column}"
    return {**parts, "joins": "\n    ".join(joins)}


def _distinct(con, column: str, clean, names: list[str]) -> pd.DataFrame:
    """A small table mapping each distinct raw value of `column` to its cleaned form (no per-row work)."""
    values = [r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM raw WHERE {column} IS NOT NULL").fetchall()]
    return pd.DataFrame([(v, *clean(v)) for v in values], columns=["raw", *names], dtype=object)


CLASSIFY = """
CREATE OR REPLACE TEMP TABLE c AS
SELECT *, {reason} AS reason FROM (
    SELECT r.rowid AS rid, {category} AS category, {powertrain} AS powertrain, r.mode, p.pname AS parameter,
           {unit} AS unit,
           hash(r.region, r.category, r.parameter, r.mode, r.powertrain, r.year, r.unit) AS kh,
           hash(hash(r.region, r.category, r.parameter, r.mode, r.powertrain, r.year, r.unit), r.value) AS rh,
           p.kind, p.pcode, p.want_unit, g.iso3, g.kind AS region_kind, m.tmode,
           TRY_CAST(r.value AS DOUBLE) AS v, TRY_CAST(r.year AS DOUBLE) AS y
    FROM raw r
    LEFT JOIN _params p ON r.parameter = p.raw
    {joins}
    LEFT JOIN _regions g ON r.region = g.region
    LEFT JOIN _modes m ON r.mode = m.mode
    WHERE NOT (r.region IS NULL AND r.category IS NULL AND r.parameter IS NULL AND r.value IS NULL))
"""

CHECKS = {  # problem -> condition on a row of a parameter the tracker uses
    "the value is not a number": "v IS NULL OR isinf(v) OR isnan(v)",
    "the year is not a whole number": "y IS NULL OR y <> floor(y)",
    f"the year is outside {MIN_YEAR}-{MAX_YEAR}":
        f"y IS NOT NULL AND y = floor(y) AND (y < {MIN_YEAR} OR y > {MAX_YEAR})",
    "a historical value for a year that has not ended": "category = 'Historical' AND y > {this_year}",
    "a count below zero": "kind IN ('count', 'charging') AND v < 0",
    "a share outside 0-100%": "kind = 'share' AND (v < 0 OR v > 100)",
    "the unit does not fit the parameter (shares in percent, sales and stock in Vehicles, chargers in charging "
    "points)": "coalesce(unit, '') <> want_unit",
}


def check(raw: RawFile) -> None:
    """Reject the file when any row of a used parameter holds an impossible value, naming the lines.

    The counts take one pass; the lines are looked up only when something is wrong.
    """
    con = raw.con
    conds = {what: cond.format(this_year=dt.date.today().year) for what, cond in CHECKS.items()}
    counts = con.execute("SELECT " + ", ".join(f"count(*) FILTER (WHERE {c})" for c in conds.values())
                         + ", count(DISTINCT kh), count(DISTINCT hash(kh, v)) FROM c WHERE kind IS NOT NULL"
                         ).fetchone()
    problems = []
    for (what, cond), n in zip(conds.items(), counts, strict=False):
        if n:
            rids = con.execute(f"SELECT list(rid ORDER BY rid)[1:5] FROM c WHERE kind IS NOT NULL AND ({cond})"
                               ).fetchone()[0]
            example = con.execute("SELECT value FROM raw WHERE rowid = ?", [rids[0]]).fetchone()[0]
            problems.append(f"{what}: {raw.where(rids, n)} (e.g. value '{example}')")
    if counts[-2] != counts[-1]:  # some key holds two different values
        clash = con.execute("""
            SELECT count(*), list(rids ORDER BY rids[1])[1:5] FROM (
                SELECT list(rid ORDER BY rid) AS rids FROM c WHERE kind IS NOT NULL
                GROUP BY kh HAVING count(DISTINCT v) > 1)""").fetchone()
        shown = "; ".join(raw.where(rids) for rids in clash[1])
        more = f"; and {clash[0] - len(clash[1])} more" if clash[0] > len(clash[1]) else ""
        problems.append(f"{clash[0]} key(s) given twice with different values: {shown}{more}")
    if problems:
        raise ImportRejected(f"{raw.name} was rejected whole: {len(problems)} kind(s) of impossible value",
                             problems)


SKIP_REASON = """
CASE
  WHEN kind IS NULL THEN 'parameter not used: ' || coalesce(parameter, '(empty)')
  WHEN category IS DISTINCT FROM 'Historical' AND NOT starts_with(coalesce(category, ''), 'Projection-')
    THEN 'category not used: ' || coalesce(category, '(empty)')
  WHEN region_kind = 'aggregate' THEN 'aggregate region (World, Europe, ...)'
  WHEN region_kind = 'not covered' THEN 'country not covered by the tracker'
  WHEN region_kind IS DISTINCT FROM 'country' THEN 'region not recognised'
  WHEN kind = 'charging' AND upper(mode) <> 'EV' THEN 'mode not used: ' || mode
  WHEN kind <> 'charging' AND tmode IS NULL THEN 'mode not used: ' || coalesce(mode, '(empty)')
  WHEN kind = 'share' AND upper(powertrain) <> 'EV' THEN 'share of one powertrain: ' || powertrain
  WHEN kind = 'count' AND upper(powertrain) NOT IN ('BEV', 'PHEV')
    THEN 'powertrain not counted: ' || coalesce(powertrain, '(empty)')
  WHEN kind = 'charging' AND lower(powertrain) NOT IN (SELECT pt FROM _charging)
    THEN 'charging points not used: ' || coalesce(powertrain, '(empty)')
END
"""

BUILD = """
CREATE OR REPLACE TEMP TABLE k AS
SELECT iso3, CASE WHEN kind = 'charging' THEN 'not_applicable' ELSE tmode END AS mode,
       CAST(y AS INTEGER) AS year, category, kind,
       CASE WHEN kind = 'charging' THEN (SELECT code FROM _charging WHERE pt = lower(powertrain)) ELSE pcode END
         AS code,
       upper(powertrain) AS pt, any_value(v) AS v
FROM c WHERE reason IS NULL
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE out AS
SELECT iso3, code, mode, year, category, v AS value, 'bev_and_phev' AS powertrains, NULL AS note
FROM k WHERE kind IN ('share', 'charging')
UNION ALL
SELECT iso3, code, mode, year, category, sum(v),
       'bev_and_phev',  -- IEA's own EV count: a powertrain IEA does not list has none in its accounting
       CASE WHEN bool_or(pt = 'BEV') AND bool_or(pt = 'PHEV') THEN 'BEV + PHEV'
            WHEN bool_or(pt = 'BEV') THEN 'BEV (IEA lists no PHEV)'
            ELSE 'PHEV (IEA lists no BEV)' END
FROM k WHERE kind = 'count' GROUP BY iso3, code, mode, year, category
UNION ALL
SELECT iso3, '{total}', mode, year, category, sum(v), 'bev_and_phev', 'fast + slow'
FROM k WHERE kind = 'charging' GROUP BY iso3, mode, year, category HAVING count(DISTINCT code) = 2
"""


def transform(raw: RawFile, covered: set[str]) -> Mapped:
    """Observations and scenario values of the covered countries, and what was skipped (ImportRejected if the
    file holds an impossible value)."""
    con = raw.con
    _lookups(raw, covered)
    con.execute(CLASSIFY.format(reason=SKIP_REASON, **_cleaned(con)))
    check(raw)
    rows_read, distinct = con.execute("SELECT count(*), count(DISTINCT rh) FROM c").fetchone()
    skipped = Counter(dict(con.execute(
        "SELECT reason, count(DISTINCT rh) FROM c WHERE reason IS NOT NULL GROUP BY reason").fetchall()))
    duplicates = rows_read - distinct
    kept = distinct - sum(skipped.values())
    regions = con.execute("SELECT region, kind FROM _regions").fetchall()
    names = {kind: sorted(r.strip() for r, k in regions if k == kind) for kind in ("aggregate", "not covered",
                                                                           "not recognised")}
    last = con.execute("SELECT max(CAST(y AS INTEGER)) FROM c WHERE category = 'Historical' AND kind IS NOT NULL"
                       ).fetchone()[0]
    con.execute(BUILD.format(total=TOTAL_CHARGING))
    rounded = ("CASE WHEN code LIKE '%share' THEN CASE WHEN value = 0 THEN 0.0 "
               "ELSE round(value, 5 - CAST(floor(log10(abs(value))) AS INTEGER)) END ELSE round(value) END")
    observations = con.execute(f"""
        SELECT iso3 AS country_iso3, code AS indicator_code, mode, year, {rounded} AS value, powertrains, note
        FROM out WHERE category = 'Historical' ORDER BY ALL""").df()
    scenarios = con.execute(f"""
        SELECT iso3 AS country_iso3, code AS indicator_code, mode, year,
               substr(category, {len(PROJECTION) + 1}) AS scenario, {rounded} AS value
        FROM out WHERE category <> 'Historical' ORDER BY ALL""").df()
    return Mapped(observations, scenarios, rows_read, kept, duplicates, skipped, last, names)
