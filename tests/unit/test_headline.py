"""The overview's headline figures: values, notes, and honest "no data"."""

from __future__ import annotations

import pandas as pd

from ctatracker.analysis.headline import communique_answer, headline_figures

COUNTRIES = pd.DataFrame({"iso3": ["IND", "NPL", "THA"], "name": ["India", "Nepal", "Thailand"],
                          "lg_cta_member": [True, None, False]})
EURO = pd.DataFrame({
    "vehicle_class": ["heavy_duty"] * 3 + ["light_duty"] * 3,
    "status": ["in_force", "scheduled", "no_data", "pledged", "pledged", "in_force"],
})
NO_SHARE = {"value": None, "weighted": False, "countries_used": [], "n_countries": 0, "year": 2025,
            "method": "No country has a 2025 value of ev_sales_share (all_vehicles): no regional figure."}
NO_CHARGING = pd.DataFrame({"name": [], "year": [], "value": []})
ACTIVITIES = pd.DataFrame({"id": ["a1", "a2"]})


def _by_label(figures) -> dict:
    return {f.label.split(",")[0] if f.label.startswith("EV share") else f.label: f for f in figures}


def test_missing_figures_say_no_data_and_what_would_fill_them() -> None:
    figures = _by_label(headline_figures(COUNTRIES, EURO, NO_SHARE, NO_CHARGING, ACTIVITIES))
    assert figures["EV share of new vehicle sales"].value == "no data"
    assert "would fill it" in figures["EV share of new vehicle sales"].notes[0]
    assert figures["EV share of new vehicle sales"].detail == NO_SHARE["method"]
    assert figures["Public charging points"].value == "no data"
    assert "0" not in figures["Public charging points"].value


def test_euro_counts_and_activity_count() -> None:
    figures = _by_label(headline_figures(COUNTRIES, EURO, NO_SHARE, NO_CHARGING, ACTIVITIES))
    heavy = figures["Euro VI in force, heavy-duty"]
    assert heavy.value == "1 of 3" and heavy.notes == ("+1 adopted, 0 pledged for 2030 or earlier",)
    assert "No data for 1 country" in heavy.detail
    assert figures["Euro VI in force, light-duty"].notes == ("+0 adopted, 2 pledged for 2030 or earlier",)
    assert figures["Countries covered"].value == "3" and "India, Nepal, Thailand" in figures["Countries covered"].detail
    assert figures["Activities under way"].value == "2"
    covered = figures["Countries covered"]
    assert covered.notes[1] == "LG-CTA membership recorded for 1 of 3: the member list is not public."
    assert "only where a public source states it" in covered.detail


def test_ev_share_names_its_basis_and_the_gap_to_the_ambition() -> None:
    share = {"value": 7.25, "weighted": True, "countries_used": ["IND", "THA"], "n_countries": 2, "year": 2024,
             "coverage": "2 of 3 countries; modes: cars and 2/3-wheelers", "method": "Sales-weighted: ...",
             "largest": "IND", "largest_share": 91.2, "without_largest": 11.04}
    ambition = {"target_value": 30.0, "target_year": 2030}  # the communique's, as the targets table holds it
    ev = next(f for f in headline_figures(COUNTRIES, EURO, share, NO_CHARGING, ACTIVITIES, ambition=ambition)
              if f.label.startswith("EV share"))
    assert ev.label == "EV share of new vehicle sales, 2024" and ev.value == "7.2%"
    assert ev.notes[0] == "\u221222.8 pp vs the 30% ambition for 2030"
    assert ev.notes[1] == ("Sales-weighted over 2 of 3 countries; modes: cars and 2/3-wheelers (India, Thailand); "
                           "not a figure for the whole region: the others have no data.")
    assert ev.notes[2] == "India makes 91% of these sales; without India: 11.0%."


def test_charging_adds_only_figures_of_one_year_and_one_source() -> None:
    # India and Thailand 2024 from IEA are added; Nepal's 2022 figure from a news report is listed, not added
    charging = pd.DataFrame({"name": ["India", "Thailand", "Nepal"], "year": [2024, 2024, 2022],
                             "value": [25_000.0, 1_500.0, 3_739.0], "source_id": ["iea-25", "iea-25", "news"],
                             "source_family": ["iea-gev", "iea-gev", None],
                             "source_publisher": ["IEA", "IEA", "A newspaper"]})
    figure = next(f for f in headline_figures(COUNTRIES, EURO, NO_SHARE, charging, ACTIVITIES)
                  if f.label.startswith("Public charging"))
    assert figure.label == "Public charging points, 2024" and figure.value == "26,500"
    assert figure.notes[0] == "2 of 3 countries, one source (IEA): India, Thailand. Not a regional total."
    assert "not added to it: Nepal 3,739 (2022)." in figure.detail


def test_the_30_percent_card_counts_statuses_and_proxies() -> None:
    ev30 = pd.DataFrame({"status": ["on_track", "achieved", "limited_progress", "missed", "insufficient_data"],
                         "basis_kind": ["derived", "reported", "proxy", "derived", "none"]})
    card = next(f for f in headline_figures(COUNTRIES, EURO, NO_SHARE, NO_CHARGING, ACTIVITIES, ev30=ev30)
                if f.label.startswith("30%"))
    assert card.value == "2 on track, 2 off"
    assert card.notes == ("1 of 3 countries cannot be assessed for lack of data; 1 assessed on one vehicle type "
                          "as a proxy",)


def test_without_a_recorded_ambition_the_share_is_not_compared_with_an_assumed_one() -> None:
    share = {"value": 7.25, "weighted": True, "countries_used": ["IND"], "n_countries": 1, "year": 2024,
             "method": "Sales-weighted: ..."}
    ev = next(f for f in headline_figures(COUNTRIES, EURO, share, NO_CHARGING, ACTIVITIES)
              if f.label.startswith("EV share"))
    assert ev.notes[0] == "no regional ambition recorded to compare with"


def test_the_communique_is_answered_in_one_line_per_target() -> None:
    ev30 = pd.DataFrame({"status": ["on_track", "achieved", "limited_progress", "missed", "insufficient_data"],
                         "basis_kind": ["derived", "reported", "proxy", "derived", "none"]})
    lines = dict(communique_answer(ev30, EURO))
    assert list(lines) == ["30% EV sales by 2030", "Euro VI by 2030, heavy duty", "Euro VI by 2030, light duty"]
    assert lines["30% EV sales by 2030"] == (
        "2 on track, 2 off track, 1 no data, of 5 countries (basis: 2 on all vehicles derived from sales by vehicle "
        "type, 1 on all vehicles as reported, 1 on one vehicle type as a proxy)")
    assert lines["Euro VI by 2030, heavy duty"] == "1 in force, 1 adopted, 0 pledged, 1 none (1 of them without data)"
    assert lines["Euro VI by 2030, light duty"] == "1 in force, 0 adopted, 2 pledged, 0 none"
    assert dict(communique_answer(ev30.iloc[0:0], EURO))["30% EV sales by 2030"].startswith("no regional")
