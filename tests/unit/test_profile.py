"""The country profile's shaping: one latest figure per indicator and scope, areas with content, 'last updated'
from changes made after the build, and the charts' colours (targets never in a country's fill)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from ctatracker.charts.country import MODE_COLOURS, SPARE_COLOUR, ev_share_chart, mode_colour
from ctatracker.charts.progress import TARGET_FILL, progress_chart
from ctatracker.charts.style import COUNTRY_COLOURS
from ctatracker.findings import profile
from ctatracker.store import queries


def _obs(**over) -> dict:
    row = {"country_iso3": "THA", "country_name": "Thailand", "indicator_code": "ev_sales_share",
           "indicator_name": "EV share of new vehicle sales", "unit": "percent", "mode": "cars", "year": 2024,
           "value": 13.0, "source_id": "iea-2025", "source_family": "iea", "source_year": 2025,
           "source_publisher": "IEA", "source_title": "GEVO", "source_url": "https://iea.org", "confidence": "high",
           "period": "annual", "powertrains": "bev_and_phev", "note": None}
    return {**row, **over}


def test_one_latest_value_per_indicator_and_scope_others_listed() -> None:
    obs = pd.DataFrame([
        _obs(year=2023, value=10.0), _obs(),
        _obs(source_id="ember", source_family=None, source_publisher="Energy News", year=2025, value=21.0,
             period="partial_year"),
        _obs(source_id="evfy", source_family=None, source_publisher="EVFY", value=13.4, confidence="medium"),
        _obs(mode="two_three_wheelers", value=1.2),
    ])
    latest = profile.latest_figures(obs)
    cars = latest[latest["mode"] == "cars"]
    assert len(cars) == 1  # not three 'latest' rows
    assert (cars["value"].iloc[0], cars["year"].iloc[0], cars["source"].iloc[0]) == ("13.0%", 2024, "IEA (2025)")
    assert cars["other_sources"].iloc[0] == ("21.0% in 2025, part of the year (Energy News (2025)); "
                                             "13.4% in 2024 (EVFY (2025))")
    assert latest[latest["mode"] == "two_three_wheelers"]["scope"].iloc[0] == "Two/three-wheelers"


def test_a_part_year_figure_with_no_yearly_one_says_what_it_covers() -> None:
    obs = pd.DataFrame([_obs(mode="three_wheelers", value=53.61, source_id="vahan", source_family=None,
                             period="partial_year")])
    row = profile.latest_figures(obs).iloc[0]
    assert (row["value"], row["year"]) == ("53.6% (part of the year)", 2024)  # never shown as the year's share


def test_counts_are_whole_numbers_with_their_unit() -> None:
    assert profile.number(1.0, "vehicles") == "1 vehicles"
    assert profile.number(13400.0, "charging_points") == "13,400 charging points"
    assert profile.number(44.0, "mt_co2") == "44.0 Mt CO₂"
    assert profile.number(0.041, "percent") == "0.041%"


def test_a_regional_target_without_figures_is_not_content() -> None:
    areas = pd.DataFrame({"code": ["ev", "standards", "freight"], "name": ["EVs", "Standards", "Freight"]})
    frames = {"commitments": pd.DataFrame({"area": ["ev"]}), "targets": pd.DataFrame({"area": []}),
              "gaps": pd.DataFrame({"area": []})}
    have, empty = profile.area_content(areas, frames)
    assert have == ("ev",) and empty == ("Standards", "Freight")


def test_updated_says_what_the_date_is() -> None:
    changed = profile.updated_text({"changed": pd.Timestamp("2026-03-12"), "accessed": None, "source_year": 2025})
    assert changed.startswith("12 Mar 2026 (latest change")
    assert "published in 2025" in profile.updated_text({"changed": None, "accessed": None, "source_year": 2025})
    assert "read on 05 May 2025" in profile.updated_text(
        {"changed": None, "accessed": pd.Timestamp("2025-05-05"), "source_year": 2025})
    assert profile.updated_text({}) == "not recorded"


@pytest.fixture()
def con(built_db: Path, tmp_path: Path):
    from ctatracker.store.database import connect

    path = tmp_path / "tracker.duckdb"
    path.write_bytes(built_db.read_bytes())
    con = connect(path)
    yield con
    con.close()


def test_the_build_is_not_a_change_but_an_edit_is(con) -> None:
    from ctatracker.model.enums import Role
    from ctatracker.model.schema import Observation
    from ctatracker.store.database import write_rows
    from ctatracker.store.permissions import Actor

    assert queries.country_update(con, "THA")["changed"] is None  # a fresh build: no change yet
    assert queries.country_update(con, "THA")["source_year"] >= 2025
    row = Observation(country_iso3="THA", indicator_code="ev_sales_share", mode="cars", year=2023, value=9.5,
                      source_id="iea-gev-data-2025", confidence="high")
    write_rows(con, [row], Actor(name="sec@alp.example", role=Role.SECRETARIAT), reason="correction")
    changed = queries.country_update(con, "THA")["changed"]
    assert changed is not None and changed.date() == dt.datetime.now(dt.UTC).date()
    assert queries.country_update(con, "VNM")["changed"] is None  # another country's edit is not Viet Nam's


def test_thailand_profile_from_the_seed(con) -> None:
    p = profile.country_profile(con, "THA")
    assert p.name == "Thailand" and len(p.stages) == 7
    ev30 = p.key_figures[0]
    assert ev30.value.endswith("in 2024")
    assert ev30.notes[0].startswith("Basis: all vehicles, derived from sales by vehicle type")
    assert ev30.notes[1].startswith("At its 2019–2024 pace it would reach about ")
    assert [f.label.split(",")[0] for f in p.key_figures] == [
        "EV share of new vehicle sales", "Emission standard", "Emission standard", "Public EV charging",
        "Transport CO₂ emissions"]
    assert set(p.share_series["mode"]) == {"cars", "two_three_wheelers"}
    assert p.derived_source == "IEA (2025)"
    assert "Resilience" in p.areas_without_data
    assert len(profile.all_countries(con)) == len(queries.countries(con))
    with pytest.raises(KeyError):
        profile.country_profile(con, "XXX")


def _share(mode: str, iso: str = "IND") -> pd.DataFrame:
    return pd.DataFrame([_obs(country_iso3=iso, country_name="India", mode=mode, year=y, value=v)
                         for y, v in ((2022, 1.0), (2023, 2.0))])


def _target(iso: str | None, mode: str = "all_vehicles", year: int = 2030) -> dict:
    return {"id": f"t-{iso}-{mode}", "country_iso3": iso, "country_name": iso or "Regional", "mode": mode,
            "indicator_code": "ev_sales_share", "target_value": 30.0, "target_year": year, "wording": "30%",
            "source_publisher": "LG-CTA", "source_year": 2024}


def test_a_national_target_is_never_drawn_in_the_countrys_fill() -> None:
    fig = progress_chart(_share("cars"), pd.DataFrame([_target("IND", "cars")]))
    marker = next(t for t in fig.data if "target" in t.name)
    assert marker.marker.color == TARGET_FILL != COUNTRY_COLOURS["IND"]


def test_country_chart_lines_scenario_and_targets() -> None:
    series = pd.concat([_share("cars"), _share("vans")])
    derived = pd.DataFrame({"country_iso3": ["IND"] * 2, "year": [2022, 2023], "value": [0.5, 1.5],
                            "coverage": ["cars and vans"] * 2})
    scen = pd.DataFrame({"scenario": ["STEPS", "STEPS"], "mode": ["cars", "cars"], "year": [2024, 2030],
                         "value": [2.0, 14.0], "source_year": [2025, 2025], "source_publisher": ["IEA", "IEA"]})
    targets = pd.DataFrame([_target(None), _target("IND", "cars"), _target("IND", "cars", 2040)])
    fig = ev_share_chart(series, targets, scen, derived, "IND", "IEA (2025)")
    names = [t.name for t in fig.data]
    assert "All vehicles, derived by the tracker from IEA (2025)" in names
    assert "IEA STEPS scenario (2025 edition)" in names
    scenario = next(t for t in fig.data if t.name.startswith("IEA STEPS"))
    assert scenario.line.dash == "dash"
    markers = [t for t in fig.data if "target" in t.name]
    assert len(markers) == 2  # the 2040 target is listed under the chart, not drawn
    assert all(t.marker.color == TARGET_FILL for t in markers)
    vans = next(t for t in fig.data if t.name == "Vans")
    assert vans.line.color != COUNTRY_COLOURS["IND"]  # India's own colour is its all-vehicle line's


def test_vehicle_types_never_take_the_countrys_colour() -> None:
    for iso, own in COUNTRY_COLOURS.items():
        for mode in MODE_COLOURS:
            assert mode_colour(mode, iso) != own or own == SPARE_COLOUR
        assert mode_colour("all_vehicles", iso) == own
