"""AppTest: Compare countries (two to four side by side, deep-linkable)."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

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
    figures = at.dataframe[0].value
    assert list(figures.columns) == ["Key figure", "Thailand", "Viet Nam", "India"]
    assert figures.iloc[0]["Thailand"] == "4.1% in 2024 · Limited progress"
    stages = _html(at)
    assert re.search(r"Thailand</th>.*Viet Nam</th>.*India</th>", stages)
    assert len(at.get("plotly_chart")) == 2  # EV share and Euro levels
    names = _chart_names(at, 0)
    assert {"Thailand", "Viet Nam", "India"} <= set(names)


def test_a_deep_link_reproduces_the_view(open_page) -> None:
    at = open_page(PAGE, params={"compare": ["CHN", "KOR"], "vehicles": "cars"})
    assert at.multiselect(key="w_compare").value == ["CHN", "KOR"]
    assert at.selectbox(key="w_vehicles").value == "cars"
    assert list(at.dataframe[0].value.columns) == ["Key figure", "China", "Republic of Korea"]
    assert {"China", "Republic of Korea"} <= set(_chart_names(at, 0))


def test_one_country_is_not_a_comparison(open_page) -> None:
    at = open_page(PAGE, params={"compare": "LKA"})
    assert "Choose two to four countries" in at.info[0].value
    assert not at.dataframe


def test_countries_without_figures_say_so(open_page) -> None:
    at = open_page(PAGE, params={"compare": ["BTN", "MDV"]})
    assert not at.exception
    figures = at.dataframe[0].value
    assert (figures[["Bhutan", "Maldives"]] == "no data").all().all()
    assert "No data" in at.info[0].value  # no EV share line for either: said plainly, no empty chart
