"""A country requests an offer of the catalogue: a pending change to its needs, for its own country only."""

from __future__ import annotations

import pytest

from ctatracker.model.accounts import Need
from ctatracker.model.enums import Role
from ctatracker.store import contributions, review
from ctatracker.store.cooperation import request_support, ta_offers
from ctatracker.store.database import WriteRejected, current_record
from ctatracker.store.permissions import Actor

INDIA = Actor(name="fp@ind.example", role=Role.FOCAL_POINT, country_iso3="IND")
THAILAND = Actor(name="fp@tha.example", role=Role.FOCAL_POINT, country_iso3="THA")
REVIEWER = Actor(name="sec@alp.example", role=Role.SECRETARIAT)
OFFER = "charging-infrastructure-planning"


def _submitted(con) -> int:
    return con.execute("SELECT count(*) FROM submissions").fetchall()[0][0]


def test_every_offer_says_what_it_is(con) -> None:
    offers = ta_offers(con)
    assert not offers.empty and offers["description"].str.len().gt(20).all()


def test_a_request_becomes_the_countrys_need_once_the_secretariat_approves(con) -> None:
    batch = request_support(con, INDIA, offer_id=OFFER, country="IND", why="Our cities plan fast chargers.")
    assert current_record(con, Need, ("IND", "charging_grid")) is None  # nothing published before review
    sub = contributions.batch(con, batch)[0]
    assert (sub.table_name, sub.country_iso3, sub.author, sub.status.value) == ("needs", "IND", INDIA.name, "pending")
    assert "EV charging infrastructure planning" in sub.note
    review.approve(con, batch, REVIEWER)
    need = current_record(con, Need, ("IND", "charging_grid"))
    assert need["need"].startswith("Requests technical assistance from the catalogue: EV charging infrastructure "
                                   "planning.") and need["need"].endswith("Our cities plan fast chargers.")
    again = request_support(con, INDIA, offer_id="battery-recycling", country="IND", why="And battery recycling.")
    review.approve(con, again, REVIEWER)
    both = current_record(con, Need, ("IND", "charging_grid"))["need"]
    assert "fast chargers." in both and both.endswith("And battery recycling.")  # added to what it said


def test_a_focal_point_cannot_request_support_for_another_country(con) -> None:
    """The page offers a focal point only their own country; the write itself refuses any other."""
    with pytest.raises(WriteRejected, match="cannot file submissions for IND"):
        request_support(con, THAILAND, offer_id=OFFER, country="IND", why="Asking for India.")
    assert _submitted(con) == 0


@pytest.mark.parametrize("actor", [Actor(name="public", role=Role.VIEWER)])
def test_a_reader_who_is_not_signed_in_cannot_request(con, actor: Actor) -> None:
    with pytest.raises(WriteRejected, match="not allowed"):
        request_support(con, actor, offer_id=OFFER, country="IND", why="Please.")
    assert _submitted(con) == 0


@pytest.mark.parametrize(("change", "said"), [({"why": "   "}, "required"), ({"why": "x" * 1001}, "too long"),
                                              ({"offer_id": "no-such-offer"}, "no longer in the catalogue"),
                                              ({"country": "XXX"}, "country")])
def test_a_bad_request_is_refused_in_words_and_nothing_is_sent(con, change: dict, said: str) -> None:
    values = {"offer_id": OFFER, "country": "IND", "why": "Chargers."} | change
    with pytest.raises(WriteRejected, match=said):
        request_support(con, INDIA, **values)
    assert _submitted(con) == 0
