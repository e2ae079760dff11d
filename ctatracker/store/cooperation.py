"""Cooperation: reads of activity participants and the technical-assistance catalogue, and a country's request
for an offer of the catalogue.

Reads are plain functions (cursor, **filters) -> DataFrame, like `ctatracker.store.queries`. A database built
before these tables existed gives empty frames with the right columns, so pages say "no data" instead of failing.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd
from pydantic import ValidationError

from ctatracker.model.accounts import Need, SupportRequest
from ctatracker.store.database import Problem, WriteRejected, current_record
from ctatracker.store.permissions import Actor
from ctatracker.store.queries import SOURCE_COLUMNS, Cursor, _frame, _in
from ctatracker.store.review import Change, propose
from ctatracker.text.validation import field_messages

PARTICIPANT_COLUMNS = ["activity_id", "organisation", "role"]
OFFER_COLUMNS = ["id", "action_area_code", "title", "description", "source_id", "action_area_name",
                 "display_order", "source_title", "source_publisher", "source_year", "source_url"]


def _has_table(cur: Cursor, table: str) -> bool:
    return bool(cur.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [table]).fetchall()[0][0])


def activity_participants(cur: Cursor, *, activity_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Organisations taking part in activities, with their role (funding first, then implementing...)."""
    if not _has_table(cur, "activity_participants"):
        return pd.DataFrame(columns=PARTICIPANT_COLUMNS)
    params: list = []
    where = _in("p.activity_id", activity_ids, params)
    return _frame(cur, f"""
        SELECT p.activity_id, p.organisation, p.role FROM activity_participants p
        WHERE TRUE {where}
        ORDER BY p.activity_id, CASE p.role WHEN 'funding' THEN 1 WHEN 'accountable' THEN 2
                 WHEN 'extending' THEN 3 WHEN 'implementing' THEN 4 ELSE 5 END, p.organisation""", params)


def ta_offers(cur: Cursor, *, action_areas: Sequence[str] | None = None) -> pd.DataFrame:
    """The technical-assistance catalogue by action area (display order), with the source of each offer."""
    if not _has_table(cur, "ta_offers"):
        return pd.DataFrame(columns=OFFER_COLUMNS)
    params: list = []
    where = _in("o.action_area_code", action_areas, params)
    return _frame(cur, f"""
        SELECT o.*, a.name AS action_area_name, a.display_order, {SOURCE_COLUMNS}
        FROM ta_offers o JOIN action_areas a ON a.code = o.action_area_code JOIN sources s ON s.id = o.source_id
        WHERE TRUE {where} ORDER BY a.display_order, o.title""", params)


REQUESTED = "Requests technical assistance from the catalogue: {title}."
"""How a request opens in the country's needs (the country's own words follow)."""


def request_support(con: duckdb.DuckDBPyConnection, actor: Actor, *, offer_id: str, country: str, why: str) -> str:
    """File a country's request for one offer of the catalogue as a proposed change to its needs in the offer's
    action area (added after what they already say), pending the secretariat's review like any submission; on
    approval it is the country's need. Returns the batch id.

    Raises WriteRejected in plain words (no such offer, an empty or too long request, or one the actor may not
    file: a focal point asks only for their own country, refused where the submission is written).
    """
    try:
        asked = SupportRequest(offer_id=offer_id, country_iso3=country, why=why)
    except ValidationError as exc:
        raise WriteRejected([Problem("request", name or None, text)
                             for name, text in field_messages(exc).items()]) from exc
    offer = con.execute("SELECT title, action_area_code FROM ta_offers WHERE id = ?", [asked.offer_id]).fetchall()
    if not offer:
        raise WriteRejected([Problem("request", "offer_id", "this offer is no longer in the catalogue; nothing was "
                                     "sent")])
    title, area = offer[0]
    base = current_record(con, Need, (asked.country_iso3, area))
    text = f"{REQUESTED.format(title=title)} {asked.why}"
    try:
        need = Need(country_iso3=asked.country_iso3, action_area_code=area, submitted_by=actor.name,
                    need=f"{base['need']}\n\n{text}" if base else text, source_id=(base or {}).get("source_id"))
    except ValidationError as exc:
        raise WriteRejected([Problem("request", "why", "the country's needs in this area would grow too long "
                                     "with this request; shorten it, or ask the secretariat")]) from exc
    return propose(con, actor, [Change.edit(need, base)], note=f"Request for technical assistance: {title}")
