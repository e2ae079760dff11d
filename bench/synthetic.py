"""A synthetic database at about 100x the seed: ~50 countries x 40 indicators x 35 years, 5,000 activities.

Values are random and marked as synthetic; this database is for benchmarks only, never for the app.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pycountry

from ctatracker.model.bounds import RANGES
from ctatracker.model.enums import ActionAreaCode, ActivityKind, ActivityStatus, Stage, Unit
from ctatracker.model.schema import FACT_MODELS, Activity, Commitment, Country, Indicator, Observation, Source, Target
from ctatracker.store.database import connect, write_rows
from ctatracker.store.permissions import SYSTEM
from pipelines.seed import build

SOURCE = "synthetic-bench"
MODES = ["cars", "all_vehicles", "two_three_wheelers", "buses"]


def _countries(n: int, existing: set[str]) -> list[Country]:
    extra = [c for c in pycountry.countries if c.alpha_3 not in existing][: max(0, n - len(existing))]
    return [Country(iso3=c.alpha_3, name=c.name[:60], subregion="South Asia", note="synthetic") for c in extra]


def make(seed_dir: Path, out: Path, *, countries: int = 50, indicators: int = 40, years: int = 35,
         activities: int = 5000, rng_seed: int = 7) -> dict[str, int]:
    """Build the seed database at `out`, then add synthetic rows through the write path."""
    rng = random.Random(rng_seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".seed.duckdb")
    build(seed_dir, tmp, progress=lambda _line: None)
    shutil.move(tmp, out)
    con = connect(out)
    existing = {r[0] for r in con.execute("SELECT iso3 FROM countries").fetchall()}
    write_rows(con, [Source(id=SOURCE, title="Synthetic benchmark data (random values)", publisher="bench",
                            year=2026, url="https://example.org/synthetic")], SYSTEM)
    write_rows(con, _countries(countries, existing), SYSTEM)
    isos = [r[0] for r in con.execute("SELECT iso3 FROM countries").fetchall()]
    areas = list(ActionAreaCode)
    have = [r[0] for r in con.execute("SELECT code FROM indicators").fetchall()]
    new_inds = [Indicator(code=f"synthetic_{i:02d}", name=f"Synthetic indicator {i}", unit=Unit.PERCENT,
                          action_area_code=areas[i % len(areas)], higher_is_better=bool(i % 2),
                          definition="Random values for benchmarks.") for i in range(max(0, indicators - len(have)))]
    write_rows(con, new_inds, SYSTEM)
    units = dict(con.execute("SELECT code, unit FROM indicators ORDER BY code").fetchall())
    codes = list(units)
    top = {c: min(100.0, RANGES[Unit(u)][1]) for c, u in units.items()}  # within what the write path accepts
    seed_modes = dict(con.execute("SELECT indicator_code, mode FROM (SELECT indicator_code, mode, count(*) AS n "
                                  "FROM observations GROUP BY ALL) QUALIFY row_number() OVER (PARTITION BY "
                                  "indicator_code ORDER BY n DESC, mode) = 1").fetchall())
    modes = {c: seed_modes.get(c) or MODES[k % len(MODES)] for k, c in enumerate(codes)}  # the seed's, as charts need
    first_year = 2025 - years + 1
    obs = [Observation(country_iso3=iso, indicator_code=code, mode=modes[code], year=y,
                       value=round(min(top[code], max(0.0, rng.gauss(2 + (y - first_year) * 0.8, 3))), 3),
                       source_id=SOURCE, confidence="low", note="synthetic")
           for iso in isos for code in codes for y in range(first_year, 2026)]
    write_rows(con, obs, SYSTEM, reason="synthetic bench data")
    write_rows(con, [Target(id=f"synthetic-{iso.lower()}-{code}", country_iso3=iso, indicator_code=code,
                            mode=modes[code], comparison="at_least", target_value=min(30, top[code]),
                            target_year=2030, wording="synthetic", strength="pledge", source_id=SOURCE,
                            confidence="low")
                     for iso in isos[:20] for code in codes[:10]], SYSTEM)
    write_rows(con, [Commitment(country_iso3=iso, action_area_code=a, stage=rng.choice(list(Stage)),
                                summary="synthetic", as_of="2025-01-01", source_id=SOURCE)
                     for iso in isos if iso not in existing for a in areas], SYSTEM)
    write_rows(con, [Activity(id=f"synthetic-{i}", title=f"Synthetic activity {i}", kind=rng.choice(list(ActivityKind)),
                              status=rng.choice(list(ActivityStatus)), country_iso3=rng.choice([*isos, None]),
                              action_area_code=rng.choice(areas), alp_supported=rng.random() < 0.5,
                              start_year=(s := rng.randint(2015, 2026)), end_year=s + rng.randint(0, 4),
                              source_id=SOURCE) for i in range(activities)], SYSTEM)
    con.execute("CHECKPOINT")
    counts = {m.__table__: con.execute(f"SELECT count(*) FROM {m.__table__}").fetchall()[0][0] for m in FACT_MODELS}
    con.close()
    return counts
