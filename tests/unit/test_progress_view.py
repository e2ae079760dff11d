"""What the Progress charts page draws: the figures, the line, the targets and the plotted-data table."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctatracker.analysis import derived, progress_view
from ctatracker.findings import compare, profile
from ctatracker.store import queries
from ctatracker.store.database import connect


@pytest.fixture(scope="module")
def con(built_db: Path):
    con = connect(built_db, read_only=True)
    yield con
    con.close()


def _inputs(con, indicator: str, mode: str, countries: list[str]) -> progress_view.ProgressInputs:
    cur = con.cursor()
    return progress_view.progress_inputs(queries.observations(cur, indicator_code=indicator, mode=mode),
                                         queries.targets(cur, indicator_code=indicator), derived.gap_table(cur),
                                         indicator, mode, countries)


def test_only_the_chosen_countries_and_their_line(con) -> None:
    got = _inputs(con, "ev_sales_share", "cars", ["IND", "THA"])
    assert set(got.series["country_iso3"]) == {"IND", "THA"}
    assert set(got.line["country_iso3"]) == {"IND", "THA"}
    assert not got.line.duplicated(["country_iso3", "year"]).any()  # one point per country and year
    assert set(got.gap["country_iso3"]) <= {"IND", "THA"}
    assert set(got.gap["mode"]) == {"cars"}
    national = got.targets["country_iso3"].dropna()
    assert set(national) <= {"IND", "THA"}


def test_the_table_marks_the_drawn_figures_and_names_a_missing_target(con) -> None:
    got = _inputs(con, "ev_sales_share", "cars", ["IND", "THA"])
    table = progress_view.plotted_table(got)
    assert list(table.columns) == progress_view.PLOTTED_COLUMNS
    assert len(table) == len(got.series)
    assert table["in_line"].sum() == len(got.line)
    assert table["target"].notna().all()
    nothing = _inputs(con, "ev_sales_share", "cars", [])
    assert progress_view.plotted_table(nothing).empty


def test_a_below_the_base_year_target_becomes_one_level_per_country(con) -> None:
    cur = con.cursor()
    gap = derived.gap_table(cur)
    resolved = gap[gap["target_value_basis"].isin(["baseline_observed", "baseline_stated"])]
    assert not resolved.empty  # the seed's transport CO2 target is stated against the 2019 value
    row = resolved.iloc[0]
    got = _inputs(con, row["indicator_code"], row["mode"], [row["country_iso3"]])
    ids = set(got.targets["id"])
    assert f"{row['target_id']}_{row['country_iso3']}" in ids
    level = got.targets[got.targets["id"] == f"{row['target_id']}_{row['country_iso3']}"].iloc[0]
    assert level["label"].startswith(f"{row['country_name']}: ")


def test_profiles_side_by_side(con) -> None:
    cur = con.cursor()
    both = profile.country_profiles(cur, ["IND", "THA"])
    cars = compare.share_series_of(both, "cars")
    assert set(cars["country_iso3"]) <= {"IND", "THA"} and set(cars["mode"]) == {"cars"}
    assert compare.share_series_of([], "cars").empty
    targets = compare.targets_of(both)
    assert not targets["id"].duplicated().any()
    assert set(compare.standards_of(both)["country_iso3"]) <= {"IND", "THA"}
    cited = both[0].sources_cited()
    assert not cited.duplicated().any()
    assert list(cited["source_publisher"]) == sorted(cited["source_publisher"])


def test_countries_the_chart_leaves_out_are_named_with_why(con) -> None:
    """Before: a chosen country without a figure was left off the chart without a word above it."""
    names = {"IND": "India", "LKA": "Sri Lanka", "BTN": "Bhutan"}
    gaps = progress_view.not_drawn(_inputs(con, "ev_sales_share", "cars", list(names)), list(names), names)
    assert "India" not in gaps.no_data + gaps.no_yearly
    assert {"Sri Lanka", "Bhutan"} <= set(gaps.no_data)
    sentence = gaps.sentence("EV share — cars")
    assert sentence.startswith("Not drawn: no EV share — cars figure for ") and " and " in sentence
    assert progress_view.NotDrawn([], []).sentence("x") is None
    assert progress_view.NotDrawn([], ["Viet Nam"]).sentence("x") == (
        "Not drawn: no yearly figure for Viet Nam (its figures are listed in the table below).")
