"""Two sessions on one database: an action acts only on the submission its page showed, never on another.

A reviewer's page shows batch X; meanwhile X stops being pending (another reviewer acted, or its author withdrew
it). The reviewer's click must then be refused, not applied to whatever batch the page would show next.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ctatracker.model.enums import Role
from ctatracker.model.schema import Observation
from ctatracker.store import auth, contributions, review
from ctatracker.store.database import connect, current_record
from ctatracker.store.permissions import Actor
from tests.app.conftest import open_signed_in
from tests.app.test_contribute_pages import FOCAL, KEY, PASSWORD, SECRETARIAT, texts

OTHER = ("IND", "ev_sales", "all_vehicles", 2024, "business-standard-2025-ind-niti")
FOCAL_ACTOR = Actor(name=FOCAL, role=Role.FOCAL_POINT, country_iso3="IND")


@pytest.fixture()
def db(seed_copy: Path, point_at) -> Path:
    """A copy of the seed database with a focal point for India and a secretariat account; the app uses it."""
    path = seed_copy
    con = connect(path)
    auth.add_user(con, FOCAL, "focal_point", country="IND", password=PASSWORD, name="India focal point")
    auth.add_user(con, SECRETARIAT, "secretariat", password=PASSWORD)
    con.close()
    point_at(path)
    return path


@pytest.fixture()
def open_as(db: Path) -> Callable[..., AppTest]:
    """Open a page as someone, signed in; each call is a separate browser session on the same database."""
    return lambda email, page, params=None: open_signed_in(page, email, params)


def _propose(db: Path, key: tuple, value: float) -> str:
    con = connect(db)
    try:
        row = Observation.model_validate({**current_record(con, Observation, key), "value": value})
        return review.propose(con, FOCAL_ACTOR, [review.change_now(con, row)])
    finally:
        con.close()


def _statuses(db: Path) -> dict[str, str]:
    con = connect(db)
    try:
        subs = contributions.submissions(con)
        return dict(zip(subs["batch_id"], subs["status"], strict=True))
    finally:
        con.close()


def _value(db: Path, key: tuple) -> float:
    con = connect(db)
    try:
        return current_record(con, Observation, key)["value"]
    finally:
        con.close()


def test_approving_after_another_reviewer_acted_does_not_approve_the_next_batch(open_as, db: Path) -> None:
    first, second = _propose(db, KEY, 9.9), _propose(db, OTHER, 2_100_000)
    mine = open_as(SECRETARIAT, "views/review_queue.py")
    other = open_as(SECRETARIAT, "views/review_queue.py")
    assert mine.selectbox(key="review_pick").value == first == other.selectbox(key="review_pick").value
    other.button(key="review_approve").click().run()
    assert "Approved" in texts(other, "success")
    mine.button(key="review_approve").click().run()  # the page still showed `first` when this was clicked
    assert not mine.exception, [e.value for e in mine.exception]
    assert _statuses(db) == {first: "approved", second: "pending"}  # before the fix: `second` was approved
    assert "nothing was done" in texts(mine, "error")
    assert _value(db, OTHER) == 2_030_000


def test_rejecting_a_batch_its_author_withdrew_meanwhile_is_refused(open_as, db: Path) -> None:
    first, second = _propose(db, KEY, 9.9), _propose(db, OTHER, 2_100_000)
    mine = open_as(SECRETARIAT, "views/review_queue.py")
    assert mine.selectbox(key="review_pick").value == first
    author = open_as(FOCAL, "views/my_country.py", {"tab": "My submissions"})
    author.selectbox(key="withdraw_pick").set_value(first).run()
    author.button(key="withdraw_go").click().run()
    assert "Withdrawn" in texts(author, "info")
    next(t for t in mine.text_area if t.key.startswith("review_comment")).input("Please cite the 2024 report.")
    mine.button(key="review_reject").click().run()
    assert _statuses(db) == {first: "withdrawn", second: "pending"}  # before the fix: `second` was rejected
    assert "already withdrawn" in texts(mine, "error") and "nothing was done" in texts(mine, "error")


def test_withdrawing_after_the_shown_batch_was_approved_does_not_withdraw_another(open_as, db: Path) -> None:
    first, second = _propose(db, KEY, 9.9), _propose(db, OTHER, 2_100_000)
    author = open_as(FOCAL, "views/my_country.py", {"tab": "My submissions"})
    author.selectbox(key="withdraw_pick").set_value(first).run()
    reviewer = open_as(SECRETARIAT, "views/review_queue.py")
    reviewer.selectbox(key="review_pick").set_value(first).run()
    reviewer.button(key="review_approve").click().run()
    assert "Approved" in texts(reviewer, "success")
    author.button(key="withdraw_go").click().run()
    assert not author.exception, [e.value for e in author.exception]
    assert _statuses(db) == {first: "approved", second: "pending"}  # before the fix: `second` was withdrawn
    assert "already approved" in texts(author, "error") and "nothing was done" in texts(author, "error")


def test_the_write_path_refuses_a_batch_or_change_that_is_not_the_one_on_screen(db: Path) -> None:
    first, second = _propose(db, KEY, 9.9), _propose(db, OTHER, 2_100_000)
    con = connect(db)
    try:
        reviewer = Actor(name=SECRETARIAT, role=Role.SECRETARIAT)
        for action, args in ((review.approve, (reviewer,)), (review.reject, (reviewer, "no")),
                             (review.withdraw, (FOCAL_ACTOR,))):
            try:
                action(con, first, *args, on_screen=second)
            except review.WriteRejected as exc:
                assert "not the one on screen" in str(exc)
            else:
                raise AssertionError(f"{action.__name__} acted on a batch that was not on screen")
        history = contributions.history(con)
        newer, older = history["id"].iloc[0], history["id"].iloc[1]
        with pytest.raises(review.WriteRejected, match="not the one on screen"):
            review.revert(con, older, reviewer, on_screen=newer)
    finally:
        con.close()
    assert _statuses(db) == {first: "pending", second: "pending"}


def test_the_comment_is_cleared_after_every_action(open_as, db: Path) -> None:
    first, second = _propose(db, KEY, 9.9), _propose(db, OTHER, 2_100_000)
    at = open_as(SECRETARIAT, "views/review_queue.py")

    def comment():
        return next(t for t in at.text_area if t.key.startswith("review_comment"))

    comment().input("The figure is for 2023, not 2024.")
    at.button(key="review_reject").click().run()
    assert "Rejected" in texts(at, "info")
    assert at.selectbox(key="review_pick").value == second and comment().value == ""
    at.button(key="review_approve").click().run()
    assert "Approved" in texts(at, "success")
    con = connect(db)
    try:
        subs = contributions.submissions(con).set_index("batch_id")
    finally:
        con.close()
    assert subs.loc[first, "review_comment"] == "The figure is for 2023, not 2024."
    assert pd.isna(subs.loc[second, "review_comment"])  # not the previous batch's rejection text
