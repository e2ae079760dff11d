"""The one write path: checks, all-or-nothing, audit, permissions."""

from __future__ import annotations

import json

import pytest

from ctatracker.model.enums import Role
from ctatracker.model.schema import ActionArea, Country, Indicator, Observation, Source, Target
from ctatracker.store.database import WriteRejected, connect, create_schema, write_rows
from ctatracker.store.permissions import SYSTEM, Actor


@pytest.fixture()
def con():
    con = connect(":memory:")
    create_schema(con)
    write_rows(con, [Source(id="src", title="A report", publisher="Pub", year=2024, url="https://example.org")],
               SYSTEM)
    write_rows(con, [ActionArea(code="electric_vehicles", number=3, name="EVs", communique_wording="30%",
                                display_order=3)], SYSTEM)
    write_rows(con, [Country(iso3=c, name=c, subregion="South Asia") for c in ("IND", "LKA")], SYSTEM)
    write_rows(con, [Indicator(code="ev_sales_share", name="EV share", unit="percent",
                               action_area_code="electric_vehicles", higher_is_better=True, definition="d")],
               SYSTEM)
    return con


def obs(country: str = "IND", year: int = 2022, value: float = 5.0, **kw) -> Observation:
    return Observation(country_iso3=country, indicator_code="ev_sales_share", mode="cars", year=year,
                       value=value, source_id="src", confidence="high", **kw)


def count(con, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def test_insert_update_unchanged_counts_and_audit(con) -> None:
    assert write_rows(con, [obs(), obs(year=2021)], SYSTEM).added == 2
    again = write_rows(con, [obs(), obs(year=2021, value=4.0)], SYSTEM, reason="fix")
    assert (again.added, again.updated, again.unchanged) == (0, 1, 1)
    old, new, reason = con.execute(
        "SELECT old_values, new_values, reason FROM audit_log WHERE action = 'update'").fetchall()[0]
    assert json.loads(old)["value"] == 5.0 and json.loads(new)["value"] == 4.0 and reason == "fix"


def test_one_bad_row_rejects_the_whole_batch(con) -> None:
    rows = [obs(), obs(year=2021, value=130.0), obs(country="PAK")]
    with pytest.raises(WriteRejected) as err:
        write_rows(con, rows, SYSTEM, origins=["r1", "r2", "r3"])
    text = str(err.value)
    assert "r2:value: 130 is not a percentage between 0 and 100" in text
    assert "r3:country_iso3: unknown iso3 'PAK'" in text
    assert count(con, "observations") == 0
    assert count(con, "audit_log") == 5  # only the fixture's reference rows


def test_duplicate_keys_in_one_batch_are_refused(con) -> None:
    with pytest.raises(WriteRejected, match="duplicate record"):
        write_rows(con, [obs(), obs(value=6.0)], SYSTEM)


def test_unknown_source_is_refused(con) -> None:
    bad = Observation(country_iso3="IND", indicator_code="ev_sales_share", mode="cars", year=2022, value=1.0,
                      source_id="nowhere", confidence="low")
    with pytest.raises(WriteRejected, match="unknown id 'nowhere'"):
        write_rows(con, [bad], SYSTEM)


FOCAL_IND = Actor(name="fp-india", role=Role.FOCAL_POINT, country_iso3="IND")
SECRETARIAT = Actor(name="alp", role=Role.SECRETARIAT)
VIEWER = Actor(name="public", role=Role.VIEWER)
ADMIN = Actor(name="admin", role=Role.ADMIN)


def regional_target() -> Target:
    return Target(id="t1", indicator_code="ev_sales_share", mode="all_vehicles", comparison="at_least",
                  target_value=30, target_year=2030, wording="30%", strength="pledge", source_id="src",
                  confidence="high")


@pytest.mark.parametrize(("actor", "make_row", "allowed"), [
    (VIEWER, lambda: obs(), False),
    (FOCAL_IND, lambda: obs(), False),  # focal points submit; the secretariat's approval applies
    (FOCAL_IND, lambda: obs(country="LKA"), False),
    (FOCAL_IND, regional_target, False),
    (FOCAL_IND, lambda: Country(iso3="IND", name="India!", subregion="South Asia"), False),
    (SECRETARIAT, lambda: obs(country="LKA"), True),
    (SECRETARIAT, regional_target, True),
    (SECRETARIAT, lambda: Country(iso3="IND", name="India", subregion="South Asia"), False),
    (ADMIN, lambda: Country(iso3="IND", name="India", subregion="South Asia"), True),
], ids=["viewer-obs", "fp-own-direct", "fp-other", "fp-regional", "fp-country", "sec-obs", "sec-target",
        "sec-country", "admin"])
def test_permissions_are_enforced_in_the_write_path(con, actor, make_row, allowed) -> None:
    row = make_row()
    table = type(row).__table__
    before = count(con, table)
    if allowed:
        write_rows(con, [row], actor)
    else:
        with pytest.raises(WriteRejected, match="not allowed"):
            write_rows(con, [row], actor)
        assert count(con, table) == before


def test_focal_point_needs_a_country() -> None:
    with pytest.raises(ValueError, match="one country"):
        Actor(name="x", role=Role.FOCAL_POINT)


def test_an_older_database_gets_new_tables_and_columns_with_their_defaults() -> None:
    from ctatracker.store.database import upgrade_schema

    old = connect(":memory:")
    create_schema(old)
    old.execute("DROP TABLE scenario_values")
    old.execute("ALTER TABLE observations DROP COLUMN period")
    old.execute("ALTER TABLE observations DROP COLUMN powertrains")
    old.execute("ALTER TABLE sources DROP COLUMN family")
    old.execute("INSERT INTO sources (id, title, publisher) VALUES ('s', 'A title', 'A publisher')")
    assert upgrade_schema(old) == ["scenario_values", "sources.family", "observations.period",
                                   "observations.powertrains"]
    assert upgrade_schema(old) == []
    old.execute("INSERT INTO observations (country_iso3, indicator_code, mode, year, value, source_id, confidence) "
                "VALUES ('IND', 'ev_sales', 'cars', 2024, 1, 's', 'high')")
    assert old.execute("SELECT period, powertrains FROM observations").fetchall() == [("annual", "bev_and_phev")]
    assert old.execute("SELECT family FROM sources").fetchall() == [(None,)]
