"""The seed says what its sources say: corrections checked against the public-facts reference.

Each test pins a correction (a figure's part of the year, its powertrains, a Euro level, a target's scope) or a
rule that would have caught it, so the error cannot come back unnoticed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ctatracker.model.schema import Activity, Commitment, EmissionStandard, Observation, Policy, Source, Target
from pipelines.seed import parse_file


def _rows(seed_dir: Path, model: type) -> list:
    parsed = parse_file(seed_dir / f"{model.__table__}.csv", model)
    assert parsed.problems == []
    return parsed.rows


@pytest.fixture(scope="module")
def observations(seed_dir: Path) -> list[Observation]:
    return _rows(seed_dir, Observation)


@pytest.fixture(scope="module")
def standards(seed_dir: Path) -> list[EmissionStandard]:
    return _rows(seed_dir, EmissionStandard)


@pytest.fixture(scope="module")
def targets(seed_dir: Path) -> list[Target]:
    return _rows(seed_dir, Target)


@pytest.fixture(scope="module")
def policies(seed_dir: Path) -> list[Policy]:
    return _rows(seed_dir, Policy)


@pytest.fixture(scope="module")
def commitments(seed_dir: Path) -> list[Commitment]:
    return _rows(seed_dir, Commitment)


@pytest.fixture(scope="module")
def activities(seed_dir: Path) -> list[Activity]:
    return _rows(seed_dir, Activity)


@pytest.fixture(scope="module")
def sources(seed_dir: Path) -> dict[str, Source]:
    return {s.id: s for s in _rows(seed_dir, Source)}


def _one(rows: list, **match) -> object:
    found = [r for r in rows if all(getattr(r, k) == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


# --- observations: part of the year and powertrains -------------------------------------------------------

def test_malaysia_share_is_one_month_of_battery_electric_registrations(observations) -> None:
    # Malay Mail (Oct 2024): EVs were 2.48% of total vehicles registered in September 2024; the reference
    # (B2 Malaysia) says these are BEVs. One month, BEV only: never an annual all-EV point.
    row = _one(observations, country_iso3="MYS", indicator_code="ev_sales_share", value=2.48)
    assert (row.period, row.powertrains, row.mode) == ("single_month", "bev_only", "all_vehicles")
    assert "September 2024" in row.note and "battery-electric" in row.note


def test_an_upper_bound_is_not_recorded_as_a_value(observations) -> None:
    # Viet Nam's 'less than 0.05%' (2021) is a bound, not a value: it must not be a point of a trend.
    bounds = [(o.country_iso3, o.year, o.note) for o in observations
              if re.search(r"upper bound|reported as '?(less than|under|below|<)", o.note or "", re.I)]
    assert bounds == []
    assert [o for o in observations if o.country_iso3 == "VNM" and o.year == 2021] == []


MONTHS_BEFORE_DECEMBER = (r"\b(Jan(uary)?|Feb(ruary)?|Mar(ch)?|Apr(il)?|May|June?|July?|Aug(ust)?|Sep(t|tember)?"
                          r"|Oct(ober)?|Nov(ember)?)\b|\bQ[1-3]\b|\bH1\b|\bmid-")
STOCK_INDICATORS = {"ev_stock", "ev_stock_share", "public_charging_points", "public_charging_stations",
                    "charging_points_all", "fast_charging_points_all", "slow_charging_points_all"}


def test_a_count_dated_before_the_end_of_its_year_is_not_annual(observations) -> None:
    # A stock 'as of June 2024' is not the 2024 year-end stock (Cambodia, Laos, Mongolia, Korea, India ...).
    wrong = [(o.country_iso3, o.indicator_code, o.mode, o.year, o.note) for o in observations
             if o.indicator_code in STOCK_INDICATORS and o.period == "annual"
             and re.search(MONTHS_BEFORE_DECEMBER, o.note or "")]
    assert wrong == []


def test_the_note_and_the_flags_agree(observations) -> None:
    for o in observations:
        note = (o.note or "").lower()
        if "partial year" in note or "year to date" in note:
            assert o.period == "partial_year", (o.country_iso3, o.indicator_code, o.year, o.note)
        if o.period == "single_month":
            assert "only" in note and "month" in note, o.note
        if o.powertrains == "bev_only":
            assert "bev only" in note or "battery-electric" in note, o.note
        if re.search(r"\bbev only\b|battery-electric only", note):
            assert o.powertrains == "bev_only", o.note
        if o.powertrains == "as_reported":
            assert "as the source counts" in note, o.note


def test_philippine_four_wheel_sales_keep_the_powertrains_their_source_counts(observations) -> None:
    # public-facts B2 Philippines: 3,880 four-wheel EVs in 2024, 75% battery-electric; the source counts hybrids
    # without a plug among the rest, so the figure is neither battery-electric plus plug-in nor battery-only.
    row = _one(observations, country_iso3="PHL", indicator_code="ev_sales", value=3880)
    assert (row.year, row.period, row.powertrains) == (2024, "annual", "as_reported")
    assert "75% battery-electric" in row.note and "hybrids without a plug" in row.note


def test_lao_counts_are_dated_as_the_reference_dates_them(observations) -> None:
    # public-facts B2 and B4 Lao PDR: 'more than 7,000' EVs 'by about 2024' and 41 stations 'c.2023-24', from
    # undated articles: dated 2024, never a year-end count, the note saying how uncertain the date is.
    evs = _one(observations, country_iso3="LAO", indicator_code="ev_stock", value=7000)
    stations = _one(observations, country_iso3="LAO", indicator_code="public_charging_stations", value=41)
    for row in (evs, stations):
        assert (row.year, row.period) == (2024, "partial_year")
        assert "2023-24" in row.note and "undated" in row.note
        assert "late-2023 article" not in row.note and "Kept at 2023" not in row.note


def test_bhutan_electric_taxis_are_a_dated_fleet_count_of_taxis_only(observations) -> None:
    # public-facts B2 Bhutan: 291 taxi drivers switched to EVs under a GEF/UNDP project (2023): a count of vehicles
    # in use at a date (stock, not sales), of taxis only. 'About 130 EVs' (Kuensel) is undated: no year, no row.
    row = _one(observations, country_iso3="BTN", indicator_code="ev_stock", value=291)
    assert (row.mode, row.year, row.period, row.source_id) == ("cars", 2023, "partial_year", "pmo-btn-ev-project")
    assert "taxis only" in row.note.lower() and "not of all electric cars" in row.note
    assert [o for o in observations if o.country_iso3 == "BTN" and o.value == 130] == []


# --- emission standards ----------------------------------------------------------------------------------

def test_india_two_three_wheelers_have_no_euro_level_the_reference_does_not_give(standards) -> None:
    assert [s for s in standards if s.country_iso3 == "IND" and s.vehicle_class == "two_three_wheelers"] == []


def test_nepal_light_duty_is_euro_v_test_methods_not_euro_6(standards) -> None:
    # NVES 2082 (2025): Euro VI for imported four-wheel and heavier vehicles, Euro V test methods for 2-, 3- and
    # small four-wheelers: the light-duty class as a whole is at level 5.
    levels = {s.euro_level for s in standards if s.country_iso3 == "NPL" and s.vehicle_class == "light_duty"}
    assert max(levels) == 5
    heavy = _one(standards, country_iso3="NPL", vehicle_class="heavy_duty", euro_level=6)
    assert heavy.effective_date.isoformat() == "2025-06-23"


def test_thailand_euro_6_covers_all_light_duty_from_2026(standards) -> None:
    row = _one(standards, country_iso3="THA", vehicle_class="light_duty", euro_level=6)
    assert row.effective_year == 2026 and "2025" in row.scope_note and "small petrol" in row.scope_note


def test_korea_light_duty_diesel_is_at_euro_6(standards) -> None:
    # public-facts B1 Republic of Korea: 'LDV diesel: Euro 6' (medium confidence), beside heavy-duty Euro VI (2014).
    row = _one(standards, country_iso3="KOR", vehicle_class="light_duty", euro_level=6)
    assert (row.status, row.source_id, row.confidence) == ("in_force", "transportpolicy-korea", "medium")
    assert "diesel" in row.scope_note and "start year is not stated" in row.scope_note


# --- fuel economy and vehicle CO2 standards (policies, shown beside Euro VI) ---------------------------------

FUEL_ECONOMY = re.compile(r"fuel (economy|efficiency|consumption)|\bCO2\b", re.I)


def test_fuel_economy_standards_are_held_as_policies_where_the_reference_has_them(policies) -> None:
    # public-facts B5: China, India and Korea have fuel economy / CO2 standards for light-duty vehicles; Malaysia
    # only an incentive definition (not a mandatory standard); none found for the other countries.
    fuel = [p for p in policies if p.action_area_code == "standards" and FUEL_ECONOMY.search(f"{p.name} {p.summary}")]
    assert {p.country_iso3 for p in fuel if p.kind == "standard"} == {"CHN", "IND", "KOR"}
    assert {(p.country_iso3, p.kind) for p in fuel if p.country_iso3 not in {"CHN", "IND", "KOR"}} == {
        ("MYS", "incentive")}
    cafe3 = _one(policies, id="ind-cafe-phase-3")  # B5 India: 'CAFE-3 draft for Apr 2027'
    assert (cafe3.kind, cafe3.status, cafe3.source_id) == ("standard", "draft", "livemint-2025-ind-cafe3")
    assert "April 2027" in cafe3.summary


# --- targets ---------------------------------------------------------------------------------------------

ALL_POWER_CHARGING = {"public_charging_points", "public_charging_stations", "charging_points_all"}


def test_a_fast_charger_target_is_not_filed_as_all_chargers(targets) -> None:
    # Lao PDR's 50 and 100 'fast and rapid' stations, Pakistan's 40 fast stations on motorways: a count of
    # fast stations is not a count of all stations (the commitments keep these facts in words).
    wrong = [t.id for t in targets
             if t.indicator_code in ALL_POWER_CHARGING and re.search(r"\bfast\b", t.wording, re.I)]
    assert wrong == []


def test_malaysia_10000_is_two_targets_each_in_one_unit(targets) -> None:
    # public-facts B4 Malaysia: 10,000 charging points by 2025 (Low Carbon Mobility Blueprint), restated in Oct 2024
    # as 10,000 stations by 2030. Points and stations are different units: two targets, never one restated.
    mys = {(t.indicator_code, t.target_year, t.target_value) for t in targets
           if t.country_iso3 == "MYS" and t.indicator_code in ALL_POWER_CHARGING}
    assert mys == {("public_charging_points", 2025, 10000), ("public_charging_stations", 2030, 10000)}
    points = _one(targets, id="mys-public-charging-points-2025").wording
    stations = _one(targets, id="mys-public-charging-stations-2030").wording
    assert "Counted in charging points" in points and "Counted in charging stations" in stations
    for wording in (points, stations):
        assert "separate target" in wording and "restate" not in wording


def test_mongolia_30_percent_of_unstated_scope_is_not_a_fleet_target(targets) -> None:
    # public-facts B3 Mongolia: '30% e-cars by 2025' (ministerial statement, 2022) says neither sales nor fleet.
    held = [(t.indicator_code, t.mode, t.target_value, t.target_year) for t in targets
            if t.source_id == "theubposts-2022-mng-ecars"]
    assert held == [("ev_share_base_not_stated", "cars", 30, 2025)]


@pytest.mark.parametrize(("target_id", "indicator", "mode", "value", "year", "source"), [
    ("vnm-876-buses-2025", "ev_share_base_not_stated", "buses", 100, 2025, "changing-transport-vnm-876"),
    ("vnm-876-cars-2040", "ev_sales_share", "cars", 100, 2040, "changing-transport-vnm-876"),
    ("vnm-876-2w-2040", "ev_sales_share", "two_wheelers", 100, 2040, "changing-transport-vnm-876"),
    ("vnm-876-road-vehicles-2050", "ev_stock_share", "all_vehicles", 100, 2050, "changing-transport-vnm-876"),
    ("mng-ev-stock-share-gov-cars-2026", "ev_stock_share", "cars", 60, 2026, "mongoliainc-2023-mng-ev-plan"),
    ("mng-ev-stock-share-public-fleets-2026", "ev_stock_share", "buses", 70, 2026, "mongoliainc-2023-mng-ev-plan"),
    ("phl-evida-fleets-5pct", "ev_stock_share", "all_vehicles", 5, None, "doe-phl-ev-data"),
    ("npl-ndc-transport-ghg-2030", "transport_ghg", "not_applicable", 2.619, 2030, "apenergy-npl-ndc-2020"),
    ("mys-netr-ev-share-2040", "ev_share_base_not_stated", "all_vehicles", 38, 2040, "seainfra-mys-netr"),
    ("mys-netr-ev-share-2050", "ev_share_base_not_stated", "all_vehicles", 80, 2050, "seainfra-mys-netr"),
    ("lao-public-fast-charging-stations-2025", "public_fast_charging_stations", "not_applicable", 50, 2025,
     "laotribune-2022-lao-ev"),
    ("lao-public-fast-charging-stations-2030", "public_fast_charging_stations", "not_applicable", 100, 2030,
     "laotribune-2022-lao-ev"),
    ("vnm-876-vehicles-2030", "ev_stock_share", "all_vehicles", 50, 2030, "changing-transport-vnm-876"),
    ("vnm-876-taxis-2030", "ev_stock_share", "cars", 100, 2030, "changing-transport-vnm-876"),
    ("phl-ev-sales-2028-doe2025", "ev_sales", "all_vehicles", 312000, 2028, "dailyprofittips-2025-phl-ev-sales"),
    ("lka-ndc-transport-cut", "transport_emissions_cut_vs_bau_share", "not_applicable", 4, None,
     "climateanalytics-2022-lka-transport"),
    ("bgd-ndc-transport-co2-cut-2030", "transport_co2_cut_vs_bau", "not_applicable", 3.4, 2030,
     "rupsha-2023-bgd-ev-rules"),
    ("pak-net-zero-transport-2060", "transport_ghg", "not_applicable", 0, 2060, "brecorder-2025-pak-net-zero"),
    ("btn-net-zero-mobility-2050", "transport_ghg", "not_applicable", 0, 2050, "kuensel-btn-ev-roadmap"),
])
def test_reference_targets_are_recorded(targets, target_id, indicator, mode, value, year, source) -> None:
    t = _one(targets, id=target_id)
    assert (t.indicator_code, t.mode, t.target_value, t.target_year, t.source_id) == (
        indicator, mode, value, year, source)


@pytest.mark.parametrize(("target_id", "strength", "conditional"), [
    ("mys-netr-ev-share-2040", "policy", False),  # in the adopted roadmap, as reported
    ("lao-public-fast-charging-stations-2025", "pledge", False),  # a government goal, not in the 2021 policy
    ("vnm-876-taxis-2030", "policy", False),  # Decision 876
    ("phl-ev-sales-2028-doe2025", "pledge", False),  # a ministry's announced target
    ("lka-ndc-transport-cut", "pledge", False),  # an NDC figure
    ("bgd-ndc-transport-co2-cut-2030", "pledge", False),  # an NDC figure, unconditional
    ("pak-net-zero-transport-2060", "pledge", False),  # an announced ambition
    ("btn-net-zero-mobility-2050", "aspirational", False),  # a draft roadmap's goal
    ("mng-ecars-share-2025", "pledge", False),  # a ministerial statement
])
def test_added_targets_record_how_firm_they_are(targets, target_id, strength, conditional) -> None:
    t = _one(targets, id=target_id)
    assert (t.strength, t.conditional) == (strength, conditional)


def test_a_cut_below_business_as_usual_or_net_zero_says_what_it_is(targets) -> None:
    for tid in ("lka-ndc-transport-cut", "bgd-ndc-transport-co2-cut-2030"):
        assert "not an emissions level" in _one(targets, id=tid).wording
    assert "No target year is given" in _one(targets, id="lka-ndc-transport-cut").wording
    for tid in ("pak-net-zero-transport-2060", "btn-net-zero-mobility-2050"):
        t = _one(targets, id=tid)
        assert t.comparison == "at_most" and "Net zero means" in t.wording
    for tid in ("mys-netr-ev-share-2040", "mng-ecars-share-2025"):
        assert "does not say whether" in _one(targets, id=tid).wording


def test_a_subset_fleet_target_says_so_in_its_wording(targets) -> None:
    assert "not a share of all cars" in _one(targets, id="mng-ev-stock-share-gov-cars-2026").wording
    assert "not a share of all cars" in _one(targets, id="vnm-876-taxis-2030").wording
    assert "Fast stations only" in _one(targets, id="lao-public-fast-charging-stations-2030").wording
    assert "national fleet" in _one(targets, id="phl-evida-fleets-5pct").wording
    for tid in ("vnm-876-buses-2025", "vnm-876-cars-2040", "vnm-876-road-vehicles-2050"):
        assert "green energy" in _one(targets, id=tid).wording


def test_reference_facts_the_tracker_cannot_hold_as_targets_are_named_beside_them(targets) -> None:
    # India's 70% for commercial vehicles has no vehicle scope in the tracker: the wording of the nearest target
    # keeps it. Bangladesh's NDC cut now has its own measure and is named beside the 30% target too.
    assert "3.4 MtCO2" in _one(targets, id="bgd-ev-stock-share-2030").wording
    assert "70% for commercial vehicles" in _one(targets, id="ind-ev-sales-share-2030").wording


def test_nepal_electric_rail_is_a_pledged_stage_not_a_target(targets, commitments) -> None:
    # public-facts B3 and B7 Nepal: 200 km of electric rail by 2030 (NDC 2020). No measure in the tracker counts
    # kilometres: the public transport stage holds it, as a pledge.
    stage = _one(commitments, country_iso3="NPL", action_area_code="public_transport")
    assert (stage.stage, stage.source_id) == ("pledged", "apenergy-npl-ndc-2020")
    assert "200 km of electric rail by 2030" in stage.summary
    assert [t.id for t in targets if "rail" in t.wording.lower()] == []


# --- source families -------------------------------------------------------------------------------------

LOCATED_OUTSIDE_THE_REFERENCE = {"bizhub-2017-vnm-e5", "adb-lpr-ind-biofuels-2018", "mt-2022-vnm-bus-roadmap",
                                 "unep-2021-gef-emobility"}


def test_every_source_is_one_the_reference_gives(sources, observations, targets, policies, activities) -> None:
    # Sources found outside public-facts.md ('located to support the reference fact') are replaced by the
    # reference's own sources for the same facts, or their rows are removed: the GEF programme's Bangladesh, Sri
    # Lanka, Indonesia and Philippines activities had no source the reference gives (its section C names no link).
    assert [sid for sid, s in sources.items() if re.search(r"\blocated to\b", s.note or "", re.I)] == []
    assert LOCATED_OUTSIDE_THE_REFERENCE & set(sources) == set()
    cited = {r.source_id for r in (*observations, *targets, *policies, *activities)}
    assert LOCATED_OUTSIDE_THE_REFERENCE & cited == set()
    gef = {a.country_iso3 for a in activities if a.title.startswith("GEF Global E-Mobility Programme")}
    assert gef == {"MDV"}  # the Maldives child project cites the reference's own link (B8 Maldives)
    e5 = _one(observations, country_iso3="VNM", indicator_code="ethanol_blend_mandate", year=2018)
    assert (e5.value, e5.source_id) == (5, "vietnamvn-2025-vnm-biofuel-roadmap")
    assert _one(policies, id="vnm-e5-2018").source_id == "vietnamvn-2025-vnm-biofuel-roadmap"
    assert _one(policies, id="ind-national-policy-biofuels-2018").source_id == "mercom-2019-ind-biofuels"


def test_reports_of_an_iea_outlook_join_the_iea_family(sources) -> None:
    reports = [s for s in sources.values() if re.search(r"Reports IEA Global EV Outlook", s.note or "")]
    assert {s.id for s in reports} >= {"hindubl-2024-gevo", "evfy-2025-gevo"}
    assert {s.id: s.family for s in reports} == {s.id: "iea-gev" for s in reports}


def test_reports_of_the_ember_analysis_form_one_family(sources) -> None:
    ember = {sid for sid, s in sources.items() if re.search(r"report of an Ember analysis", s.note or "", re.I)}
    assert ember == {"seemyphone-2025-ember", "energynews-2025-ember", "velocita-2025-ember"}
    assert {sources[sid].family for sid in ember} == {"ember-ev"}
