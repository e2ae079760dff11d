"""AppTest: the catalogue says what each offer is and how a country asks; a focal point requests an offer for
their own country, the secretariat approves it as the country's need."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctatracker.model.accounts import Need
from ctatracker.store import auth, contributions
from ctatracker.store.database import connect, current_record
from dashboard.safe_text import as_shown
from tests.app.conftest import open_signed_in

CATALOGUE = "views/catalogue.py"
FOCAL = "fp@ind.example"
SECRETARIAT = "sec@alp.example"
FORM = "request_charging-infrastructure-planning"


@pytest.fixture()
def db(seed_copy: Path, point_at) -> Path:
    con = connect(seed_copy)
    auth.add_user(con, FOCAL, "focal_point", country="IND", password="correct horse battery")
    auth.add_user(con, SECRETARIAT, "secretariat", password="correct horse battery")
    con.close()
    point_at(seed_copy)
    return seed_copy


def _text(at) -> str:
    return as_shown("\n".join(m.value for m in (*at.markdown, *at.info, *at.caption)))


def test_a_reader_sees_what_each_offer_is_and_how_to_ask(db: Path) -> None:
    at = open_signed_in(CATALOGUE, None, {"area": []})
    text = _text(at)
    assert "Technical assistance to plan EV charging infrastructure" in text  # a description, in plain words
    assert "How a country asks for this support" in text and "contact the ALP secretariat" in text.replace(
        "Contact", "contact")
    assert not [e for e in at.expander if e.label == "Request this support"]  # the action is for focal points
    assert "Sign in as a focal point" in [p.proto.label for p in at.get("page_link")]


def test_a_focal_point_requests_an_offer_and_the_secretariat_approves_it_as_a_need(db: Path) -> None:
    at = open_signed_in(CATALOGUE, FOCAL, {"area": []})
    assert "As the focal point of India" in _text(at)
    at.text_area(key="request_why_charging-infrastructure-planning").input("Three cities plan public chargers.")
    at.button(key=f"FormSubmitter:{FORM}-Send the request for review").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "Requested: EV charging infrastructure planning" in as_shown(at.success[0].value)
    con = connect(db)
    try:
        batches = contributions.pending_batches(con)
        assert len(batches) == 1 and current_record(con, Need, ("IND", "charging_grid")) is None
    finally:
        con.close()
    queue = open_signed_in("views/review_queue.py", SECRETARIAT)
    assert "Request for technical assistance: EV charging infrastructure planning" in [t.value for t in queue.text]
    queue.button(key="review_approve").click().run()
    con = connect(db)
    try:
        need = current_record(con, Need, ("IND", "charging_grid"))["need"]
    finally:
        con.close()
    assert need.endswith("Three cities plan public chargers.") and "EV charging infrastructure planning" in need


def test_an_empty_request_is_refused_in_words(db: Path) -> None:
    at = open_signed_in(CATALOGUE, FOCAL, {"area": []})
    at.button(key=f"FormSubmitter:{FORM}-Send the request for review").click().run()
    assert at.error and "required" in at.error[0].value.lower()
