"""AppTest: progress charts page (indicator, vehicle scope, countries, chart, plotted data, no-data notes)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from dashboard.safe_text import as_shown

PAGE = "views/progress.py"


def _trace_names(at: AppTest) -> list[str]:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return [t.get("name", "") for t in json.loads(charts[0].proto.spec)["data"]]


def _shapes_text(at: AppTest) -> str:
    return json.dumps(json.loads(at.get("plotly_chart")[0].proto.spec)["layout"].get("annotations", []),
                      ensure_ascii=False)


def test_cars_plots_china_india_korea_with_the_iea_values(open_page) -> None:
    at = open_page(PAGE, params={"mode": "cars"})
    assert at.title[0].value == "Progress charts"
    assert at.selectbox(key="w_indicator").value == "ev_sales_share"
    assert at.selectbox(key="w_mode").value == "cars"
    assert {"CHN", "IND", "KOR"} <= set(at.multiselect(key="w_countries").value)
    names = _trace_names(at)
    assert {"China", "India", "Republic of Korea"} <= set(names)  # one line each: one source family
    assert not any("sources differ" in n for n in names)
    table = at.dataframe[0].value
    china_2022 = table[(table["country_name"] == "China") & (table["year"] == 2022)]
    # both IEA editions are listed; the line takes the newest (2025), the 2023 edition's value is set aside
    assert sorted(zip(china_2022["source_year"], china_2022["value"], china_2022["in_line"], strict=True)) == [
        (2023, 29.0, False), (2025, 29.0, True)]
    assert set(china_2022["source_publisher"]) == {"IEA"}
    korea = table[(table["country_name"] == "Republic of Korea") & (table["source_publisher"] != "IEA")]
    assert len(korea) and not korea["in_line"].any()  # another source's figures: listed, not on the IEA line
    assert set(table["mode"]) == {"cars"}
    assert "target_value" in table and "projected_value" in table
    assert any("Sources:" in c.value and "IEA (2025)" in as_shown(c.value) for c in at.caption)


def test_all_vehicle_target_is_not_drawn_on_the_car_chart(open_page) -> None:
    at = open_page(PAGE, params={"mode": "cars"})
    assert not any("Regional target" in n for n in _trace_names(at))
    assert "different scope" not in _shapes_text(at)
    at.toggle(key="show_reference").set_value(True).run()
    assert "regional ambition, all vehicles — different scope" in _shapes_text(at)
    assert not any("Regional target" in n for n in _trace_names(at))


def test_india_car_target_and_dashed_projection(open_page) -> None:
    at = open_page(PAGE, params={"mode": "cars", "countries": ["IND"]})
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [t.get("name", "") for t in spec["data"]]
    assert "India national target: 30 by 2030" in names
    projection = [t for t in spec["data"] if "projection" in t.get("name", "")]
    assert len(projection) == 1 and projection[0]["line"]["dash"] == "dash"
    table = at.dataframe[0].value
    assert set(table["country_name"]) == {"India"}
    assert set(table["target_year"].dropna()) == {2030}


def test_url_countries_preselect_and_no_data_for_a_country_without_values(open_page) -> None:
    at = open_page(PAGE, params={"mode": "cars", "countries": ["CHN", "LKA"]})
    assert at.multiselect(key="w_countries").value == ["CHN", "LKA"]
    assert set(at.dataframe[0].value["country_name"]) == {"China"}
    notes = [i.value for i in at.info]
    assert any("No data" in n and "Sri Lanka" in n for n in notes)
    assert not (at.dataframe[0].value["value"] == 0).any()


def test_changing_the_vehicle_scope_changes_the_chart(open_page) -> None:
    at = open_page(PAGE, params={"mode": "cars", "countries": ["CHN", "IND"]})
    assert len(at.dataframe[0].value) > 20
    at.selectbox(key="w_mode").set_value("all_vehicles").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["country_name"]) == {"India"}
    assert list(table["value"]) == [7.7]
    assert any("Regional target" in n for n in _trace_names(at))  # same scope now: the 30% star is drawn
    china = [i.value for i in at.info if "China" in i.value]
    assert china and "No data" in china[0] and "cars" in china[0]


def test_countries_with_data_button_resets_the_selection(open_page) -> None:
    at = open_page(PAGE, params={"mode": "cars", "countries": ["LKA"]})
    assert not at.dataframe
    at.button[0].click().run()
    assert {"CHN", "IND", "KOR"} <= set(at.multiselect(key="w_countries").value)
    assert len(at.dataframe) == 1


def test_the_value_axis_can_be_zoomed_or_logarithmic(open_page) -> None:
    at = open_page(PAGE, params={"mode": "cars", "countries": ["CHN", "IND"]})
    axis = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["yaxis"]
    assert at.radio(key="progress_axis").value == "zero" and axis["range"][0] == 0
    at.radio(key="progress_axis").set_value("log").run()
    axis = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["yaxis"]
    assert axis["type"] == "log"
    at.radio(key="progress_axis").set_value("zoom").run()
    axis = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["yaxis"]
    assert axis.get("type") != "log" and axis["range"][0] != 0


def test_chosen_countries_without_data_are_named_above_the_chart(open_page) -> None:
    """Before: a chosen country without a figure was simply not drawn; the chart said nothing of it."""
    at = open_page(PAGE, params={"mode": "cars", "countries": ["CHN", "LKA", "BTN"]})
    said = as_shown(at.warning[0].value)
    assert said.startswith("Not drawn: no ") and "Sri Lanka" in said and "Bhutan" in said and "China" not in said
    subtitle = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["subtitle"]["text"]
    assert "Bhutan" in subtitle and "Not drawn" in subtitle  # the saved chart says it too
