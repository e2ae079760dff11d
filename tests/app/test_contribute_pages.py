"""AppTest: the Contribute pages (sign-in, editing, bulk upload, review, history, accounts)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from ctatracker.model.enums import Role
from ctatracker.model.schema import Observation
from ctatracker.store import auth, bulk, contributions, review
from ctatracker.store.database import connect, current_record, write_rows
from ctatracker.store.permissions import Actor
from dashboard.safe_text import as_shown
from tests.app.conftest import open_signed_in

PASSWORD = "correct horse battery"
FOCAL = "fp@ind.example"
SECRETARIAT = "sec@alp.example"
ADMIN = "admin@alp.example"
KEY = ("IND", "ev_sales_share", "all_vehicles", 2024, "business-standard-2025-ind-niti")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture()
def db(seed_copy: Path, point_at) -> Path:
    """A copy of the seed database with one account per role; the app is pointed at it."""
    path = seed_copy
    con = connect(path)
    auth.add_user(con, FOCAL, "focal_point", country="IND", password=PASSWORD, name="India focal point")
    auth.add_user(con, SECRETARIAT, "secretariat", password=PASSWORD)
    auth.add_user(con, ADMIN, "admin", password=PASSWORD)
    con.close()
    point_at(path)
    return path


@pytest.fixture()
def open_as(db: Path) -> Callable[..., AppTest]:
    """Open a page as someone (None: anonymous), signed in through the session token."""

    return lambda email, page, params=None: open_signed_in(page, email, params)


def texts(at: AppTest, kind: str) -> str:
    return "\n".join(str(e.value) for e in getattr(at, kind))


def value_now(db: Path) -> float:
    con = connect(db)
    try:
        return current_record(con, Observation, KEY)["value"]
    finally:
        con.close()


@pytest.mark.parametrize("page", ["views/my_country.py", "views/bulk_upload.py", "views/review_queue.py",
                                  "views/history.py", "views/admin_users.py"])
def test_each_contribute_page_tells_a_viewer_how_to_get_access(open_as, page: str) -> None:
    at = open_as(None, page)
    info = texts(at, "info")
    assert "Sign in to use it" in info and "Accounts are created by the tracker's administrator" in info


def test_a_wrong_role_is_told_plainly(open_as) -> None:
    at = open_as(FOCAL, "views/review_queue.py")
    assert "is for the secretariat or admin" in texts(at, "warning")
    at = open_as(SECRETARIAT, "views/admin_users.py")
    assert "Managing accounts** is for the admin" in texts(at, "warning")


def test_sign_in_wrong_then_right_then_sign_out(open_as) -> None:
    at = open_as(None, "views/sign_in.py")
    at.text_input(key="sign_in_email").input(FOCAL)
    at.text_input(key="sign_in_password").input("not my password")
    at.button(key="sign_in_submit").click().run()
    assert "The email or the password is wrong" in texts(at, "error") and "attempt(s) left" not in texts(at, "error")
    at.text_input(key="sign_in_password").input(PASSWORD)
    at.button(key="sign_in_submit").click().run()
    assert at.title[0].value == "Your account"
    assert "national focal point for India" in texts(at, "success")
    at.button(key="sign_out").click().run()
    assert at.title[0].value == "Sign in"


def test_five_wrong_passwords_lock_the_account(open_as) -> None:
    at = open_as(None, "views/sign_in.py")
    at.text_input(key="sign_in_email").input(FOCAL)
    for _ in range(5):
        at.text_input(key="sign_in_password").input("not my password")
        at.button(key="sign_in_submit").click().run()
    assert "The email or the password is wrong, or the account is locked" in texts(at, "error")
    at.text_input(key="sign_in_password").input(PASSWORD)
    at.button(key="sign_in_submit").click().run()
    assert at.title[0].value == "Sign in"  # even the right password: the same answer, no sign-in
    assert "The email or the password is wrong, or the account is locked" in texts(at, "error")


def test_without_accounts_the_app_is_read_only(open_page) -> None:
    at = open_page("views/sign_in.py")
    assert "read-only" in texts(at, "info")


def test_observation_form_explains_errors_next_to_fields_and_submits_for_review(open_as, db: Path) -> None:
    at = open_as(FOCAL, "views/my_country.py", {"tab": "Observation"})
    at.selectbox(key="obs_pick").set_value(KEY).run()
    value = next(t for t in at.text_input if t.key.endswith("_value"))
    assert value.value == "7.7"
    value.input("about eight")
    go = next(b for b in at.button if b.key and b.key.startswith("obs_") and b.key.endswith("_go"))
    go.click().run()
    assert "type a number, such as 12.5 (got 'about eight')" in as_shown(texts(at, "error"))
    next(t for t in at.text_input if t.key.endswith("_value")).input("12.5")
    next(b for b in at.button if b.key and b.key.startswith("obs_") and b.key.endswith("_go")).click().run()
    assert not at.exception
    assert "Submitted for review" in texts(at, "success")
    assert value_now(db) == 7.7  # public data unchanged until approved
    con = connect(db)
    mine = contributions.submissions(con, author=FOCAL)
    con.close()
    assert list(mine["status"]) == ["pending"] and '"value":12.5' in mine["new_values"][0]
    assert "(pending review)" in at.selectbox(key="obs_pick").format_func(KEY)


def test_stage_form_refuses_a_javascript_link(open_as) -> None:
    at = open_as(FOCAL, "views/my_country.py")
    link = next(t for t in at.text_input if t.key.startswith("stage_") and t.key.endswith("_link"))
    link.input("javascript:alert(1)")
    next(b for b in at.button if b.key and b.key.startswith("stage_") and b.key.endswith("_go")).click().run()
    assert "a link must start with http:// or https://" in as_shown(texts(at, "error"))


def _propose(db: Path, value: float, note: str | None = None) -> str:
    con = connect(db)
    try:
        row = Observation.model_validate({**current_record(con, Observation, KEY), "value": value})
        actor = Actor(name=FOCAL, role=Role.FOCAL_POINT, country_iso3="IND")
        return review.propose(con, actor, [review.change_now(con, row)], note=note)
    finally:
        con.close()


def test_review_queue_shows_the_change_with_notes_as_plain_text_and_approves(open_as, db: Path) -> None:
    _propose(db, 9.9, note="<script>alert('x')</script> see table 3")
    at = open_as(SECRETARIAT, "views/review_queue.py")
    assert "<script>alert('x')</script> see table 3" in texts(at, "text")  # st.text: never run as HTML
    change = at.dataframe[0].value
    assert change["proposed change"].iloc[0] == "value: 7.7 → 9.9"
    at.button(key="review_approve").click().run()
    assert "Approved: 1 record changed and published" in texts(at, "success")
    assert value_now(db) == 9.9


def test_rejecting_needs_a_comment_and_a_stale_submission_is_not_applied(open_as, db: Path) -> None:
    _propose(db, 8.8)
    con = connect(db)
    write_rows(con, [Observation.model_validate({**current_record(con, Observation, KEY), "value": 8.1})],
               Actor(name=SECRETARIAT, role=Role.SECRETARIAT))
    con.close()
    at = open_as(SECRETARIAT, "views/review_queue.py")
    assert "changed after this was submitted" in texts(at, "warning")
    at.button(key="review_approve").click().run()
    assert "value is now 8.1" in as_shown(texts(at, "warning")) and value_now(db) == 8.1
    at.button(key="review_reject").click().run()
    assert "Say why it is rejected" in texts(at, "error")
    next(t for t in at.text_area if t.key.startswith("review_comment")).input(
        "The value changed meanwhile; please check the 2024 figure.")
    at.button(key="review_reject").click().run()
    assert "Rejected" in texts(at, "info")


def _template_with(db: Path, **cells: object) -> bytes:
    con = connect(db)
    book = load_workbook(io.BytesIO(bulk.template(con, "IND")))
    con.close()
    for ref, value in cells.items():
        book["observations"][ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_bulk_upload_previews_every_row_and_submits_all_together(open_as, db: Path) -> None:
    at = open_as(FOCAL, "views/bulk_upload.py")
    at.file_uploader(key="bulk_file_0").set_value(("india.xlsx", _template_with(db, E2=19.5), XLSX)).run()
    assert not at.exception, [e.value for e in at.exception]
    preview = at.dataframe[0].value
    assert list(preview["status"]) == ["changed"] and "→ 19.5" in preview["change"].iloc[0]
    at.button(key="bulk_submit").click().run()
    assert "1 change submitted for review" in texts(at, "success")
    con = connect(db)
    assert len(contributions.pending_batches(con)) == 1
    con.close()


def test_a_bad_upload_shows_its_problems_and_cannot_be_submitted(open_as, db: Path) -> None:
    at = open_as(FOCAL, "views/bulk_upload.py")
    bad = (Path(__file__).parent.parent / "fixtures" / "bad_uploads" / "share_130.xlsx").read_bytes()
    at.file_uploader(key="bulk_file_0").set_value(("share_130.xlsx", bad, XLSX)).run()
    assert "nothing can be submitted" in texts(at, "error")
    assert "130 is not a percentage" in at.dataframe[0].value["problems"].iloc[0]
    assert at.button(key="bulk_submit").disabled


def test_a_problem_quoting_the_file_is_shown_as_text(open_as, db: Path) -> None:
    """The problems box rendered the quoted cell as Markdown: an image link in a cell loaded the image."""
    at = open_as(FOCAL, "views/bulk_upload.py")
    hostile = "![x](https://e.example/p.png)"
    at.file_uploader(key="bulk_file_0").set_value(("hostile.xlsx", _template_with(db, E2=hostile), XLSX)).run()
    error = texts(at, "error")
    assert "nothing can be submitted" in error
    assert "](" not in error and "![" not in error
    assert hostile in as_shown(error)


def test_admin_creates_an_account_with_a_temporary_password(open_as, db: Path) -> None:
    at = open_as(ADMIN, "views/admin_users.py")
    at.text_input(key="new_email").input("fp@lka.example")
    at.selectbox(key="new_role").set_value("focal_point")
    at.selectbox(key="new_country").set_value("LKA")
    at.button(key="new_go").click().run()
    assert "Account created for fp@lka.example. Temporary password:" in texts(at, "success")
    con = connect(db)
    assert auth.get_user(con, "fp@lka.example").country_iso3 == "LKA"
    con.close()


def test_history_lists_applied_changes_and_revert_makes_a_submission(open_as, db: Path) -> None:
    at = open_as(SECRETARIAT, "views/my_country.py", {"tab": "Observation"})
    at.selectbox(key="edit_country").set_value("IND").run()
    at.selectbox(key="obs_pick").set_value(KEY).run()
    next(t for t in at.text_input if t.key.endswith("_value")).input("8.4")
    next(b for b in at.button if b.key and b.key.startswith("obs_") and b.key.endswith("_go")).click().run()
    assert "Saved: 1 record changed" in texts(at, "success") and value_now(db) == 8.4
    at = open_as(SECRETARIAT, "views/history.py")
    at.selectbox(key="history_country").set_value("IND").run()
    table = at.dataframe[0].value
    assert table["change"].iloc[0] == "value: 7.7 → 8.4" and table["actor"].iloc[0] == SECRETARIAT
    at.selectbox(key="revert_pick").set_value(table["id"].iloc[0])
    at.button(key="revert_go").click().run()
    assert "waiting in the review queue" in texts(at, "success"), texts(at, "error")
    con = connect(db)
    assert contributions.pending_batches(con)["note"].iloc[0].startswith("revert of the change")
    con.close()


def _stage_widgets(at: AppTest, suffix: str):
    return next(w for kind in ("selectbox", "date_input", "text_area", "text_input") for w in getattr(at, kind)
                if w.key and w.key.startswith("stage_") and w.key.endswith(suffix))


def test_a_changed_stage_asks_for_a_fresh_date_and_source_and_review_shows_them(open_as, db: Path) -> None:
    at = open_as(FOCAL, "views/my_country.py")
    at.selectbox(key="stage_area").set_value("electric_vehicles").run()
    assert _stage_widgets(at, "_asof").value is None  # prefilled empty: never the earlier assessment's date
    _stage_widgets(at, "_stage").set_value("in_law")
    next(b for b in at.button if b.key and b.key.startswith("stage_") and b.key.endswith("_go")).click().run()
    errors = as_shown(texts(at, "error"))
    assert "give the date of this new assessment" in errors and "choose the source of this new assessment" in errors
    con = connect(db)
    try:
        assert contributions.pending_batches(con).empty  # nothing submitted
    finally:
        con.close()
    import datetime as dt

    _stage_widgets(at, "_stage").set_value("in_law")
    _stage_widgets(at, "_asof").set_value(dt.date(2026, 3, 1))
    source = _stage_widgets(at, "_source")
    source.set_value(next(o for o in source.options if o and o != "__new__"))
    next(b for b in at.button if b.key and b.key.startswith("stage_") and b.key.endswith("_go")).click().run()
    assert not as_shown(texts(at, "error"))
    review_page = open_as(SECRETARIAT, "views/review_queue.py")
    captions = as_shown(texts(review_page, "caption"))
    assert "Assessed on: " in captions and "→ 2026-03-01" in captions
    assert "Source: " in captions
