"""AppTest: the contribution defects a new user met (source default, errors, counts, names, history, sidebar)."""
# ruff: noqa: F811  (the fixtures db and open_as come from test_contribute_pages)

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from ctatracker.model.enums import Role
from ctatracker.model.schema import Observation
from ctatracker.store import auth, contributions, review
from ctatracker.store.database import connect, current_record, write_rows
from ctatracker.store.permissions import SYSTEM, Actor
from dashboard.safe_text import as_shown
from tests.app.conftest import open_signed_in
from tests.app.test_contribute_pages import FOCAL, KEY, SECRETARIAT, _propose, db, open_as, texts  # noqa: F401


def _button(at, prefix: str):
    return next(b for b in at.button if b.key and b.key.startswith(prefix) and b.key.endswith("_go"))


def _input(at, suffix: str):
    return next(t for t in at.text_input if t.key.endswith(suffix))


def test_a_new_observation_starts_with_no_source_chosen(open_as) -> None:
    """Before: the first source of the list (an unrelated publisher) was pre-selected on every new record."""
    at = open_as(FOCAL, "views/my_country.py", {"tab": "Observation"})
    source = next(s for s in at.selectbox if s.key.endswith("_source"))
    assert source.value is None
    _input(at, "_year").input("2025")
    _input(at, "_value").input("3.5")
    _button(at, "obs_").click().run()
    assert "Submitted for review" not in texts(at, "success")  # no source: refused, with a message by the field
    assert texts(at, "error")


def test_every_form_error_appears_at_once(open_as) -> None:
    """Before: the new source's problems were shown first, the figure's only after they were fixed."""
    at = open_as(FOCAL, "views/my_country.py", {"tab": "Observation"})
    next(s for s in at.selectbox if s.key.endswith("_source")).set_value("__new__")
    _input(at, "_year").input("2025")
    _input(at, "_value").input("about eight")
    _input(at, "_nsurl").input("javascript:alert(1)")
    _button(at, "obs_").click().run()
    errors = as_shown(texts(at, "error"))
    assert "type a number" in errors and "a link must start with http:// or https://" in errors, errors


def test_the_sidebar_and_my_submissions_show_one_pending_count(open_as, db: Path) -> None:
    """Before: the sidebar counted records (1) while the list held two pending submissions of that record."""
    _propose(db, 8.8)
    _propose(db, 9.1)
    at = open_as(FOCAL, "views/my_country.py", {"tab": "My submissions"})
    assert "2 changes of yours are pending review" in texts(at, "caption")
    assert "2 waiting for review" in texts(at, "caption")


def test_submissions_are_named_by_what_they_change(open_as, db: Path) -> None:
    """Before: 'batch 3f2a9c1e' in the withdraw list and a hash in the review queue."""
    batch = _propose(db, 8.8)
    at = open_as(FOCAL, "views/my_country.py", {"tab": "My submissions"})
    label = at.selectbox(key="withdraw_pick").format_func(batch)
    assert label.startswith("Figure: EV share of new vehicle sales, all vehicles, India, 2024")
    assert batch[:8] not in label
    at = open_as(SECRETARIAT, "views/review_queue.py")
    label = at.selectbox(key="review_pick").format_func(batch)
    assert "Figure: EV share of new vehicle sales, all vehicles, India, 2024" in label and batch[:8] not in label


def test_the_review_queue_shows_a_word_level_diff_and_the_full_text_one_click_away(open_as, db: Path) -> None:
    con = connect(db)
    write_rows(con, [Observation.model_validate({**current_record(con, Observation, KEY),
                                                 "note": "Partial year, cars only"})], SYSTEM)
    row = Observation.model_validate({**current_record(con, Observation, KEY), "note": "Full year, cars only"})
    review.propose(con, Actor(name=FOCAL, role=Role.FOCAL_POINT, country_iso3="IND"),
                   [review.change_now(con, row)])
    con.close()
    at = open_as(SECRETARIAT, "views/review_queue.py")
    diff = "\n".join(str(h.proto.body) for h in at.get("html"))
    assert "line-through'>Partial</del>" in diff and "underline'>Full</ins> year, cars only" in diff
    assert at.expander[-1].label.startswith("Every changed field in full")


