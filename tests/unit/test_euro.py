"""Euro VI assessment: each status, and the country x vehicle class table."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ctatracker.analysis.euro import EURO_COLUMNS, EuroStatus, assess_euro_vi, euro_table
from ctatracker.model.enums import StandardStatus, VehicleClass

AS_OF = date(2025, 6, 30)


def step(level, year, status="in_force", source="src", when=None, name=None):
    return {"euro_level": level, "effective_year": year, "effective_date": when, "status": status,
            "source_id": source, "local_name": name}


def assess(steps, **kw):
    return assess_euro_vi(steps, as_of=AS_OF, **kw)


def test_in_force():
    r = assess([step(4, 2017, source="b"), step(6, 2020, name="BS-VI", source="a")])
    assert r.status is EuroStatus.IN_FORCE
    assert (r.current_level, r.current_since, r.goal_year) == (6, 2020, 2020)
    assert r.levels_to_climb == 0  # 6 - 6
    assert r.years_left == 5  # 2030 - 2025
    assert r.source_ids == ("a", "b")
    assert "BS-VI" in r.explanation


def test_scheduled():
    r = assess([step(4, 2016), step(6, 2027, status=StandardStatus.SCHEDULED)])
    assert r.status is EuroStatus.SCHEDULED
    assert (r.current_level, r.goal_year, r.levels_to_climb) == (4, 2027, 2)  # 6 - 4 = 2


def test_pledged():
    r = assess([step(5, 2019), step(6, 2028, status="pledged")])
    assert r.status is EuroStatus.PLEDGED
    assert (r.current_level, r.goal_year, r.levels_to_climb) == (5, 2028, 1)


def test_adopted_beats_an_earlier_pledge_only_if_by_deadline():
    # scheduled for 2032 (late) and pledged for 2028: the pledge by the deadline decides
    r = assess([step(4, 2016), step(6, 2032, status="scheduled"), step(6, 2028, status="pledged")])
    assert (r.status, r.goal_year) == (EuroStatus.PLEDGED, 2028)


def test_not_scheduled_only_euro_4():
    r = assess([step(2, 2005), step(4, 2017)])
    assert r.status is EuroStatus.NOT_SCHEDULED
    assert (r.current_level, r.goal_year, r.levels_to_climb) == (4, None, 2)
    assert "no Euro 6 step" in r.explanation


def test_scheduled_after_2030_is_not_scheduled():
    r = assess([step(4, 2017), step(6, 2032, status="scheduled")])
    assert r.status is EuroStatus.NOT_SCHEDULED
    assert r.goal_year == 2032
    assert "after the 2030 deadline" in r.explanation


def test_no_data():
    r = assess([])
    assert r.status is EuroStatus.NO_DATA
    assert r.current_level is None and r.levels_to_climb is None and r.goal_year is None
    assert r.years_left == 5


def test_scheduled_step_whose_date_has_come_counts_as_in_force():
    # adopted for 1 January 2025, assessed 30 June 2025: in force now
    r = assess([step(4, 2017), step(6, 2025, status="scheduled", when=date(2025, 1, 1))])
    assert (r.status, r.current_level) == (EuroStatus.IN_FORCE, 6)
    # an exact date after as_of keeps it scheduled
    r = assess([step(4, 2017), step(6, 2025, status="scheduled", when=date(2025, 10, 1))])
    assert (r.status, r.current_level) == (EuroStatus.SCHEDULED, 4)


def test_pledged_step_never_counts_as_in_force():
    r = assess([step(6, 2024, status="pledged")])
    assert r.status is EuroStatus.PLEDGED
    assert r.current_level is None and r.levels_to_climb == 6  # from level 0: 6 - 0
    assert "date has passed" in r.explanation


def test_bad_status_is_rejected():
    with pytest.raises(ValueError, match="unknown standard status"):
        assess([step(6, 2020, status="rumoured")])


def test_euro_table_rows_per_country_and_class():
    es = pd.DataFrame([
        {**step(6, 2020, source="bs6"), "country_iso3": "IND", "vehicle_class": VehicleClass.LIGHT_DUTY},
        {**step(4, 2017, source="bs4"), "country_iso3": "IND", "vehicle_class": "heavy_duty"},
        {**step(6, 2027, status="scheduled", source="bs6"), "country_iso3": "IND",
         "vehicle_class": "heavy_duty"},
        {**step(5, 2024, source="x"), "country_iso3": "THA", "vehicle_class": "two_three_wheelers"},
    ])
    countries = pd.DataFrame({"iso3": ["IND", "THA"], "name": ["India", "Thailand"]})
    out = euro_table(es, countries, AS_OF)
    assert list(out.columns) == EURO_COLUMNS
    assert len(out) == 4  # 2 countries x light_duty, heavy_duty
    rows = out.set_index(["country_iso3", "vehicle_class"])
    assert rows.loc[("IND", "light_duty"), "status"] == "in_force"
    assert rows.loc[("IND", "heavy_duty"), "status"] == "scheduled"
    assert rows.loc[("IND", "heavy_duty"), "source_ids"] == "bs4; bs6"
    # THA has only a two/three-wheeler step: no light- or heavy-duty data
    assert set(rows.loc["THA", "status"]) == {"no_data"}
    assert rows.loc[("THA", "light_duty"), "country_name"] == "Thailand"
    assert len(euro_table(es.iloc[0:0], countries, AS_OF)) == 4


def test_a_local_name_that_only_repeats_the_euro_level_is_not_repeated() -> None:
    from datetime import date

    from ctatracker.analysis.euro import _Step as Step

    def step(local):
        return Step(euro_level=6, effective_year=2020, effective_date=date(2020, 1, 1), status="in_force",
                    local_name=local, source_id=None)

    assert step("Euro 6").name == step("Euro VI").name == step("EURO-6").name == step(None).name == "Euro 6"
    assert step("BS-VI").name == "Euro 6 (BS-VI)"
