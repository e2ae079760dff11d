"""Review workflow and permissions: every role tries every write through the write path itself."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from ctatracker.model.enums import Role
from ctatracker.model.schema import (
    ActionArea,
    Activity,
    Commitment,
    Country,
    Indicator,
    Membership,
    Need,
    Observation,
    Policy,
    Source,
    Submission,
    Target,
    User,
)
from ctatracker.store import auth, contributions, queries, review
from ctatracker.store.database import RecordChanged, WriteRejected, connect, create_schema, delete_rows, write_rows
from ctatracker.store.permissions import SYSTEM, Actor
from ctatracker.text.naming import Namer

VIEWER = Actor(name="public", role=Role.VIEWER)
FOCAL = Actor(name="fp@ind.example", role=Role.FOCAL_POINT, country_iso3="IND")
SECRETARIAT = Actor(name="sec@alp.example", role=Role.SECRETARIAT)
ADMIN = Actor(name="admin@alp.example", role=Role.ADMIN)
ACTORS = {"viewer": VIEWER, "focal_point": FOCAL, "secretariat": SECRETARIAT, "admin": ADMIN}


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small database made once; each test works on its own copy."""
    path = tmp_path_factory.mktemp("review") / "template.duckdb"
    con = connect(path)
    create_schema(con)
    write_rows(con, [Source(id="src", title="A report", publisher="Pub", year=2024, url="https://example.org")],
               SYSTEM)
    write_rows(con, [ActionArea(code="electric_vehicles", number=3, name="EVs", communique_wording="30%",
                                display_order=3)], SYSTEM)
    write_rows(con, [Country(iso3=c, name=c, subregion="South Asia") for c in ("IND", "LKA")], SYSTEM)
    write_rows(con, [Indicator(code="ev_sales_share", name="EV share", unit="percent",
                               action_area_code="electric_vehicles", higher_is_better=True, definition="d")], SYSTEM)
    write_rows(con, [obs("IND", 2022, 5.0), obs("LKA", 2022, 1.0)], SYSTEM)
    con.execute("CHECKPOINT")
    con.close()
    return path


