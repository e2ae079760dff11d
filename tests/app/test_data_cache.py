"""The dashboard's one caching module: results and figures are kept until the data changes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ctatracker.charts import overview as charts
from ctatracker.store import queries
from dashboard import data


def test_a_figure_is_built_once_per_data_version_and_inputs(point_at, built_db: Path) -> None:
    point_at(built_db)
    countries, areas = data.load(queries.countries), data.load(queries.action_areas)
    commitments = data.load(queries.commitments)
    first = data.figure(charts.scorecard, commitments=commitments, countries=countries, areas=areas)
    again = data.figure(charts.scorecard, commitments=commitments.copy(), countries=countries, areas=areas)
    assert again is first  # same inputs, same data: the same figure, not rebuilt
    fewer = countries[countries["iso3"].isin(["IND", "NPL"])]
    other = data.figure(charts.scorecard, commitments=commitments, countries=fewer, areas=areas)
    assert other is not first and list(other.data[0].y) == ["India", "Nepal"]
    data.write(lambda cur: None)  # any write made in the app moves the data version on
    rebuilt = data.figure(charts.scorecard, commitments=commitments, countries=countries, areas=areas)
    assert rebuilt is not first and rebuilt.to_dict() == first.to_dict()


def test_findings_are_warmed_right_after_a_change_for_every_session(point_at, seed_copy: Path, monkeypatch) -> None:
    import datetime as dt
    import time

    from ctatracker.model.schema import Source
    from ctatracker.store.database import write_rows
    from ctatracker.store.permissions import SYSTEM

    monkeypatch.setenv("CTA_DB_MODE", "read_write")  # a seed build has no accounts: the app would open it to read
    point_at(seed_copy)
    data.write(write_rows, [Source(id="warm-test", title="A new source", publisher="p")], SYSTEM)
    store = data._derived_tables(data.db_version())
    deadline = time.monotonic() + 120
    while ("findings", dt.date.today()) not in store and time.monotonic() < deadline:
        time.sleep(0.05)  # polling the condition: the warm-up runs in the background
    assert ("findings", dt.date.today()) in store  # computed once, before any page asks for it


def test_a_write_readers_cannot_see_warms_nothing(point_at, seed_copy: Path, monkeypatch) -> None:
    """A sign-in counter or a submission changes no published figure: no background work for it."""
    asked: list[int] = []
    monkeypatch.setattr(data._warming, "request", lambda: asked.append(1))
    monkeypatch.setenv("CTA_DB_MODE", "read_write")
    point_at(seed_copy)
    data.write(lambda cur: cur.execute("SELECT 1"))
    assert asked == []


def test_warming_runs_one_at_a_time_and_once_more_for_requests_made_meanwhile() -> None:
    import threading

    started, release, runs = threading.Event(), threading.Event(), []

    def job() -> None:
        runs.append(1)
        started.set()
        release.wait(10)

    one = data._OneAtATime(job)
    one.request()
    assert started.wait(10)
    one.request()
    one.request()  # both folded into one more run
    assert len(runs) == 1
    release.set()
    deadline = threading.Event()
    for _ in range(200):
        if len(runs) == 2 and not one._running:
            break
        deadline.wait(0.05)
    assert len(runs) == 2 and not one._running


def test_query_results_are_copies_a_page_may_change(point_at, built_db: Path) -> None:
    point_at(built_db)
    countries = data.load(queries.countries)
    countries["name"] = "changed"
    assert not (data.load(queries.countries)["name"] == "changed").any()
    assert isinstance(data.load(queries.countries), pd.DataFrame)


def test_a_database_built_by_an_older_version_is_brought_up_to_date_when_the_app_opens_it(
        open_page, point_at, built_db: Path, tmp_path: Path) -> None:
    import shutil

    from ctatracker.store.database import connect

    old = tmp_path / "old.duckdb"
    shutil.copy(built_db, old)
    con = connect(old)
    con.execute("ALTER TABLE sources DROP COLUMN family")
    con.execute("DROP TABLE scenario_values")
    con.close()
    point_at(old)
    at = open_page("views/gaps.py")  # reads sources' family and the scenario values
    assert at.header[0].value == "Who is on track for 30% EV sales by 2030?"
    con = connect(old, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = 'sources' "
                           "AND column_name = 'family'").fetchone() == (1,)
    finally:
        con.close()
