"""The overview's headline figures: values, notes, and honest "no data"."""

from __future__ import annotations

import pandas as pd

from ctatracker.analysis.headline import headline_figures

COUNTRIES = pd.DataFrame({"iso3": ["IND", "NPL", "THA"], "name": ["India", "Nepal", "Thailand"],
                          "lg_cta_member": [True, None, False]})
EURO = pd.DataFrame({
    "vehicle_class": ["heavy_duty"] * 3 + ["light_duty"] * 3,
    "status": ["in_force", "scheduled", "no_data", "pledged", "pledged", "in_force"],
})
NO_CHARGING = pd.DataFrame({"name": [], "year": [], "value": []})
ACTIVITIES = pd.DataFrame({"id": ["a1", "a2"]})


def _by_label(figures) -> dict:
    return {f.label.split(",")[0] if f.label.startswith("EV share") else f.label: f for f in figures}


def test_missing_figures_say_no_data_and_what_would_fill_them() -> None:
    figures = _by_label(headline_figures(COUNTRIES, EURO, NO_CHARGING, ACTIVITIES))
    assert figures["Public charging points"].value == "no data"
    assert "0" not in figures["Public charging points"].value
    assert not any(label.startswith(("EV share", "30%")) for label in figures)  # said by the findings, once


def test_euro_counts_and_activity_count() -> None:
    figures = _by_label(headline_figures(COUNTRIES, EURO, NO_CHARGING, ACTIVITIES))
    heavy = figures["Euro VI in force, heavy-duty"]
    assert heavy.value == "1 of 3" and heavy.notes == ("+1 adopted, 0 pledged for 2030 or earlier",)
    assert "No data for 1 country" in heavy.detail
    assert figures["Euro VI in force, light-duty"].notes == ("+0 adopted, 2 pledged for 2030 or earlier",)
    assert figures["Countries covered"].value == "3" and "India, Nepal, Thailand" in figures["Countries covered"].detail
    assert figures["Activities under way"].value == "2"
    covered = figures["Countries covered"]
    assert covered.notes[1] == "LG-CTA membership recorded for 1 of 3: the member list is not public."
    assert "only where a public source states it" in covered.detail


def test_charging_adds_only_figures_of_one_year_and_one_source() -> None:
    # India and Thailand 2024 from IEA are added; Nepal's 2022 figure from a news report is listed, not added
    charging = pd.DataFrame({"name": ["India", "Thailand", "Nepal"], "year": [2024, 2024, 2022],
                             "value": [25_000.0, 1_500.0, 3_739.0], "source_id": ["iea-25", "iea-25", "news"],
                             "source_family": ["iea-gev", "iea-gev", None],
                             "source_publisher": ["IEA", "IEA", "A newspaper"]})
    figure = next(f for f in headline_figures(COUNTRIES, EURO, charging, ACTIVITIES)
                  if f.label.startswith("Public charging"))
    assert figure.label == "Public charging points, 2024" and figure.value == "26,500"
    assert figure.notes[0] == "2 of 3 countries, one source (IEA): India, Thailand. Not a regional total."
    assert "not added to it: Nepal 3,739 (2022)." in figure.detail
