"""Public corrections: any reader flags a figure and proposes a value with its source; the secretariat applies
it through the write path (the figure changes, with the audit entry "public suggestion <id>") or dismisses it.
A reader may also flag a stage, a standard or a policy as wrong or out of date, with their explanation and a
source; the secretariat corrects the record itself and marks the flag handled.

Guards, all in this module (the page only passes what was typed and where it came from): a honeypot field that
people never see, a limit per browser session, a limit per client address per hour (a new session for every
reload does not get round it), and a limit for everyone per hour that no single client can use up; sizes checked
by the model, the URL checked to be https. Nothing is written when any of them refuses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd
from pydantic import ValidationError

from ctatracker.model.enums import Role
from ctatracker.model.public_suggestion import FLAGGABLE_TABLES, PublicSuggestion, SuggestionStatus
from ctatracker.model.schema import TABLES, Observation
from ctatracker.store import queries
from ctatracker.store.database import (
    Problem,
    WriteRejected,
    current_record,
    current_records,
    key_text,
    transaction,
    write_rows,
)
from ctatracker.store.permissions import Actor
from ctatracker.store.queries import Cursor, _frame
from ctatracker.store.review import Change, apply_changes
from ctatracker.text.naming import held_words
from ctatracker.text.validation import field_messages

PUBLIC = Actor(name="public", role=Role.VIEWER)
PER_SESSION = 5
"""Suggestions one browser session may send."""
PER_CLIENT_HOUR = 10
"""Suggestions one client address (an IPv6 /64 network) may send in an hour, whatever its sessions."""
PER_HOUR = 60
"""Suggestions everyone together may send in an hour (a flood stops here); one client alone reaches at most
PER_CLIENT_HOUR of them."""
SPAM = "This suggestion could not be accepted. Nothing was saved."


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def session_hash(session: str) -> str:
    """What is stored of a session: a hash, so the table never holds a usable session id."""
    return hashlib.sha256(session.encode()).hexdigest()


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address from a header hop ('203.0.113.7', '203.0.113.7:5123', '[2001:db8::1]:443'), or None."""
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:
        text = text[1:text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(peer: str | None, forwarded_for: Sequence[str] = (), trusted: str = "127.0.0.0/8,::1") -> str:
    """Who sent a request, for the per-client limit: walking X-Forwarded-For from the right (each proxy appends the
    address it received from), the first hop that is not a trusted proxy. Hops left of it may have been written by
    the client itself and are never used. A peer that is not a trusted proxy is the client, whatever its headers
    say. A missing peer is the machine itself (Streamlit gives none for localhost). IPv6 clients count by /64."""
    networks = [ipaddress.ip_network(t.strip(), strict=False) for t in trusted.split(",") if t.strip()]
    hops = [h for header in forwarded_for if isinstance(header, str) for h in header.split(",") if h.strip()]
    chain = [*hops, peer if isinstance(peer, str) and peer.strip() else "127.0.0.1"]
    for hop in reversed(chain):
        address = _address(hop)
        if address is None or not any(address.version == n.version and address in n for n in networks):
            break
    if address is None:
        return hop.strip()[:100] or "unknown"
    if address.version == 6:
        mapped = address.ipv4_mapped
        return str(mapped) if mapped else str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _refuse(message: str, column: str | None = None) -> WriteRejected:
    return WriteRejected([Problem("suggestion", column, message)])


@dataclass(frozen=True)
class Flaggable:
    """A record a reader may flag: its table, its key and what it holds in words."""

    table: str
    key: tuple
    label: str


def _plain(value: object) -> object:
    """A key part as stored (numpy and pandas scalars as plain Python values)."""
    return value.item() if hasattr(value, "item") else value


def flaggable(cur: Cursor, *, country: str, kind: str) -> list[Flaggable]:
    """The stages ('stage'), standards ('standard': Euro levels, then policies that are standards) or other
    policies ('policy') the tracker holds for a country, each named in words."""
    found: list[tuple[str, pd.DataFrame]] = []
    if kind == "stage":
        found.append(("commitments", queries.commitments(cur, country=country)))
    elif kind in ("standard", "policy"):
        policies = queries.policies(cur, country=country)
        standard = policies["kind"] == "standard"
        if kind == "standard":
            found.append(("emission_standards", queries.emission_standards(cur, countries=[country])))
        found.append(("policies", policies[standard if kind == "standard" else ~standard]))
    else:
        raise ValueError(f"unknown kind of record to flag: {kind}")
    return [Flaggable(table, tuple(_plain(r[c]) for c in TABLES[table].__primary_key__),
                      held_words(table, r))
            for table, frame in found for r in frame.astype(object).where(frame.notna(), None).to_dict("records")]


def suggest(con: duckdb.DuckDBPyConnection, *, key: tuple, figure: str, proposed: str, source_url: str,
            email: str | None, note: str | None, session: str, honeypot: str = "",
            table: str = "observations", client: str = "unknown") -> str:
    """File a reader's correction of one record as a pending suggestion; returns its id. `client` is where it
    came from (client_address).

    Raises WriteRejected with plain messages (a filled honeypot, too many from this session, this client or
    everyone, a field too long or not valid, a record that does not exist); nothing is written then.
    """
    if honeypot.strip():
        raise _refuse(SPAM)
    if table not in FLAGGABLE_TABLES:
        raise _refuse("only a figure, a stage, a standard or a policy can be flagged; nothing was saved")
    model = TABLES[table]
    with transaction(con):
        record = current_record(con, model, key)
        if record is None:
            raise _refuse("this record is no longer in the tracker; reload the page and choose it again")
        hour_ago = _now() - dt.timedelta(hours=1)
        sent_here, from_client, last_hour = con.execute(
            "SELECT count(*) FILTER (WHERE session = ?), count(*) FILTER (WHERE client = ? AND created_at >= ?), "
            "count(*) FILTER (WHERE created_at >= ?) FROM public_suggestions",
            [session_hash(session), session_hash(client), hour_ago, hour_ago]).fetchall()[0]
        if sent_here >= PER_SESSION:
            raise _refuse(f"you have already sent {PER_SESSION} suggestions from this browser; thank you. The "
                          "secretariat will look at them first")
        if from_client >= PER_CLIENT_HOUR:
            raise _refuse(f"{PER_CLIENT_HOUR} suggestions came from your connection in the last hour; thank you. "
                          "Please send more later")
        if last_hour >= PER_HOUR:
            raise _refuse("many suggestions arrived in the last hour; please try again later")
        try:
            row = PublicSuggestion(
                id=uuid.uuid4().hex, created_at=_now(), table_name=table, row_key=key_text(model, key),
                country_iso3=record.get(model.__country_column__) if model.__country_column__ else None,
                figure=figure, proposed=proposed.strip(), source_url=source_url.strip(),
                note=(note or "").strip() or None, email=(email or "").strip() or None,
                session=session_hash(session), client=session_hash(client), status=SuggestionStatus.PENDING)
        except ValidationError as exc:
            raise WriteRejected([Problem("suggestion", name or None, text)
                                 for name, text in field_messages(exc).items()]) from exc
        write_rows(con, [row], PUBLIC, reason="public suggestion", own_transaction=False)
    return row.id


def pending(cur: Cursor) -> pd.DataFrame:
    """Suggestions waiting for the secretariat, oldest first (with the reader's email: for the reviewer only)."""
    return _frame(cur, """
        SELECT p.*, c.name AS country_name FROM public_suggestions p
        LEFT JOIN countries c ON c.iso3 = p.country_iso3
        WHERE p.status = 'pending' ORDER BY p.created_at, p.id""")


def get(cur: Cursor, suggestion_id: str) -> PublicSuggestion | None:
    """One suggestion, or None."""
    frame = _frame(cur, "SELECT * FROM public_suggestions WHERE id = ?", [suggestion_id])
    if frame.empty:
        return None
    return PublicSuggestion.model_validate(frame.astype(object).where(frame.notna(), None).to_dict("records")[0])


def _pending_one(con: duckdb.DuckDBPyConnection, suggestion_id: str) -> PublicSuggestion:
    found = get(con, suggestion_id)
    if found is None:
        raise _refuse("no such suggestion; nothing was done")
    if found.status is not SuggestionStatus.PENDING:
        raise _refuse(f"this suggestion is already {found.status.value}; nothing was done")
    return found


def _close(con: duckdb.DuckDBPyConnection, found: PublicSuggestion, reviewer: Actor, status: SuggestionStatus,
           note: str | None) -> None:
    closed = found.model_copy(update={"status": status, "reviewer": reviewer.name, "reviewed_at": _now(),
                                      "review_note": (note or "").strip() or None})
    write_rows(con, [closed], reviewer, reason=f"{status.value} public suggestion {found.id}",
               own_transaction=False)


def apply(con: duckdb.DuckDBPyConnection, suggestion_id: str, reviewer: Actor, *, value: float,
          note: str | None = None) -> int:
    """Publish a suggested figure: the flagged observation takes `value` (the reviewer's reading of the
    proposal) and the suggestion is closed as applied, in one transaction through the write path (permission,
    validation, audit with the reason 'public suggestion <id>'). Returns records changed."""
    with transaction(con):
        found = _pending_one(con, suggestion_id)
        model = TABLES[found.table_name]
        if model is not Observation:
            raise _refuse("only figures can be corrected from a suggestion; edit the record itself")
        found_now = current_records(con, model, [tuple(json.loads(found.row_key).values())])
        base = next(iter(found_now.values()), None)  # keyed by typed values (the stored key is text)
        if base is None:
            raise _refuse("the flagged figure has been removed since; dismiss the suggestion")
        try:
            new = model.model_validate(base | {"value": value})
        except ValidationError as exc:
            raise WriteRejected([Problem("value", "value", t) for t in field_messages(exc).values()]) from exc
        count = apply_changes(con, reviewer, [Change.edit(new, base)], reasons=f"public suggestion {found.id}",
                              own_transaction=False)
        _close(con, found, reviewer, SuggestionStatus.APPLIED, note)
    return count


def handle(con: duckdb.DuckDBPyConnection, suggestion_id: str, reviewer: Actor, note: str | None = None) -> None:
    """Mark a flagged stage, standard or policy handled (the secretariat corrected the record itself, through its
    own edit, or found it right); no record changes here. Closed as applied, with the reviewer's note."""
    with transaction(con):
        found = _pending_one(con, suggestion_id)
        if found.table_name == "observations":
            raise _refuse("a flagged figure is corrected with 'Apply and publish', or dismissed")
        _close(con, found, reviewer, SuggestionStatus.APPLIED, note)


def dismiss(con: duckdb.DuckDBPyConnection, suggestion_id: str, reviewer: Actor, note: str) -> None:
    """Close a suggestion without changing any figure; the note says why (for the secretariat's records)."""
    with transaction(con):
        found = _pending_one(con, suggestion_id)
        if not (note or "").strip():
            raise _refuse("say why it is dismissed", "review_note")
        _close(con, found, reviewer, SuggestionStatus.DISMISSED, note)
