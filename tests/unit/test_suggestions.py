"""Public corrections: a reader's suggestion is filed pending, guarded, and published only when applied."""

from __future__ import annotations

import pytest

from ctatracker.analysis import changes
from ctatracker.model.enums import Role
from ctatracker.model.public_suggestion import PublicSuggestion, SuggestionStatus
from ctatracker.model.schema import Observation
from ctatracker.store import suggestions
from ctatracker.store.database import WriteRejected, current_record, write_rows
from ctatracker.store.migrate import upgrade_schema
from ctatracker.store.permissions import Actor

KEY = ("IND", "ev_sales_share", "all_vehicles", 2024, "business-standard-2025-ind-niti")
REVIEWER = Actor(name="reviewer@alp.example", role=Role.SECRETARIAT)
FOCAL = Actor(name="fp@ind.example", role=Role.FOCAL_POINT, country_iso3="IND")
READER = "reader@example.org"


def _send(con, session: str = "s1", **change) -> str:
    values = dict(key=KEY, figure="EV share of new vehicle sales, India, 2024", proposed="7.9",
                  source_url="https://example.org/ev-2024", email=READER, note="The ministry's figure",
                  session=session) | change
    return suggestions.suggest(con, **values)


def _count(con) -> int:
    return con.execute("SELECT count(*) FROM public_suggestions").fetchall()[0][0]


def test_a_suggestion_is_pending_and_publishes_nothing(con) -> None:
    before = current_record(con, Observation, KEY)
    sid = _send(con)
    found = suggestions.get(con, sid)
    assert found.status is SuggestionStatus.PENDING and found.country_iso3 == "IND" and found.email == READER
    assert found.session != "s1"  # only a hash is kept
    assert current_record(con, Observation, KEY) == before
    assert changes.changes(con).empty
    audit = con.execute("SELECT new_values FROM audit_log WHERE table_name = 'public_suggestions'").fetchall()
    assert READER not in audit[0][0]  # the email is redacted in the audit log


@pytest.mark.parametrize(("change", "said"), [
    ({"honeypot": "http://spam.example"}, "could not be accepted"),
    ({"proposed": "9" * 1001}, "too long"),
    ({"note": "x" * 2001}, "too long"),
    ({"source_url": "javascript:alert(1)"}, "http"),
    ({"email": "not an email"}, "not an email address"),
    ({"proposed": "   "}, "required"),
    ({"key": ("IND", "ev_sales_share", "all_vehicles", 2024, "no-such-source")}, "no longer in the tracker"),
])
def test_refused_with_a_message_and_nothing_written(con, change: dict, said: str) -> None:
    with pytest.raises(WriteRejected, match=said):
        _send(con, **change)
    assert _count(con) == 0
    assert con.execute("SELECT count(*) FROM audit_log WHERE table_name = 'public_suggestions'").fetchall() == [(0,)]


def test_limit_per_session(con) -> None:
    for _ in range(suggestions.PER_SESSION):
        _send(con, session="busy")
    with pytest.raises(WriteRejected, match="already sent"):
        _send(con, session="busy")
    assert _count(con) == suggestions.PER_SESSION
    _send(con, session="another")  # another reader is not held back


