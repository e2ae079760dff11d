"""AppTest: a reader suggests a correction (guards refuse spam and oversize); the secretariat applies it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctatracker.model.schema import Observation
from ctatracker.store import auth
from ctatracker.store.database import connect, current_record
from dashboard.safe_text import as_shown
from tests.app.conftest import open_signed_in

SECRETARIAT = "sec@alp.example"
KEY = ("IND", "ev_sales_share", "all_vehicles", 2024, "business-standard-2025-ind-niti")


@pytest.fixture()
def db(seed_copy: Path, point_at) -> Path:
    path = seed_copy
    con = connect(path)
    auth.add_user(con, SECRETARIAT, "secretariat", password="correct horse battery")
    con.close()
    point_at(path)
    return path


def _rows(db: Path) -> list[tuple]:
    from dashboard import data

    return data.cursor().execute("SELECT proposed, email, status FROM public_suggestions").fetchall()


def _fill(at, proposed: str = "7.9", website: str = "", email: str = "reader@example.org"):
    at.selectbox(key="suggest_country").set_value("IND").run()
    labels = at.selectbox(key="suggest_figure").options
    pick = next(i for i, label in enumerate(labels) if "2024" in label and "share of new vehicle sales" in label
                and "all vehicles" in label and "Business Standard" in label)
    at.selectbox(key="suggest_figure").set_value(pick).run()
    at.text_area(key="suggest_proposed_0").input(proposed)
    at.text_input(key="suggest_url_0").input("https://example.org/ev-2024")
    at.text_input(key="suggest_email_0").input(email)
    at.text_input(key="suggest_website").input(website)
    at.button(key="FormSubmitter:suggest_form_0-Send to the secretariat").click().run()
    return at


def test_a_reader_sends_a_suggestion_and_nothing_is_published(db: Path) -> None:
    at = _fill(open_signed_in("views/suggest.py", None))
    assert not at.error, [e.value for e in at.error]
    assert "Thank you" in at.success[0].value
    assert _rows(db) == [("7.9", "reader@example.org", "pending")]
    assert current_record(_con(db), Observation, KEY)["value"] != 7.9


def _con(db: Path):
    from dashboard import data

    return data.cursor()


@pytest.mark.parametrize(("change", "said"), [({"website": "https://spam.example"}, "could not be accepted"),
                                              ({"proposed": "1" * 1001}, "too long")])
def test_spam_and_oversize_are_refused_with_a_message(db: Path, change: dict, said: str) -> None:
    at = _fill(open_signed_in("views/suggest.py", None), **change)
    assert said in at.error[0].value
    assert _rows(db) == []


def test_the_secretariat_applies_a_suggestion_and_can_answer_by_email(db: Path) -> None:
    _fill(open_signed_in("views/suggest.py", None))
    at = open_signed_in("views/suggestions.py", SECRETARIAT)
    shown = "\n".join(m.value for m in at.markdown)
    assert "7.9" in shown and "example.org" in shown
    assert "reader@example.org" not in shown  # only behind the mailto button
    assert at.get("link_button")[0].proto.url.startswith("mailto:reader@example.org?subject=")
    at.button(key="suggestion_apply").click().run()
    assert "Applied" in at.success[0].value
    assert current_record(_con(db), Observation, KEY)["value"] == 7.9
    assert _rows(db) == [("7.9", "reader@example.org", "applied")]


def test_the_suggestions_page_is_for_the_secretariat_only(db: Path) -> None:
    _fill(open_signed_in("views/suggest.py", None))
    at = open_signed_in("views/suggestions.py", None)
    assert "Sign in" in at.info[0].value
    assert "7.9" not in "\n".join(m.value for m in at.markdown)


def test_a_reader_can_propose_a_figure_the_tracker_does_not_hold(db: Path) -> None:
    at = open_signed_in("views/suggest.py", None)
    at.selectbox(key="suggest_country").set_value("LKA").run()
    at.selectbox(key="suggest_figure").set_value("new").run()
    at.text_area(key="suggest_proposed_0").input("12%")
    at.text_input(key="suggest_url_0").input("https://example.org/lka-ev-2025")
    at.button(key="FormSubmitter:suggest_form_0-Send to the secretariat").click().run()
    assert "Say which figure" in at.error[0].value and _rows(db) == []  # what the figure is, first
    at.text_input(key="suggest_what_0").input("EV share of new car sales, 2025")
    at.text_area(key="suggest_proposed_0").input("12%")
    at.text_input(key="suggest_url_0").input("https://example.org/lka-ev-2025")
    at.button(key="FormSubmitter:suggest_form_0-Send to the secretariat").click().run()
    assert "Thank you" in at.success[0].value
    assert _rows(db) == [("12%", None, "pending")]
    review = open_signed_in("views/suggestions.py", SECRETARIAT)
    shown = "\n".join(m.value for m in review.markdown)
    assert "New figure proposed" in shown and "EV share of new car sales, 2025" in shown.replace("\\", "")
    assert review.button(key="suggestion_apply").disabled  # added with its source under My country's data
    assert any("My country's data" in i.value for i in review.info)


HOSTILE = "Now in law since 2025: see [the act](javascript:alert(1)) <b>here</b>"


def _flag_stage(at, explanation: str = HOSTILE):
    at.selectbox(key="suggest_country").set_value("IND").run()
    at.radio(key="suggest_kind").set_value("stage").run()
    stage = at.selectbox(key="suggest_stage")
    assert stage.value is None  # nothing preset: the reader chooses what is wrong
    assert any("Electric vehicles: " in label for label in stage.options)  # options as shown, in words
    at.text_area(key="suggest_proposed_0").input(explanation)
    at.text_input(key="suggest_url_0").input("https://example.org/ind-ev-act")
    at.button(key="FormSubmitter:suggest_form_0-Send to the secretariat").click().run()
    assert "Choose which stage" in at.error[0].value  # refused until chosen
    pick = next(i for i, label in enumerate(at.selectbox(key="suggest_stage").options)
                if "Electric vehicles" in label)
    at.selectbox(key="suggest_stage").set_value(pick).run()
    at.text_area(key="suggest_proposed_0").input(explanation)
    at.text_input(key="suggest_url_0").input("https://example.org/ind-ev-act")
    at.button(key="FormSubmitter:suggest_form_0-Send to the secretariat").click().run()
    return at


def test_a_reader_flags_a_stage_and_the_secretariat_reads_it_in_words_and_marks_it_handled(db: Path) -> None:
    at = _flag_stage(open_signed_in("views/suggest.py", None))
    assert not at.error, [e.value for e in at.error]
    assert "Thank you" in at.success[0].value
    assert _rows(db) == [(HOSTILE, None, "pending")]
    review = open_signed_in("views/suggestions.py", SECRETARIAT)
    shown = "\n".join(m.value for m in review.markdown)
    assert "Implementation stage flagged" in shown and "**Country:** India" in shown
    assert "The tracker holds now:" in shown and "Electric vehicles: " in as_shown(shown)
    assert "](javascript" not in shown and "<b>" not in shown  # the reader's text shown as text
    assert HOSTILE in as_shown(shown)
    assert not [b for b in review.button if b.key == "suggestion_apply"]  # a stage is corrected, then handled
    review.text_input(key=f"suggestion_note_{review.selectbox(key='suggestion_pick').value}").input(
        "Stage corrected with the 2025 act")
    review.button(key="suggestion_handled").click().run()
    assert "Marked handled" in review.success[0].value
    assert _rows(db) == [(HOSTILE, None, "applied")]


@pytest.mark.parametrize(("kind", "said"), [("standard", "Euro "), ("policy", "(")])
def test_a_reader_can_flag_a_standard_or_a_policy(db: Path, kind: str, said: str) -> None:
    at = open_signed_in("views/suggest.py", None)
    at.selectbox(key="suggest_country").set_value("IND").run()
    at.radio(key="suggest_kind").set_value(kind).run()
    box = at.selectbox(key=f"suggest_{kind}")
    pick = next(i for i, label in enumerate(box.options) if said in label)
    box.set_value(pick).run()
    at.text_area(key="suggest_proposed_0").input("Superseded by a newer rule.")
    at.text_input(key="suggest_url_0").input("https://example.org/rule")
    at.button(key="FormSubmitter:suggest_form_0-Send to the secretariat").click().run()
    assert "Thank you" in at.success[0].value, [e.value for e in at.error]
    review = open_signed_in("views/suggestions.py", SECRETARIAT)
    shown = "\n".join(m.value for m in review.markdown)
    assert ("Emission standard flagged" if kind == "standard" else "Policy flagged") in shown
    assert "Superseded by a newer rule." in as_shown(shown)
