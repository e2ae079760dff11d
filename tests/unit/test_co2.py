"""Transport CO2 against 2019: the assessment (below, about, above; the direction after the pandemic years; the
pace needed by 2030; the regional total with and without the largest emitter), the findings made from it, and a
CO2 finding for every country of a fresh seed build."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from ctatracker.analysis import co2
from ctatracker.analysis.co2 import Level, Point
from ctatracker.analysis.gaps import ProgressStatus
from ctatracker.charts.co2 import co2_chart
from ctatracker.findings import co2 as co2_findings
from ctatracker.findings.model import CO2_GROUP_LABELS, Group

COUNTRIES = pd.DataFrame({"iso3": ["AAA", "BBB", "CCC", "DDD"], "name": ["Aland", "Bland", "Cland", "Dland"]})
EDGAR = {"source_family": "edgar-ghg", "source_publisher": "JRC and IEA", "source_year": 2024,
         "source_title": "EDGAR"}
SOURCES = pd.DataFrame([
    {"id": "edgar", "publisher": "JRC and IEA", "title": "EDGAR", "year": 2024, "licence": "CC BY-NC-ND 4.0",
     "licence_id": "CC-BY-NC-ND-4.0", "attribution": "EDGAR 2024 (JRC/IEA), IEA-EDGAR CO2"},
    {"id": "ministry", "publisher": "Ministry", "title": "Inventory", "year": 2021, "licence": None,
     "licence_id": None, "attribution": None}])


def _obs(iso3: str, values: dict[int, float], source: str = "edgar", **extra: object) -> list[dict]:
    meta = EDGAR if source == "edgar" else {"source_family": None, "source_publisher": "Ministry",
                                            "source_year": 2021, "source_title": "Inventory"}
    return [{"country_iso3": iso3, "indicator_code": "transport_co2", "mode": "not_applicable", "year": y,
             "value": v, "source_id": source, "confidence": "medium", "period": "annual",
             "powertrains": "bev_and_phev", **meta, **extra} for y, v in values.items()]


def _series(values: dict[int, float]) -> list[Point]:
    return [Point(y, v, "edgar") for y, v in values.items()]


def test_below_about_and_above_2019_with_a_two_percent_margin() -> None:
    assert co2.level_of(-5.5) is Level.BELOW
    assert co2.level_of(-2.0) is Level.ABOUT and co2.level_of(2.0) is Level.ABOUT  # the margin is inclusive
    assert co2.level_of(0.04) is Level.ABOUT
    assert co2.level_of(2.42) is Level.ABOVE
    below = co2.assess_country("AAA", "Aland", _series({2019: 45.9, 2022: 54.06, 2023: 43.37}), [])
    assert below.level is Level.BELOW and round(below.change_pct, 1) == -5.5 and below.pace_needed_pct is None
    assert co2.progress_status(below) is ProgressStatus.ACHIEVED
    about = co2.assess_country("BBB", "Bland", _series({2019: 149.48, 2022: 147.56, 2023: 149.54}), [])
    assert about.level is Level.ABOUT and co2.progress_status(about) is ProgressStatus.NOT_ASSESSABLE
    assert about.pace_needed_pct is None  # only a country above 2019 is given a pace


def test_above_2019_gets_the_yearly_fall_needed_by_2030() -> None:
    # Thailand in EDGAR 2024: 73.78 Mt in 2019, 78.88 in 2022, 79.79 in 2023
    a = co2.assess_country("THA", "Thailand", _series({2019: 73.779, 2020: 73.147, 2021: 68.584, 2022: 78.880,
                                                        2023: 79.789}), [])
    assert a.level is Level.ABOVE and round(a.change_pct, 2) == 8.15
    assert round(a.pace_needed_pct, 2) == round(((73.779 / 79.789) ** (1 / 7) - 1) * 100, 2) == -1.11
    assert a.trend_from.year == 2022 and round(a.trend_pct, 2) == 1.15
    assert co2.progress_status(a) is ProgressStatus.DETERIORATION  # rising while above


def test_the_pandemic_years_are_never_used_alone_for_a_direction() -> None:
    # figures only up to 2021: no direction at all, though 2020 -> 2021 rose
    a = co2.assess_country("AAA", "Aland", _series({2018: 10.0, 2019: 10.0, 2020: 8.0, 2021: 11.0}), [])
    assert a.level is Level.ABOVE and a.trend_from is None and a.trend_pct is None
    assert co2.progress_status(a) is ProgressStatus.INSUFFICIENT_DATA
    # 2021 and 2023 only after 2019: the trend does not start in 2021
    b = co2.assess_country("BBB", "Bland", _series({2019: 10.0, 2021: 5.0, 2023: 12.0}), [])
    assert b.trend_from is None
    # 2022 to 2024: the window starts in 2022, the pandemic dip of 2020 plays no part
    c = co2.assess_country("CCC", "Cland", _series({2019: 10.0, 2020: 6.0, 2021: 7.0, 2022: 12.0, 2024: 11.0}), [])
    assert c.trend_from.year == 2022 and round(c.trend_pct, 2) == round(((11 / 12) ** 0.5 - 1) * 100, 2)
    fast = co2.assess_country("DDD", "Dland", _series({2019: 10.0, 2022: 12.0, 2024: 10.5}), [])
    assert fast.trend_pct < fast.pace_needed_pct < 0 and co2.progress_status(fast) is ProgressStatus.ON_TRACK


def test_a_country_with_no_2019_value() -> None:
    none = co2.assess_country("AAA", "Aland", _series({2021: 5.0, 2022: 6.0}), [])
    assert none.level is Level.NO_FIGURE and none.reason == "no 2019 figure to compare with"
    assert none.latest.value == 6.0 and none.change_pct is None
    nothing = co2.assess_country("BBB", "Bland", [], [])
    assert nothing.level is Level.NO_FIGURE and nothing.reason == "no transport CO₂ figure" and nothing.latest is None
    # a 2019 figure of another source only: the comparison is made, marked indicative
    cross = co2.assess_country("CCC", "Cland", _series({2022: 44.0, 2023: 46.0}), [Point(2019, 40.0, "ministry")])
    assert cross.indicative and cross.level is Level.ABOVE and cross.base.source_id == "ministry"


def test_the_series_is_one_source_family_and_other_sources_stay_listed() -> None:
    obs = pd.DataFrame([*_obs("AAA", {y: 10.0 + y - 2015 for y in range(2015, 2024)}),
                        *_obs("AAA", {2019: 15.0, 2022: 13.0}, source="ministry"),
                        *_obs("BBB", {2022: 3.0}, source="ministry")])
    found = {a.country_iso3: a for a in co2.co2_assessments(obs, COUNTRIES, 2026)}
    a = found["AAA"]
    assert {p.source_id for p in a.series} == {"edgar"} and a.base.value == 14.0  # not the ministry's 15.0
    assert [(p.year, p.value, p.source_id) for p in a.others] == [(2019, 15.0, "ministry"), (2022, 13.0, "ministry")]
    assert a.source_ids == ("edgar", "ministry")
    assert found["BBB"].level is Level.NO_FIGURE and found["CCC"].latest is None  # never a zero
    assert [a.country_iso3 for a in found.values()] == list(COUNTRIES["iso3"])


def test_the_regional_total_with_and_without_the_largest_emitter() -> None:
    assessments = [
        co2.assess_country("AAA", "Aland", _series({2019: 900.0, 2022: 950.0, 2023: 1000.0}), []),
        co2.assess_country("BBB", "Bland", _series({2019: 100.0, 2022: 95.0, 2023: 90.0}), []),
        co2.assess_country("CCC", "Cland", _series({2019: 50.0, 2022: 50.0, 2023: 60.0}), []),
        co2.assess_country("DDD", "Dland", _series({2022: 7.0, 2023: 8.0}), [Point(2019, 5.0, "ministry")]),
    ]
    region = co2.regional_co2(assessments)
    assert region.year == 2023 and region.countries == ("AAA", "BBB", "CCC")  # the indicative one left out
    assert region.of_countries == 4
    assert region.total == 1150.0 and region.base_total == 1050.0
    assert round(region.change_pct, 2) == round((1150 / 1050 - 1) * 100, 2)
    assert region.largest == "AAA" and round(region.largest_share_pct, 2) == round(1000 / 1150 * 100, 2)
    assert region.without_total == 150.0 and region.without_base_total == 150.0 and region.without_change_pct == 0
    assert co2.regional_co2([assessments[3]]).year is None


def test_findings_say_it_in_plain_words_with_their_source_and_credit_line() -> None:
    obs = pd.DataFrame([*_obs("AAA", {2019: 73.779, 2022: 78.880, 2023: 79.789}),
                        *_obs("BBB", {2019: 45.9, 2022: 54.06, 2023: 43.37}),
                        *_obs("CCC", {2019: 149.48, 2022: 147.56, 2023: 149.54})])
    found, region = co2_findings.compose_co2(obs, COUNTRIES, SOURCES, 2026)
    a = found[0]
    assert a.plain == ("Aland: above its 2019 level. Transport CO₂ was 79.8 Mt in 2023 according to EDGAR 2024 "
                       "(JRC/IEA), 8.1% above its 2019 level of 73.8 Mt. From 2022 to 2023 it rose 1.2%. To be back "
                       "at or below its 2019 level by 2030 it must fall 1.1% a year from 2023.")
    assert a.attribution == ("Source: EDGAR 2024 (JRC/IEA), IEA-EDGAR CO2, CC BY-NC-ND 4.0",)
    assert a.credit == a.attribution[0] and a.figure == "79.8 Mt CO₂ in 2023"
    assert "(79.79 / 73.78" not in a.technical and "79.79 / 73.78 − 1 = +8.1%" in a.technical
    assert a.group is Group.OFF_TRACK and a.status_label == "Above its 2019 level"
    assert found[2].group is Group.INDICATIVE and "within 2%" in found[2].plain
    assert found[3].group is Group.NO_DATA and found[3].plain == (
        "Dland: no figure to compare with 2019. The tracker holds no transport CO₂ figure.")
    assert region.key == "co2" and region.labels == CO2_GROUP_LABELS
    assert region.named_groups() == [("Below 2019", ("Bland",)), ("Above 2019", ("Aland",)),
                                     ("About the 2019 level, or indicative only", ("Cland",)),
                                     ("No figure to compare with 2019", ("Dland",))]
    assert ("Cland, the largest emitter, makes 54.8% of it; without Cland the total is 123 Mt, 2.9% above 2019."
            in region.details[0])
    shown = "\n".join([a.plain, *a.notes, region.plain, *region.details])
    assert "_" not in shown and "edgar" not in shown  # no codes or ids for a reader
    fig = co2_chart(a)
    assert fig.layout.title.text.startswith("Aland: transport CO₂ since 2010")
    assert any("CC BY-NC-ND 4.0" in x.text for x in fig.layout.annotations)
    assert fig.layout.shapes[-1].y0 == 73.779  # the 2019 line


@pytest.fixture(scope="module")
def seed_findings(built_db: Path):
    from ctatracker.findings.read import findings
    from ctatracker.store.database import connect

    con = connect(built_db, read_only=True)
    try:
        yield findings(con.cursor(), dt.date(2026, 6, 1)), con.execute("SELECT iso3 FROM countries").fetchall()
    finally:
        con.close()


def test_every_country_of_a_fresh_seed_build_gets_a_co2_finding(seed_findings) -> None:
    found, countries = seed_findings
    assert len(countries) == 17
    assert sorted(f.country_iso3 for f in found.co2) == sorted(c for (c,) in countries)
    for f in found.co2:
        assert f.group is not Group.NO_DATA and f.latest_year is not None and f.base_value is not None, f.plain
        assert f.attribution and any("CC BY-NC-ND 4.0" in line for line in f.attribution), f.country_name
        assert f.plain.startswith(f"{f.country_name}: ") and f.technical
    region = found.regional_of("co2")
    assert region is not None and sum(len(m) for m in region.groups.values()) == 17
    assert "the largest emitter" in region.details[0] and "China" in region.details[0]


def test_the_co2_targets_generic_findings_never_disagree_with_the_co2_findings(seed_findings) -> None:
    found, _ = seed_findings
    generic = [f for f in found.targets if f.indicator_code == "transport_co2" and f.target_scope == "regional"]
    assert len(generic) == 17
    for f in generic:
        mine = found.co2_of(f.country_iso3)
        assert (f.status, f.group, f.plain, f.technical, f.figure) == (
            mine.progress, mine.group, mine.plain, mine.technical, mine.figure)
        assert set(mine.source_ids) <= set(f.source_ids)
