"""Values accepted though impossible: emails with markup or control characters, links without a site or with a
hidden user name, an http link from the public, and magnitudes no country can have (1e15 EV sales, 1e308
vehicles). Each is refused with a plain message and nothing written."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from ctatracker.model.accounts import Email
from ctatracker.model.bounds import RANGES, out_of_range
from ctatracker.model.enums import Unit
from ctatracker.model.schema import Observation, Source
from ctatracker.store import suggestions
from ctatracker.store.database import WriteRejected, check_rows, current_record, write_rows
from ctatracker.store.permissions import SYSTEM

KEY = ("IND", "ev_sales_share", "all_vehicles", 2024, "business-standard-2025-ind-niti")


@pytest.mark.parametrize(("email", "said"), [
    ("<script>@x.com", "is not an email address"),
    ("a\x01b@example.org", "invisible control characters"),
    ("fp\x1b[31m@example.org", "invisible control characters"),
    ("fp\u202e@example.org", "invisible control characters"),
    ('"quoted name"@example.org', "is not an email address"),
    ("fp@localhost", "is not an email address"),
    ("fp@exa_mple.org", "is not an email address"),
])
def test_an_impossible_email_is_refused(email: str, said: str) -> None:
    with pytest.raises(ValidationError, match=said):
        TypeAdapter(Email).validate_python(email)


@pytest.mark.parametrize("email", ["fp@ind.example", "O'Neil@Transport.gov.lk", "first.last+cta@sub.example.org"])
def test_real_emails_are_kept(email: str) -> None:
    assert TypeAdapter(Email).validate_python(email) == email.lower()


@pytest.mark.parametrize(("url", "said"), [
    ("http://", "a link needs a site name"),
    ("https://localhost/x", "a link needs a site name"),
    ("https://www.iea.org@evil.example/report", "must not hold a user name or password"),
    ("https://www.iea.org:99999/", "not a well-formed link"),
    ("https://www.iea.org/\x1b[2J", "control characters"),
])
def test_a_link_without_a_site_or_with_something_hidden_is_refused(url: str, said: str) -> None:
    with pytest.raises(ValidationError, match=said):
        Source(id="test-source", title="A test", publisher="Test", url=url)


def test_an_http_source_is_kept_for_pages_served_only_over_http() -> None:
    assert Source(id="test-source", title="A test", publisher="Test", url="http://www.dieselnet.com/x").url


def test_a_reader_must_give_an_https_link(con) -> None:
    """The public suggestion form took http:// links."""
    with pytest.raises(WriteRejected, match="must start with https://"):
        suggestions.suggest(con, key=KEY, figure="EV share", proposed="7.9", source_url="http://example.org/a",
                            email=None, note=None, session="s1")
    with pytest.raises(WriteRejected, match="not an email address"):
        suggestions.suggest(con, key=KEY, figure="EV share", proposed="7.9", source_url="https://example.org/a",
                            email="<script>@x.com", note=None, session="s1")
    assert con.execute("SELECT count(*) FROM public_suggestions").fetchone()[0] == 0


def _obs(con, indicator: str, value: float) -> Observation:
    base = current_record(con, Observation, KEY)
    return Observation.model_validate(base | {"indicator_code": indicator, "value": value, "year": 2023})


@pytest.mark.parametrize(("indicator", "value", "said"), [
    ("ev_sales", 1e15, "1e+15 is out of range for vehicles: at most 2,000,000,000 (more than every vehicle on Earth)"),
    ("ev_stock", 1e308, "1e+308 is out of range for vehicles"),
    ("public_charging_points", 5e9, "out of range for charging points"),
    ("transport_co2", 1e6, "out of range for mt co2: between -50,000 and 50,000"),
    ("euro_emission_level", 9, "out of range for euro level: at most 7"),
])
def test_a_magnitude_no_country_can_have_is_refused_in_the_write_path(con, indicator: str, value: float,
                                                                      said: str) -> None:
    row = _obs(con, indicator, value)
    problems = [str(p) for p in check_rows(con, [row], SYSTEM, ["test"])]
    assert any(said in p for p in problems), problems
    before = con.execute("SELECT count(*) FROM observations").fetchone()[0]
    with pytest.raises(WriteRejected):
        write_rows(con, [row], SYSTEM)
    assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == before


def test_every_figure_held_is_well_inside_its_range(con) -> None:
    """The seed and the imported IEA and EDGAR editions stay at least ten times below each ceiling."""
    held = con.execute("""
        SELECT i.unit, max(abs(x.v)) FROM (SELECT indicator_code, value AS v FROM observations
                                           UNION ALL SELECT indicator_code, value FROM scenario_values) x
        JOIN indicators i ON i.code = x.indicator_code GROUP BY 1""").fetchall()
    for unit, largest in held:
        ceiling = RANGES[Unit(unit)][1]
        assert out_of_range(unit, largest) is None
        assert unit in (Unit.PERCENT, Unit.EURO_LEVEL) or largest * 10 <= ceiling, (unit, largest)
