"""Derived tables for pages, the CLI and briefings: query-layer reads fed to the pure gap analysis.

Inside `sharing(store)`, the costly derived tables (every observation, the derived EV share, the gap table, the
30% table, the Euro VI table) are computed once per store and handed out as copies: the dashboard keeps one store
per data version, so every session and every page reuses them until the data changes.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import pandas as pd

from ctatracker.analysis import co2, euro, ev_share, gap_tables, matching, target_rules
from ctatracker.store import queries
from ctatracker.store.queries import Cursor


def _today() -> dt.date:
    return dt.date.today()


_store: ContextVar[dict | None] = ContextVar("analysis_store", default=None)
_locks_lock = threading.Lock()


@contextmanager
def sharing(store: dict) -> Iterator[None]:
    """Within the block, derived tables are kept in `store` (one per data version) and reused."""
    token = _store.set(store)
    try:
        yield
    finally:
        _store.reset(token)


@contextmanager
def scope() -> Iterator[None]:
    """Within the block, derived tables are computed once: in the store of an enclosing `sharing` if there is
    one, otherwise in a store of the block's own (for one command, one pack, one profile)."""
    if _store.get() is not None:
        yield
        return
    with sharing({}):
        yield


def _shared(key: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()` once per store (one computation at a time per key); a copy of a frame each time."""
    store = _store.get()
    if store is None:  # outside `sharing`: shared within this one call, so that its parts are computed once
        with sharing({}):
            return _shared(key, compute)
    if key not in store:
        with _locks_lock:
            lock = store.setdefault(("lock", *key), threading.Lock())
        with lock:
            if key not in store:
                store[key] = compute()
    value = store[key]
    return value.copy() if isinstance(value, pd.DataFrame) else value


def shared(key: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()` once per data version for every session (see `sharing`); other layers' derived tables too."""
    return _shared(key, compute)


def _observations(cur: Cursor) -> pd.DataFrame:
    return _shared(("observations",), lambda: queries.observations(cur))


def observations(cur: Cursor) -> pd.DataFrame:
    """Every observation (read once per data version)."""
    return _observations(cur)


def gap_table(cur: Cursor, as_of: dt.date | None = None) -> pd.DataFrame:
    """Every covered country against every quantitative target (regional and its own national ones); the
    EV share of all vehicle sales answered from reported, derived or proxy series (see `ev_share`)."""
    day = as_of or _today()

    def compute() -> pd.DataFrame:
        targets = queries.targets(cur)
        shares = targets[(targets["indicator_code"] == "ev_sales_share") & (targets["mode"].map(str) == "all_vehicles")]
        types = {target_rules.target_vehicle_types(t) for t in shares.to_dict("records")}
        frames = {modes: derived_ev_share(cur, modes) for modes in types | {target_rules.COMMUNIQUE_MODES}}
        obs, countries = _observations(cur), queries.countries(cur)
        gap = gap_tables.gap_table(obs, targets, queries.indicators(cur), countries, day, derived=frames)
        return co2.with_co2_status(gap, co2.co2_assessments(obs, countries, day.year))

    return _shared(("gap_table", day), compute)


def derived_ev_share(cur: Cursor, modes: tuple[str, ...] = target_rules.COMMUNIQUE_MODES) -> pd.DataFrame:
    """The all-vehicle EV sales share derived from mode data (on `modes`, by default the communique's vehicle
    types), per country and year, with its coverage."""
    return _shared(("derived_ev_share", modes),
                   lambda: ev_share.derived_all_vehicle_share(_observations(cur), modes))


def ev30_target_id(cur: Cursor) -> str | None:
    """Id of the communique's regional EV sales share target (all vehicles), None when none is recorded."""
    targets = queries.targets(cur, indicator_code="ev_sales_share")
    regional = targets[targets["country_iso3"].isna() & (targets["mode"] == "all_vehicles")]
    return None if regional.empty else str(regional["id"].iloc[0])


def ev30_table(cur: Cursor, as_of: dt.date | None = None) -> pd.DataFrame:
    """Every country against the regional 30% EV sales ambition: status, basis, latest value, IEA scenario."""
    target_id = ev30_target_id(cur)
    if target_id is None:
        return pd.DataFrame(columns=ev_share.EV30_COLUMNS)
    day = as_of or _today()
    return _shared(("ev30_table", day), lambda: ev_share.ev30_table(
        gap_table(cur, day), queries.scenario_values(cur), target_id, derived_figures=derived_ev_share(cur)))


def regional_ev_share(cur: Cursor) -> dict:
    """The sales-weighted regional EV share of all vehicle sales over the countries with mode data."""
    return ev_share.regional_all_vehicle_share(derived_ev_share(cur), len(queries.countries(cur)))


def euro_table(cur: Cursor, as_of: dt.date | None = None) -> pd.DataFrame:
    """Euro VI status per country and vehicle class (light and heavy duty)."""
    day = as_of or _today()
    return _shared(("euro_table", day),
                   lambda: euro.euro_table(queries.emission_standards(cur), queries.countries(cur), day))


def rollup(cur: Cursor, as_of: dt.date | None = None) -> pd.DataFrame:
    """Countries per status for each target."""
    return gap_tables.rollup(gap_table(cur, as_of))


def latest_regional_share(cur: Cursor) -> dict:
    """The regional EV share of all new vehicle sales: sales-weighted over the countries with EV sales and
    shares by vehicle type (`ev_share.regional_all_vehicle_share`), with its coverage; value None without."""
    region = regional_ev_share(cur)
    return {"indicator": "ev_sales_share", "mode": "all_vehicles", "weighted": region["value"] is not None,
            "source_ids": [], **region}


def matching_inputs(cur: Cursor, as_of: dt.date | None = None) -> matching.MatchingInputs:
    """Everything the cooperation matching reads, from the database."""
    from ctatracker.store import cooperation

    return matching.MatchingInputs(
        countries=queries.countries(cur), action_areas=queries.action_areas(cur), gaps=gap_table(cur, as_of),
        indicators=queries.indicators(cur), euro=euro_table(cur, as_of), commitments=queries.commitments(cur),
        needs=queries.needs(cur), activities=queries.activities(cur), offers=cooperation.ta_offers(cur))


def matching_table(cur: Cursor, as_of: dt.date | None = None) -> pd.DataFrame:
    """Per country and action area: gaps, stage, needs, activities and catalogue offers side by side."""
    return _shared(("matching_table", as_of or _today()),
                   lambda: matching.matching_table(matching_inputs(cur, as_of)))
