"""AppTest: cooperation (matching view, gaps without support) and the technical assistance catalogue."""

from __future__ import annotations

import re
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from ctatracker.config import PROJECT_ROOT
from dashboard.safe_text import as_shown

COOPERATION = "views/cooperation.py"
CATALOGUE = "views/catalogue.py"


def _open(open_page: Callable[..., AppTest], page: str, params: dict | None = None) -> AppTest:
    """Open the page through the app's navigation; until dashboard/app.py registers it, run it on its own."""
    try:
        return open_page(page, params=params)
    except ValueError as exc:
        if "Could not find a navigation page" not in str(exc):
            raise
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard" / page), default_timeout=30)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _areas(at: AppTest) -> dict[str, str]:
    """Text shown in each action area's box of the matching view, by area name."""
    out: dict[str, str] = {}
    current = None
    for md in at.markdown:
        text = as_shown(md.value)
        if text.startswith("**") and text.count("**") == 2 and "\n" not in text and "  " not in text:
            current = text.split("**")[1]
            out[current] = ""
        elif current:
            out[current] += text + "\n"
    return out


def test_matching_view_for_sri_lanka(open_page) -> None:
    at = _open(open_page, COOPERATION, {"country": "LKA"})
    assert at.title[0].value == "Cooperation"
    assert at.header[0].value == "Sri Lanka"
    areas = _areas(at)
    ev = areas["Electric vehicles"]
    assert "Framework for Electric Mobility Policy in Sri Lanka (completed, 2019)" in ev
    assert "**Indicative evidence only.**" not in ev  # a status label, never a group name
    assert "Sri Lanka: indicative evidence only: 10.0% of passenger vehicle imports (2025)" in ev  # the finding
    assert "EV adoption roadmaps and policies" in ev  # the catalogue offers for the area
    assert "Proposed / in discussion" in ev
    assert "No data: no need recorded" in ev
    assert "No offer in the catalogue" in areas["Resilience"]


def test_country_with_an_off_track_target_gets_the_area_offers(open_page) -> None:
    at = _open(open_page, COOPERATION, {"country": "IND"})
    ev = _areas(at)["Electric vehicles"]
    assert "**Limited progress.** India: limited progress." in ev  # the 30% finding, as the overview says it
    assert "EV adoption roadmaps and policies" in ev and "E-mobility policy for sub-national governments" in ev
    table = at.dataframe[0].value
    rows = set(zip(table["Country"], table["Action area"], strict=True))
    assert ("India", "Electric vehicles") in rows
    assert ("Indonesia", "Electric vehicles") in rows  # off track, and no activity under way recorded there
    assert ("Sri Lanka", "Fuel efficiency and emission standards") in rows  # Euro VI not scheduled
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("CSV") == 2 and labels.count("Excel") == 2


def _country_without_off_track_areas(db) -> tuple[str, str]:
    from ctatracker.analysis import derived
    from ctatracker.store.database import connect

    con = connect(db, read_only=True)
    try:
        table = derived.matching_table(con.cursor())
    finally:
        con.close()
    calm = table.groupby(["country_iso3", "country_name"])["off_track"].any()
    return next(key for key, off in calm.items() if not off)


def test_filters_change_the_view(open_page, built_db) -> None:
    at = _open(open_page, COOPERATION, {"country": "LKA"})
    assert len(_areas(at)) == 7
    at.toggle(key="coop_only").set_value(True).run()
    assert list(_areas(at)) == ["Fuel efficiency and emission standards"]
    calm = _country_without_off_track_areas(built_db)
    at.selectbox(key="w_country").set_value(calm[0]).run()
    assert at.header[0].value == calm[1]
    assert at.query_params["country"] in (calm[0], [calm[0]])
    assert f"No action area of {calm[1]} is off track" in at.info[0].value


def test_catalogue_lists_offers_for_an_off_track_area(open_page) -> None:
    at = _open(open_page, CATALOGUE, {"area": []})
    assert at.title[0].value == "Technical assistance catalogue"
    text = as_shown("\n".join(m.value for m in at.markdown))
    assert "Emission testing know-how" in text and "Fuel-efficiency standards and monitoring" in text
    assert re.search(r"\*\*Needs support:\*\* [^\n]*Indonesia[^\n]*Pakistan", text)
    assert len(at.dataframe[0].value) == 15
    at.toggle(key="catalogue_needed").set_value(True).run()
    offers = at.dataframe[0].value
    # charging: Malaysia's 10,000 public points by 2025 missed (IEA: 2,010 in 2024, the latest yearly figure)
    assert set(offers["Action area"]) == {"Electric vehicles", "Fuel efficiency and emission standards",
                                          "EV charging and grid integration"}
    assert "Emission testing know-how" in set(offers["Offer"])


def test_catalogue_area_filter(open_page) -> None:
    at = _open(open_page, CATALOGUE, {"area": ["freight"]})
    offers = at.dataframe[0].value
    assert list(offers["Offer"]) == ["Decarbonising long-range freight", "EV technology for freight"]
    assert any("Asia LEDS Partnership" in c.value for c in at.caption)


def test_activities_page_offers_iati_xml(open_page) -> None:
    at = open_page("views/activities.py", params={"countries": ["LKA"], "area": []})
    assert "IATI-style XML" in [b.proto.label for b in at.get("download_button")]
