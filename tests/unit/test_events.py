"""Events as data: the seed holds only sourced events, upcoming ones come first, the secretariat adds one through
the write path (refused for others, bad input changes nothing)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from ctatracker.briefing import events
from ctatracker.model.enums import Role
from ctatracker.model.schema import Event
from ctatracker.store import queries
from ctatracker.store.database import WriteRejected, connect
from ctatracker.store.permissions import Actor

TODAY = dt.date(2026, 11, 30)
SECRETARIAT = Actor(name="sec@alp.example", role=Role.SECRETARIAT)


@pytest.fixture()
def con(built_db: Path, tmp_path: Path):
    path = tmp_path / "t.duckdb"
    path.write_bytes(built_db.read_bytes())
    connection = connect(path)
    yield connection
    connection.close()


def test_every_seed_event_has_a_listed_source(seed_dir: Path) -> None:
    sources = {r["id"] for r in csv.DictReader((seed_dir / "sources.csv").open(encoding="utf-8"))}
    rows = list(csv.DictReader((seed_dir / "events.csv").open(encoding="utf-8")))
    assert rows and all(r["source_id"] in sources for r in rows)
    by_id = {r["id"]: r for r in rows}
    assert (by_id["cop31"]["start_date"], by_id["cop31"]["end_date"], by_id["cop31"]["city"]) == (
        "2026-11-09", "2026-11-20", "Antalya")
    assert by_id["cop32"]["start_date"] == ""  # dates not found in public sources: none invented
    assert not any("17th" in r["name"] for r in rows)  # no public date or place


def test_upcoming_events_come_first_and_the_next_one_is_the_default(con) -> None:
    ordered = events.upcoming_first(queries.events(con), TODAY)
    assert ordered["upcoming"].iloc[0]
    assert list(ordered.loc[ordered["upcoming"], "id"]) == ["cop32"]  # COP31 ended on 20 November 2026
    assert list(ordered.loc[~ordered["upcoming"], "id"])[:2] == ["cop31", "cop30"]  # then the latest past ones
    assert events.default_event(queries.events(con), TODAY)["id"] == "cop32"
    assert events.default_event(queries.events(con), dt.date(2026, 11, 15))["id"] == "cop31"  # under way


def test_meeting_text_reads_naturally() -> None:
    assert events.Meeting("X", dt.date(2024, 11, 28), dt.date(2024, 12, 2)).when() == "28 November – 2 December 2024"
    assert events.Meeting("X", dt.date(2024, 12, 10)).when() == "10 December 2024"
    assert events.Meeting("COP32", place="Addis Ababa, Ethiopia", year=2027).line() == (
        "2027 (dates not yet announced), Addis Ababa, Ethiopia")


def test_the_row_model_refuses_dates_out_of_order() -> None:
    with pytest.raises(ValidationError, match="end date is before"):
        Event(id="x", name="X", kind="other", year=2027, start_date="2027-05-02", end_date="2027-05-01")
    with pytest.raises(ValidationError, match="not in the year"):
        Event(id="x", name="X", kind="other", year=2028, start_date="2027-05-02")
    with pytest.raises(ValidationError, match="kind"):
        Event(id="x", name="X", kind="summit", year=2027)


def test_the_secretariat_adds_an_event_through_the_write_path(con) -> None:
    row = events.add_event(con, SECRETARIAT, {"name": "ALP Forum 2027", "kind": "other", "city": "Colombo",
                                              "country": "Sri Lanka", "start_date": dt.date(2027, 3, 2),
                                              "end_date": dt.date(2027, 3, 4)})
    assert row.id == "alp-forum-2027" and row.source_id is None
    stored = queries.events(con)
    assert "ALP Forum 2027" in set(stored["name"])
    audit = con.execute("SELECT actor, reason FROM audit_log WHERE table_name = 'events' "
                        "AND actor <> 'system'").fetchall()
    assert audit == [("sec@alp.example", "event added on the Briefing page")]
    again = events.add_event(con, SECRETARIAT, {"name": "ALP Forum 2027", "start_date": dt.date(2027, 9, 1)})
    assert again.id == "alp-forum-2027-2"  # a second event of that name keeps its own id


@pytest.mark.parametrize("actor", [Actor(name="fp@lka.example", role=Role.FOCAL_POINT, country_iso3="LKA"),
                                   Actor(name="anyone", role=Role.VIEWER)])
def test_others_cannot_add_an_event(con, actor: Actor) -> None:
    before = len(queries.events(con))
    with pytest.raises(WriteRejected):
        events.add_event(con, actor, {"name": "Workshop", "start_date": dt.date(2027, 1, 5)})
    assert len(queries.events(con)) == before


def test_bad_input_is_told_and_changes_nothing(con) -> None:
    before = len(queries.events(con))
    with pytest.raises(WriteRejected, match="last day is before the first day"):
        events.add_event(con, SECRETARIAT, {"name": "X", "start_date": dt.date(2027, 1, 5),
                                            "end_date": dt.date(2027, 1, 1)})
    with pytest.raises(WriteRejected, match="name"):
        events.add_event(con, SECRETARIAT, {"name": "  ", "start_date": dt.date(2027, 1, 5)})
    assert len(queries.events(con)) == before
