"""Derived tables computed once per data version: the 30% table, the headline and the matching reuse the gap table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ctatracker.analysis import derived, gap_tables, headline
from ctatracker.findings import read
from ctatracker.store.database import connect


@pytest.fixture()
def con(built_db: Path):
    con = connect(built_db, read_only=True)
    yield con
    con.close()


def test_within_one_store_the_gap_table_is_computed_once(con, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = gap_tables.gap_table
    monkeypatch.setattr(gap_tables, "gap_table", lambda *a, **k: calls.append(1) or real(*a, **k))
    with derived.sharing({}):
        derived.gap_table(con.cursor())
        derived.ev30_table(con.cursor())
        derived.rollup(con.cursor())
        derived.matching_table(con.cursor())
        headline.overview_headline(con.cursor())
        read.findings(con.cursor())
    assert len(calls) == 1  # before: once per derived table asked for (six here)
    with derived.sharing({}):  # a new data version: computed again
        derived.ev30_table(con.cursor())
    assert len(calls) == 2


def test_shared_results_equal_fresh_ones_and_are_copies(con) -> None:
    fresh_gap, fresh_ev30 = derived.gap_table(con.cursor()), derived.ev30_table(con.cursor())
    with derived.sharing({}):
        first = derived.gap_table(con.cursor())
        first["status"] = "changed by a page"
        again = derived.gap_table(con.cursor())
        ev30 = derived.ev30_table(con.cursor())
    pd.testing.assert_frame_equal(again, fresh_gap)
    pd.testing.assert_frame_equal(ev30, fresh_ev30)
