"""Reads for cooperation: activity participants and the technical-assistance catalogue.

Plain functions (cursor, **filters) -> DataFrame, like `ctatracker.store.queries`. A database built before these
tables existed gives empty frames with the right columns, so pages say "no data" instead of failing.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ctatracker.store.queries import SOURCE_COLUMNS, Cursor, _frame, _in

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