@pytest.fixture()
def con(template_db: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory copy of the template database."""
    con = connect(":memory:")
    con.execute(f"ATTACH '{template_db}' AS template (READ_ONLY)")
    con.execute("COPY FROM DATABASE template TO memory")
    con.execute("DETACH template")
    yield con
    con.close()


def obs(country: str = "IND", year: int = 2022, value: float = 5.0, source: str = "src") -> Observation:
    return Observation(country_iso3=country, indicator_code="ev_sales_share", mode="cars", year=year, value=value,
                       source_id=source, confidence="high")


def value_of(con, country: str = "IND", year: int = 2022) -> float | None:
    rows = con.execute("SELECT value FROM observations WHERE country_iso3 = ? AND year = ?",
                       [country, year]).fetchall()
    return rows[0][0] if rows else None


def snapshot(con) -> dict:
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
    return {t: con.execute(f"SELECT count(*), hash(string_agg(CAST(x AS VARCHAR), '|' ORDER BY CAST(x AS VARCHAR)))"
                           f" FROM {t} x").fetchall()[0] for t in tables}


def pending_batch(con) -> str:
    return review.propose(con, FOCAL, [review.change_now(con, obs(value=6.0))])


def waiting(con) -> str:
    return contributions.pending_batches(con)["batch_id"].iloc[0]


# Every write a person could attempt; each runs through the write path (write_rows, delete_rows or review.*).
WRITES: dict[str, Callable] = {
    "observation, own country": lambda con, a: write_rows(con, [obs(value=7.0)], a),
    "observation, other country": lambda con, a: write_rows(con, [obs("LKA", value=2.0)], a),
    "implementation stage": lambda con, a: write_rows(con, [Commitment(
        country_iso3="IND", action_area_code="electric_vehicles", stage="in_policy", summary="s",
        as_of=dt.date(2024, 1, 1), source_id="src")], a),
    "policy": lambda con, a: write_rows(con, [Policy(id="p1", country_iso3="IND", action_area_code="electric_vehicles",
                                                     name="EV policy", kind="strategy", status="adopted",
                                                     source_id="src", confidence="high")], a),
    "needs": lambda con, a: write_rows(con, [Need(country_iso3="IND", action_area_code="electric_vehicles",
                                                  need="chargers", submitted_by=a.name)], a),
    "source": lambda con, a: write_rows(con, [Source(id="new", title="t", publisher="p", url="https://x.org")], a),
    "activity": lambda con, a: write_rows(con, [Activity(id="a1", title="Workshop", kind="training",
                                                         alp_supported=True, source_id="src")], a),
    "regional target": lambda con, a: write_rows(con, [Target(
        id="t1", indicator_code="ev_sales_share", mode="all_vehicles", comparison="at_least", target_value=30,
        target_year=2030, wording="30%", strength="pledge", source_id="src", confidence="high")], a),
    "country": lambda con, a: write_rows(con, [Country(iso3="IND", name="India", subregion="South Asia")], a),
    "membership": lambda con, a: write_rows(con, [Membership(country_iso3="IND", grouping="lg_cta",
                                                             status="member", source_id="src")], a),
    "indicator": lambda con, a: write_rows(con, [Indicator(
        code="ev_stock", name="EV stock", unit="vehicles", action_area_code="electric_vehicles",
        higher_is_better=True, definition="d")], a),
    "account": lambda con, a: write_rows(con, [User(email="new@example.org", name="N", role="secretariat",
                                                    created_at=dt.datetime(2025, 1, 1))], a),
    "audit log": lambda con, a: write_rows(con, [system_audit()], a),
    "remove an observation": lambda con, a: delete_rows(con, Observation, [obs().key()], a),
    "propose, own country": lambda con, a: review.propose(con, a, [review.change_now(con, obs(value=8.0))]),
    "propose, other country": lambda con, a: review.propose(con, a, [review.change_now(con, obs("LKA", value=3.0))]),
    "propose a new source": lambda con, a: review.propose(con, a, [review.change_now(con, Source(
        id="new", title="t", publisher="p", url="https://x.org"))]),
    "propose an activity": lambda con, a: review.propose(con, a, [review.change_now(con, Activity(
        id="a1", title="Workshop", kind="training", alp_supported=True, source_id="src"))]),
    "approve": lambda con, a: review.approve(con, waiting(con), a),
    "reject": lambda con, a: review.reject(con, waiting(con), a, "not sourced"),
    "file an approved submission": lambda con, a: write_rows(con, [Submission(
        id="forged", batch_id="forged", position=0, created_at=dt.datetime(2025, 1, 1), author=a.name,
        author_role=a.role, country_iso3="IND", table_name="observations", row_key="{}", action="update",
        new_values=obs(value=99.0).model_dump_json(), status="approved", reviewer=a.name)], a),
}


def system_audit():
    from ctatracker.model.schema import AuditEntry

    return AuditEntry(id="x", changed_at=dt.datetime(2025, 1, 1), actor="me", actor_role="admin",
                      table_name="observations", row_key="{}", action="delete")


SECRETARIAT_MAY = {"observation, own country", "observation, other country", "implementation stage", "policy",
                   "needs", "source", "activity", "regional target", "remove an observation", "propose, own country",
                   "propose, other country", "propose a new source", "propose an activity", "approve", "reject",
                   "file an approved submission"}
ALLOWED = {
    "viewer": set(),
    "focal_point": {"propose, own country", "propose a new source"},
    "secretariat": SECRETARIAT_MAY,
    "admin": SECRETARIAT_MAY | {"country", "membership", "indicator", "account"},
}


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("role", list(ACTORS))
def test_role_action_matrix(con, role: str, write: str) -> None:
    """Only the allowed writes succeed; a refused one says 'not allowed' and changes nothing."""
    actor = ACTORS[role]
    if write in ("approve", "reject"):
        pending_batch(con)  # made by the focal point beforehand: not part of what is checked
    before = snapshot(con)
    if write in ALLOWED[role]:
        WRITES[write](con, actor)
        assert snapshot(con) != before
    else:
        with pytest.raises(WriteRejected, match="not allowed"):
            WRITES[write](con, actor)
        assert snapshot(con) == before


def test_a_submission_is_pending_until_approved_then_applied_with_its_audit_entry(con) -> None:
    batch = review.propose(con, FOCAL, [review.change_now(con, obs(value=6.5))], note="from the 2024 report")
    assert value_of(con) == 5.0  # public data unchanged while pending
    pending = contributions.pending_batches(con)
    assert list(pending["batch_id"]) == [batch] and pending["note"][0] == "from the 2024 report"
    assert contributions.pending_keys(con, FOCAL.name)
    assert review.approve(con, batch, SECRETARIAT, "thanks") == 1
    assert value_of(con) == 6.5
    sub = contributions.batch(con, batch)[0]
    assert (sub.status.value, sub.reviewer, sub.review_comment) == ("approved", SECRETARIAT.name, "thanks")
    entry = con.execute("SELECT actor, old_values, new_values, reason FROM audit_log "
                        "WHERE table_name = 'observations' AND reason LIKE 'submission%'").fetchall()
    assert entry[0][0] == SECRETARIAT.name and entry[0][3] == f"submission {sub.id}"
    assert json.loads(entry[0][1])["value"] == 5.0 and json.loads(entry[0][2])["value"] == 6.5
    history = contributions.history(con, country="IND")
    assert history["submitted_by"].iloc[0] == FOCAL.name
    with pytest.raises(WriteRejected, match="already approved"):
        review.approve(con, batch, SECRETARIAT)


def test_rejection_needs_a_comment_and_the_author_sees_it(con) -> None:
    batch = review.propose(con, FOCAL, [review.change_now(con, obs(value=6.5))])
    with pytest.raises(WriteRejected, match="say why"):
        review.reject(con, batch, SECRETARIAT, "  ")
    review.reject(con, batch, SECRETARIAT, "Which table of the report?")
    mine = contributions.submissions(con, author=FOCAL.name)
    assert mine["status"][0] == "rejected" and mine["review_comment"][0] == "Which table of the report?"
    assert value_of(con) == 5.0


def test_no_lost_update_the_second_approval_is_refused_with_the_new_value(con) -> None:
    first = review.propose(con, FOCAL, [review.change_now(con, obs(value=6.0))])
    second = review.propose(con, FOCAL, [review.change_now(con, obs(value=7.0))])  # both based on 5.0
    review.approve(con, first, SECRETARIAT)
    with pytest.raises(RecordChanged) as err:
        review.approve(con, second, SECRETARIAT)
    assert "value is now 6.0" in str(err.value) and "submit again" in str(err.value)
    assert value_of(con) == 6.0
    assert contributions.batch(con, second)[0].status.value == "pending"


def test_a_direct_edit_based_on_an_old_version_is_refused(con) -> None:
    seen = review.change_now(con, obs(value=9.0))
    write_rows(con, [obs(value=6.0)], SECRETARIAT)
    with pytest.raises(RecordChanged, match=r"value is now 6\.0"):
        review.apply_changes(con, SECRETARIAT, [seen])
    with pytest.raises(RecordChanged):
        review.propose(con, FOCAL, [seen])
    assert value_of(con) == 6.0


def test_a_new_source_and_the_figure_citing_it_go_together(con) -> None:
    source = Source(id="moe-2024", title="Annual report", publisher="Ministry", year=2024, url="https://gov.in/r")
    with pytest.raises(WriteRejected, match="unknown id 'moe-2024'"):
        review.propose(con, FOCAL, [review.change_now(con, obs(year=2023, source="moe-2024"))])
    batch = review.propose(con, FOCAL, [review.change_now(con, source),
                                        review.change_now(con, obs(year=2023, value=4.0, source="moe-2024"))])
    assert review.approve(con, batch, SECRETARIAT) == 2
    assert value_of(con, year=2023) == 4.0


def test_invalid_values_are_refused_when_submitted(con) -> None:
    with pytest.raises(WriteRejected, match="130 is not a percentage"):
        review.propose(con, FOCAL, [review.change_now(con, obs(value=130.0))])
    with pytest.raises(WriteRejected, match="nothing to submit"):
        review.propose(con, FOCAL, [])


def test_an_edit_that_changes_nothing_is_not_filed(con) -> None:
    """Submitting a record exactly as it is stored files nothing (it would wait for review as an empty change)."""
    review.apply_changes(con, SECRETARIAT, [review.change_now(con, obs(value=6.0))])
    before = len(contributions.submissions(con, statuses=["pending"]))
    with pytest.raises(WriteRejected, match="nothing to submit"):
        review.propose(con, FOCAL, [review.change_now(con, obs(value=6.0))])
    batch = review.propose(con, FOCAL, [review.change_now(con, obs(value=6.0)),
                                        review.change_now(con, obs(year=2021, value=3.0))])
    filed = contributions.batch(con, batch)
    assert len(filed) == 1 and json.loads(filed[0].new_values)["year"] == 2021  # only the change that changes
    assert len(contributions.submissions(con, statuses=["pending"])) == before + 1


def test_withdraw_only_by_the_author(con) -> None:
    batch = review.propose(con, FOCAL, [review.change_now(con, obs(value=6.0))])
    other = Actor(name="other@ind.example", role=Role.FOCAL_POINT, country_iso3="IND")
    with pytest.raises(WriteRejected):
        review.withdraw(con, batch, other)
    review.withdraw(con, batch, FOCAL)
    assert contributions.batch(con, batch)[0].status.value == "withdrawn"


def test_reverting_creates_a_submission_that_puts_the_old_value_back(con) -> None:
    review.approve(con, review.propose(con, FOCAL, [review.change_now(con, obs(value=6.0))]), SECRETARIAT)
    entry = contributions.history(con, table="observations", country="IND")["id"].iloc[0]
    batch = review.revert(con, entry, FOCAL)
    assert value_of(con) == 6.0  # only proposed
    assert contributions.batch(con, batch)[0].revert_of == entry
    review.approve(con, batch, SECRETARIAT)
    assert value_of(con) == 5.0
    with pytest.raises(WriteRejected, match="changed again"):
        review.revert(con, entry, FOCAL)


def test_reverting_an_insertion_removes_the_record(con) -> None:
    review.apply_changes(con, SECRETARIAT, [review.change_now(con, obs(year=2021, value=3.0))])
    entry = contributions.history(con, table="observations")["id"].iloc[0]
    review.approve(con, review.revert(con, entry, SECRETARIAT), SECRETARIAT)
    assert value_of(con, year=2021) is None
    actions = contributions.history(con, table="observations")["action"].tolist()
    assert actions[:2] == ["delete", "insert"]


def test_a_cited_source_cannot_be_removed(con) -> None:
    with pytest.raises(WriteRejected, match="still cited by 2 row"):
        delete_rows(con, Source, [("src",)], SECRETARIAT)


def test_account_and_submission_changes_do_not_count_as_data_updates(con) -> None:
    before = queries.last_update(con, country="IND")
    auth.add_user(con, "fp2@ind.example", "focal_point", country="IND", password="correct horse battery")
    review.propose(con, FOCAL, [review.change_now(con, obs(value=6.0))])
    assert queries.last_update(con, country="IND") == before
    assert set(contributions.FACT_TABLE_NAMES) == {"sources", "action_areas", "countries", "memberships",
                                                    "indicators", "observations", "targets", "emission_standards",
                                                    "commitments", "policies", "activities", "needs"}


def test_describe_a_change_in_words() -> None:
    assert review.describe({"value": 5.0, "note": None}, {"value": 6.0, "note": None}) == "value: 5 → 6"
    assert review.describe(None, {"value": 1}) == "new record: value: 1"
    assert review.describe({"value": 1}, None) == "removed"
    assert review.describe({"mode": "cars", "value": 420.0, "powertrains": "bev_and_phev"},
                           {"mode": "not_applicable", "value": 420.5, "powertrains": "bev_only"}) == (
        "vehicles: cars → no vehicle type; value: 420 → 420.5; electric vehicles counted: battery-electric and "
        "plug-in hybrid → battery-electric only")


def test_describe_names_countries_indicators_and_sources(con) -> None:
    text = review.describe(None, {"country_iso3": "IND", "indicator_code": "ev_sales_share", "source_id": "src",
                                  "value": 7.0}, namer=Namer(con))
    assert text == "new record: country: IND; indicator: EV share; source: Pub 2024; value: 7"  # (IND is its name here)


def test_an_identical_pending_submission_is_refused_at_submit(con) -> None:
    review.propose(con, FOCAL, [review.change_now(con, obs(value=6.0))])
    with pytest.raises(WriteRejected, match=r"the same change \(Figure: EV share, cars, IND, 2022 \(Pub 2024\)\) "
                       "is already waiting for review"):
        review.propose(con, FOCAL, [review.change_now(con, obs(value=6.0))])
    assert len(contributions.submissions(con, statuses=["pending"])) == 1
    review.propose(con, FOCAL, [review.change_now(con, obs(value=6.5))])  # a different value is another proposal
    assert len(contributions.submissions(con, statuses=["pending"])) == 2