def test_history_is_paginated_with_its_total(open_as, db: Path) -> None:
    """Before: the list stopped at 500 rows without saying so."""
    con = connect(db)
    total = contributions.history_count(con)
    con.close()
    assert total > 100
    at = open_as(SECRETARIAT, "views/history.py")
    assert f"Changes 1–100 of {total:,}" in texts(at, "caption")
    assert len(at.dataframe[0].value) == 100
    at.number_input(key="history_page").set_value(2).run()
    assert f"Changes 101–{min(200, total):,} of {total:,}" in texts(at, "caption")


def test_signed_in_people_see_sign_out_and_every_contribute_page_in_the_sidebar(db: Path, monkeypatch) -> None:
    """Before: Sign out was only on the Sign in page; the contribute pages hid behind 'View 5 more'."""
    seen: list[dict] = []
    real = st.navigation

    def spy(pages, **kwargs):
        seen.append(kwargs)
        return real(pages, **kwargs)

    monkeypatch.setattr(st, "navigation", spy)
    at = open_signed_in("views/overview.py", FOCAL)
    assert seen[-1].get("expanded") is True
    assert at.sidebar.button(key="sidebar_sign_out")
    at.sidebar.button(key="sidebar_sign_out").click().run()
    assert all(b.key != "sidebar_sign_out" for b in at.sidebar.button)
    anonymous = open_signed_in("views/overview.py", None)
    assert seen[-1].get("expanded") is True and not list(anonymous.sidebar.button)


def test_account_names_are_shown_as_text(db: Path) -> None:
    con = connect(db)
    auth.add_user(con, "odd@ind.example", "focal_point", country="IND", password="correct horse battery",
                  name="Boss")
    con.close()
    at = open_signed_in("views/sign_in.py", "odd@ind.example")
    shown = texts(at, "success") + texts(at, "caption")
    assert "odd@ind.example" not in shown  # a bare address would become a mailto link
    assert "Signed in as **odd@ind.example**" in as_shown(texts(at, "success"))
    assert "Signed in as **odd@ind.example**" in as_shown(texts(at, "caption"))



def _widget(at, prefix: str, suffix: str):
    return next(w for kind in ("selectbox", "date_input", "text_area", "text_input") for w in getattr(at, kind)
                if w.key and w.key.startswith(prefix) and w.key.endswith(suffix))


def test_a_new_stage_starts_unchosen_and_is_refused_until_chosen(open_as, db: Path) -> None:
    """Before: a new stage opened on 'no action', which was recorded when the person did not change it."""
    at = open_as(FOCAL, "views/my_country.py")
    at.selectbox(key="stage_area").set_value("public_transport").run()  # no stage recorded for India here
    stage = _widget(at, "stage_", "_stage")
    assert stage.value is None and stage.placeholder
    _widget(at, "stage_", "_summary").input("The national bus programme is in the budget law.")
    source = _widget(at, "stage_", "_source")
    source.set_value(next(o for o in source.options if o and o != "__new__"))
    _button(at, "stage_").click().run()
    assert "Choose the implementation stage" in as_shown(texts(at, "error"))
    con = connect(db)
    try:
        assert contributions.pending_batches(con).empty  # nothing submitted
    finally:
        con.close()
    _widget(at, "stage_", "_stage").set_value("in_law")
    _button(at, "stage_").click().run()
    assert "Submitted for review" in texts(at, "success"), texts(at, "error")


@pytest.mark.parametrize(("tab", "prefix", "suffixes"), [("Observation", "obs_", ("_ind", "_mode", "_conf")),
                                                         ("Policy", "pol_", ("_area", "_kind", "_status", "_conf"))])
def test_a_new_figure_or_policy_presets_no_choice(open_as, tab: str, prefix: str, suffixes: tuple) -> None:
    """Before: a new policy opened as an 'in force' law of the first action area, a new figure on the first
    indicator and vehicle type, both of 'medium' confidence; sent unchanged, they were recorded as such."""
    at = open_as(FOCAL, "views/my_country.py", {"tab": tab})
    assert all(_widget(at, prefix, s).value is None for s in suffixes)
    _button(at, prefix).click().run()
    errors = as_shown(texts(at, "error"))
    assert "Choose" in errors and "Submitted for review" not in texts(at, "success")
    assert "Choose how sure the source is: high, medium or low." in errors, errors  # beside the field, in words
