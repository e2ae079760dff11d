"""AppTest: the country profile (story of one country) and, with no country chosen, the table of countries."""

from __future__ import annotations

import re

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.safe_text import as_shown

PAGE = "views/country.py"


def _text(at: AppTest) -> str:
    """The text a reader sees (database text is escaped in the Markdown)."""
    return as_shown("\n".join([m.value for m in at.markdown] + [c.value for c in at.caption]
                              + [i.value for i in at.info]))


def _html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html") if "cta-" in h.proto.body)


def _figure_tables(at: AppTest) -> pd.DataFrame:
    """The latest figures of every action area (HTML tables that wrap on a phone), as one frame."""
    from io import StringIO

    bodies = [h.proto.body for h in at.get("html") if "Latest figures" in h.proto.body]
    return pd.concat([pd.read_html(StringIO(b[b.index("<table"):]), flavor="lxml")[0] for b in bodies])


def test_without_a_country_every_country_is_listed_with_a_link_to_its_profile(open_page) -> None:
    at = open_page(PAGE)
    assert at.selectbox(key="w_country").value == ""
    assert not at.header  # no country opened by default
    table = _html(at)
    links = re.findall(r"<a href='\?country=([A-Z]{3})' target='_self'>([^<]+)</a>", table)
    assert ("THA", "Thailand") in links and ("VNM", "Viet Nam") in links and len(links) == 17
    assert "Limited progress" in table and "In policy" in table  # the 30% status and the stage strip


def test_thailand_story_from_the_url(open_page) -> None:
    at = open_page(PAGE, params={"country": "THA"})
    assert at.header[0].value == "Thailand"
    cards = _html(at)
    assert "aria-label='Stage of each action area'" in cards
    assert "<b>3. Electric vehicles</b>In policy" in cards
    assert "EV share of new vehicle sales, against 30% by 2030" in cards and "Limited progress" in cards
    assert "Emission standard, heavy-duty vehicles, against Euro VI by 2030" in cards
    assert [s.value for s in at.subheader][:4] == [
        "EV share of new vehicle sales, by vehicle type",
        "Emission standards: Euro level by the year it applies to new vehicles",
        "Public EV charging points", "Transport CO₂ against its 2019 level"]
    assert len(at.get("plotly_chart")) == 4
    text = _text(at)
    assert "**Last updated:** no change since the tracker was built; its newest source was published in 2025" \
        in text
    assert "**No data yet for:** Public transport and active mobility, Low-carbon freight, Resilience." in text
    assert [e.label for e in at.expander] == [
        "3. Electric vehicles: In policy \\(assessed 2021, stale\\)",
        "4. EV charging and grid integration: No stage recorded",
        "5. Fuel efficiency and emission standards: In law", "6. Renewable and zero-emission energy: In law"]


def test_one_latest_value_per_indicator_and_scope(open_page) -> None:
    at = open_page(PAGE, params={"country": "THA"})
    figures = _figure_tables(at)
    assert list(figures.columns) == ["Indicator", "Vehicles", "Latest value", "Year", "Source",
                                     "Other sources (latest figure of each)"]
    share = figures[figures["Indicator"] == "EV share of new vehicle sales"]
    assert sorted(share["Vehicles"]) == ["Cars", "Two/three-wheelers"]  # not 21%, 13% and 10% as three latest
    cars = share[share["Vehicles"] == "Cars"].iloc[0]
    assert (cars["Latest value"], cars["Year"], cars["Source"]) == ("13.0%", 2024, "IEA (2025)")
    assert "21.0% in 2025, part of the year" in cars["Other sources (latest figure of each)"]


def test_plain_words_on_the_profile(open_page) -> None:
    at = open_page(PAGE, params={"country": "VNM"})
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", _html(at), flags=re.S)  # never shown to a reader
    shown = _text(at) + "\n" + re.sub(r"<[^>]+>", " ", page)
    shown += "\n".join(str(c) for d in at.dataframe for c in d.value.columns)
    for bad in ("data/seed", ".csv", "_", "iea-gev"):
        hits = [w for w in re.findall(r"\S*" + re.escape(bad) + r"\S*", shown) if "://" not in w]
        assert not hits, (bad, hits[:5])


def test_a_country_with_little_data_says_so_in_one_line(open_page) -> None:
    at = open_page(PAGE, params={"country": "MDV"})
    assert at.header[0].value == "Maldives"
    text = _text(at)
    assert text.count("No data yet for:") == 1
    assert "No data yet for:** Public transport and active mobility, Low-carbon freight" in text
    assert [e.label.split(":")[0] for e in at.expander] == ["3. Electric vehicles",
                                                           "5. Fuel efficiency and emission standards"]
    charts = [s.value for s in at.subheader if s.value != "Action areas"][:1]
    assert charts == ["Transport CO₂ against its 2019 level"] and len(at.get("plotly_chart")) == 1  # EDGAR's only
    assert "No chart:" not in text


def test_sources_used_on_the_page_are_listed(open_page) -> None:
    at = open_page(PAGE, params={"country": "LKA"})
    assert at.subheader[-1].value == "Sources used on this page"
    sources = as_shown(at.markdown[-1].value)
    assert "Sunday Observer (Sri Lanka) 2023" in sources
    assert "Climate Analytics 2022" in sources


def test_choosing_another_country_changes_the_profile(open_page) -> None:
    at = open_page(PAGE, params={"country": "LKA"})
    at.selectbox(key="w_country").set_value("CHN").run()
    assert not at.exception
    assert at.header[0].value == "China"
    assert at.query_params["country"] in ("CHN", ["CHN"])
    assert "East Asia" in _text(at)


def test_a_recorded_need_shows_in_its_action_area(built_db, tmp_path, point_at) -> None:
    from ctatracker.model.enums import Role
    from ctatracker.model.schema import Need
    from ctatracker.store.database import connect, write_rows
    from ctatracker.store.permissions import Actor
    from tests.app.conftest import APP

    path = tmp_path / "tracker.duckdb"
    path.write_bytes(built_db.read_bytes())
    con = connect(path)
    need = Need(country_iso3="LKA", action_area_code="charging_grid",
                need="Grid studies for fast charging on the southern expressway.", submitted_by="sec@alp.example")
    write_rows(con, [need], Actor(name="sec@alp.example", role=Role.SECRETARIAT))
    con.close()
    point_at(path)
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["country"] = "LKA"
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    section = next(e for e in at.expander if e.label.startswith("4. "))  # the need alone gives the area content
    said = as_shown("\n".join(m.value for m in section.markdown))
    assert "Needs and challenges, as the country states them:** Grid studies for fast charging" in said
    others = "\n".join(m.value for e in at.expander if not e.label.startswith("4. ") for m in e.markdown)
    assert "Needs and challenges" not in others  # only where one is recorded
    assert "**Last updated:** " + pd.Timestamp.now(tz="UTC").strftime("%d %b %Y") in _text(at)