def test_limit_for_everyone_per_hour(con, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(suggestions, "PER_HOUR", 3)
    for i in range(3):
        _send(con, session=f"s{i}")
    with pytest.raises(WriteRejected, match="try again later"):
        _send(con, session="s-next")
    assert _count(con) == 3


def test_a_reader_reloading_for_new_sessions_cannot_use_up_the_hour_for_everyone(con) -> None:
    """One visitor filed the hour's 60 suggestions by reloading: the limit was per browser session only."""
    for i in range(suggestions.PER_CLIENT_HOUR):
        _send(con, session=f"reload-{i}", client="198.51.100.7")
    with pytest.raises(WriteRejected, match="came from your connection in the last hour"):
        _send(con, session="reload-again", client="198.51.100.7")
    assert _count(con) == suggestions.PER_CLIENT_HOUR < suggestions.PER_HOUR
    _send(con, session="someone-else", client="203.0.113.9")  # other readers still can
    stored = con.execute("SELECT DISTINCT client FROM public_suggestions").fetchall()
    assert all("198.51" not in row[0] for row in stored)  # a hash, not the address


def test_the_limit_for_everyone_still_holds_across_clients(con, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(suggestions, "PER_HOUR", 4)
    for i in range(4):
        _send(con, session=f"s{i}", client=f"192.0.2.{i}")
    with pytest.raises(WriteRejected, match="try again later"):
        _send(con, session="s9", client="192.0.2.99")


PROXY = "10.0.0.5/32,127.0.0.0/8,::1"


@pytest.mark.parametrize(("peer", "forwarded", "client"), [
    ("198.51.100.7", [], "198.51.100.7"),  # no proxy: the peer
    ("198.51.100.7", ["1.2.3.4"], "198.51.100.7"),  # an untrusted peer's header is never believed
    ("10.0.0.5", ["198.51.100.7"], "198.51.100.7"),  # behind the proxy: the hop it appended
    ("10.0.0.5", ["1.2.3.4, 5.6.7.8, 198.51.100.7"], "198.51.100.7"),  # hops the client wrote are ignored
    ("10.0.0.5", ["1.2.3.4", "198.51.100.7, 127.0.0.1"], "198.51.100.7"),  # right-most untrusted, over headers
    (None, ["198.51.100.7:5123"], "198.51.100.7"),  # localhost peer (Streamlit gives None), a port
    ("10.0.0.5", ["[2001:db8:1:2:aaaa::1]:443"], "2001:db8:1:2::/64"),  # IPv6 by /64: rotating does not help
    ("10.0.0.5", ["not-an-address"], "not-an-address"),
    ("10.0.0.5", [], "10.0.0.5"),  # only trusted hops: the left-most
])
def test_the_client_is_the_right_most_untrusted_hop(peer, forwarded, client) -> None:
    assert suggestions.client_address(peer, forwarded, PROXY) == client


def test_the_reviewer_applies_it_through_the_write_path(con) -> None:
    sid = _send(con)
    assert suggestions.apply(con, sid, REVIEWER, value=7.9, note="checked against the ministry") == 1
    assert current_record(con, Observation, KEY)["value"] == 7.9
    assert suggestions.get(con, sid).status is SuggestionStatus.APPLIED
    reason = con.execute("SELECT reason, actor FROM audit_log WHERE table_name = 'observations' "
                         "ORDER BY changed_at DESC LIMIT 1").fetchall()[0]
    assert reason == (f"public suggestion {sid}", REVIEWER.name)
    shown = changes.changes(con)
    assert list(shown["new value"]) == ["7.9"] and "@" not in shown.astype(str).to_csv()
    with pytest.raises(WriteRejected, match="already applied"):
        suggestions.apply(con, sid, REVIEWER, value=8.0)
    assert suggestions.pending(con).empty


def test_only_the_secretariat_applies_or_dismisses(con) -> None:
    sid = _send(con)
    before = current_record(con, Observation, KEY)
    for actor in (suggestions.PUBLIC, FOCAL):
        with pytest.raises(WriteRejected, match="not allowed"):
            suggestions.apply(con, sid, actor, value=1.0)
        with pytest.raises(WriteRejected, match="not allowed"):
            suggestions.dismiss(con, sid, actor, "no")
    assert current_record(con, Observation, KEY) == before
    assert suggestions.get(con, sid).status is SuggestionStatus.PENDING
    found = suggestions.get(con, sid)
    with pytest.raises(WriteRejected, match="not allowed"):  # a reader cannot file one already applied
        write_rows(con, [found.model_copy(update={"id": "x1", "status": SuggestionStatus.APPLIED})],
                   suggestions.PUBLIC)
    suggestions.dismiss(con, sid, REVIEWER, "The figure is already the official one")
    assert suggestions.get(con, sid).status is SuggestionStatus.DISMISSED


def test_an_older_database_gets_the_table(con) -> None:
    con.execute("DROP TABLE public_suggestions")
    assert "public_suggestions" in upgrade_schema(con)
    assert _count(con) == 0 and PublicSuggestion.__table__ == "public_suggestions"


@pytest.mark.parametrize(("kind", "table", "said"), [
    ("stage", "commitments", "Electric vehicles: "),
    ("standard", "emission_standards", "Euro "),
    ("standard", "policies", "(standard, "),
    ("policy", "policies", ", "),
])
def test_stages_standards_and_policies_are_offered_in_words(con, kind: str, table: str, said: str) -> None:
    held = suggestions.flaggable(con, country="IND", kind=kind)
    mine = [f for f in held if f.table == table]
    assert mine and any(said in f.label for f in mine), [f.label for f in held]
    assert all("_" not in f.label.split("(")[0] for f in mine)  # no code shown: 'in force', not 'in_force'
    if kind == "policy":
        assert all("(standard," not in f.label for f in mine)  # standards are offered as standards


def test_a_flagged_stage_is_pending_and_the_secretariat_marks_it_handled(con) -> None:
    flag = next(f for f in suggestions.flaggable(con, country="IND", kind="stage"))
    before = con.execute("SELECT * FROM commitments ORDER BY ALL").fetchall()
    sid = _send(con, key=flag.key, table=flag.table, figure=f"India: {flag.label}",
                proposed="The stage is now in law: the 2025 act passed.")
    found = suggestions.get(con, sid)
    assert (found.table_name, found.country_iso3, found.status) == ("commitments", "IND", SuggestionStatus.PENDING)
    with pytest.raises(WriteRejected, match="not allowed"):
        suggestions.handle(con, sid, suggestions.PUBLIC)
    with pytest.raises(WriteRejected, match="Apply and publish"):
        suggestions.handle(con, _send(con, session="s2"), REVIEWER)  # a figure is applied, not 'handled'
    suggestions.handle(con, sid, REVIEWER, "Stage corrected under My country's data")
    closed = suggestions.get(con, sid)
    assert closed.status is SuggestionStatus.APPLIED and closed.review_note.startswith("Stage corrected")
    assert con.execute("SELECT * FROM commitments ORDER BY ALL").fetchall() == before  # nothing else changed


@pytest.mark.parametrize("table", ["users", "audit_log", "submissions", "no_such_table"])
def test_only_a_figure_stage_standard_or_policy_can_be_flagged(con, table: str) -> None:
    """Before: any table name was accepted, so a reader's request could name accounts or the audit log."""
    with pytest.raises(WriteRejected, match="can be flagged"):
        _send(con, table=table, key=("fp@ind.example",))
    assert _count(con) == 0
