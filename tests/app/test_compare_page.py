"""AppTest: Compare countries (two to four side by side, deep-linkable)."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from ctatracker.findings import profile
from ctatracker.store.database import connect

PAGE = "views/compare.py"


def _html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html") if "cta-" in h.proto.body)


def _chart_names(at: AppTest, index: int) -> list[str]:
    import json

    spec = json.loads(at.get("plotly_chart")[index].proto.spec)
    return [t.get("name", "") for t in spec["data"]]


def test_opens_on_three_countries_side_by_side(open_page) -> None:
    at = open_page(PAGE)
    assert at.multiselect(key="w_compare").value == ["THA", "VNM", "IND"]
    figures = _html(at)
    assert re.search(r"<th>Key figure</th><th>Thailand</th><th>Viet Nam</th><th>India</th>", figures)
    assert "<td>4.1% in 2024 · Limited progress</td>" in figures
    stages = figures
    assert re.search(r"Thailand</th>.*Viet Nam</th>.*India</th>", stages)
    assert len(at.get("plotly_chart")) == 2  # EV share and Euro levels
    names = _chart_names(at, 0)
    assert {"Thailand", "Viet Nam", "India"} <= set(names)


def test_a_deep_link_reproduces_the_view(open_page) -> None:
    at = open_page(PAGE, params={"compare": ["CHN", "KOR"], "vehicles": "cars"})
    assert at.multiselect(key="w_compare").value == ["CHN", "KOR"]
    assert at.selectbox(key="w_vehicles").value == "cars"
    assert "<th>Key figure</th><th>China</th><th>Republic of Korea</th>" in _html(at)
    assert {"China", "Republic of Korea"} <= set(_chart_names(at, 0))


def test_one_country_is_not_a_comparison(open_page) -> None:
    at = open_page(PAGE, params={"compare": "LKA"})
    assert "Choose two to four countries" in at.info[0].value
    assert not _html(at)


def test_countries_without_figures_say_so(open_page, built_db) -> None:
    at = open_page(PAGE, params={"compare": ["BTN", "MDV"]})
    assert not at.exception
    figures = _html(at)
    con = connect(built_db, read_only=True)
    try:
        profiles = profile.country_profiles(con.cursor(), ["BTN", "MDV"])
    finally:
        con.close()
    empty = [f.value for p in profiles for f in p.key_figures if f.value in profile.NO_FIGURE]
    assert len(empty) >= 4  # most key figures of these two countries are missing
    assert sum(figures.count(f"<td>{v}</td>") for v in profile.NO_FIGURE) == len(empty)
    assert "No data" in at.info[0].value  # no EV share line for either: said plainly, no empty chart
