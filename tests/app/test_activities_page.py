"""AppTest: activities page (filters kept in the URL, timeline, table, empty state)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ctatracker.store import queries
from ctatracker.store.database import connect

PAGE = "views/activities.py"


@pytest.fixture()
def all_activities(built_db: Path) -> pd.DataFrame:
    """Every activity in the test database, as the query layer returns them."""
    con = connect(built_db, read_only=True)
    try:
        return queries.activities(con)
    finally:
        con.close()


def _open(open_page, params: dict | None = None) -> AppTest:
    """Open the page (through the app, so the overview runs first and must not leave a filter behind)."""
    return open_page(PAGE, params=params)


def _table(at: AppTest) -> pd.DataFrame:
    assert len(at.dataframe) == 1
    return at.dataframe[0].value


def test_all_activities_on_a_timeline_and_in_the_table(open_page, all_activities) -> None:
    at = _open(open_page)
    assert at.title[0].value == "Activities"
    table = _table(at)
    assert len(table) == len(all_activities) > 10
    assert any(t.startswith("GEF Global E-Mobility Programme: Maldives") for t in table["title"])
    assert not table["status"].isna().any()  # a missing status reads "not stated"
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {"completed", "implementation"} <= {t["name"] for t in spec["data"]}
    hover = json.dumps([t["customdata"] for t in spec["data"]])
    assert "year only" in hover and "drawn to today" in hover
    undated = all_activities["start_date"].isna() & all_activities["start_year"].isna()
    assert any(f"{undated.sum()} activities have no start date" in c.value for c in at.caption)
    assert any(c.value.startswith("Sources:") for c in at.caption)


def test_status_filter_changes_the_rows(open_page, all_activities) -> None:
    at = _open(open_page)
    total = len(_table(at))
    at.multiselect(key="w_status").select("completed").run()
    table = _table(at)
    assert len(table) == (all_activities["status"] == "completed").sum() < total
    assert set(table["status"]) == {"completed"}
    assert at.query_params["status"] in ("completed", ["completed"])


def test_url_params_preselect_filters(open_page) -> None:
    at = _open(open_page, params={"countries": ["LKA"], "area": ["electric_vehicles"], "status": ["completed"]})
    assert at.multiselect(key="w_countries").value == ["LKA"]
    assert at.multiselect(key="w_status").value == ["completed"]
    table = _table(at)
    assert set(table["status"]) == {"completed"}
    assert set(table["country_name"]) <= {"Sri Lanka", "Regional"}
    assert "Framework for Electric Mobility Policy in Sri Lanka" in set(table["title"])


def test_partner_search_and_alp_toggle(open_page, all_activities) -> None:
    at = _open(open_page, params={"partner": "Global Environment Facility"})
    table = _table(at)
    gef = all_activities["funders"].fillna("").str.contains("Global Environment Facility")
    assert len(table) == gef.sum() >= 1
    assert table["title"].str.startswith("GEF Global E-Mobility").all()
    at.text_input(key="w_partner").set_value("").run()
    at.toggle(key="alp_only").set_value(True).run()
    table = _table(at)
    assert len(table) == all_activities["alp_supported"].sum() > 0
    assert table["alp_supported"].all()


def test_filters_matching_nothing_give_an_empty_state(open_page) -> None:
    at = _open(open_page, params={"partner": "no such partner"})
    assert not at.dataframe
    assert not at.get("plotly_chart")
    assert "No activity matches these filters" in at.info[0].value
