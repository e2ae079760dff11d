"""Reads for contributing data: submissions, the audit history, accounts and needs. (cursor, **filters) -> frame."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ctatracker.model.schema import Submission
from ctatracker.store.queries import PUBLISHED_TABLES, Cursor, _frame, _in

FACT_TABLE_NAMES = PUBLISHED_TABLES
"""Tables whose changes make up a country's published history."""


def submissions(cur: Cursor, *, author: str | None = None, country: str | None = None,
                statuses: Sequence[str] | None = None, batch_id: str | None = None) -> pd.DataFrame:
    """Submissions, newest first, with the author's name."""
    params: list = []
    where = _in("s.author", [author] if author else None, params)
    where += _in("s.country_iso3", [country] if country else None, params)
    where += _in("s.status", statuses, params)
    where += _in("s.batch_id", [batch_id] if batch_id else None, params)
    return _frame(cur, f"""
        SELECT s.*, coalesce(u.name, s.author) AS author_name, c.name AS country_name
        FROM submissions s LEFT JOIN users u ON u.email = s.author LEFT JOIN countries c ON c.iso3 = s.country_iso3
        WHERE TRUE {where} ORDER BY s.created_at DESC, s.batch_id, s.position""", params)


def batch(cur: Cursor, batch_id: str) -> list[Submission]:
    """The submissions of one batch, in order, as models."""
    frame = _frame(cur, "SELECT * FROM submissions WHERE batch_id = ? ORDER BY position", [batch_id])
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [Submission.model_validate(r) for r in records]


def pending_batches(cur: Cursor) -> pd.DataFrame:
    """The review queue: one line per pending batch, oldest first."""
    return _frame(cur, """
        SELECT s.batch_id, min(s.created_at) AS submitted_at, any_value(s.author) AS author,
               any_value(coalesce(u.name, s.author)) AS author_name, any_value(s.country_iso3) AS country_iso3,
               any_value(c.name) AS country_name, count(*) AS changes,
               string_agg(DISTINCT s.table_name, ', ') AS tables, any_value(s.note) AS note
        FROM submissions s LEFT JOIN users u ON u.email = s.author LEFT JOIN countries c ON c.iso3 = s.country_iso3
        WHERE s.status = 'pending' GROUP BY s.batch_id ORDER BY submitted_at""")


def pending_keys(cur: Cursor, author: str) -> set[tuple[str, str]]:
    """(table, row key) of records with a pending change by this author: marked for them as pending."""
    rows = cur.execute("SELECT table_name, row_key FROM submissions WHERE author = ? AND status = 'pending'",
                       [author]).fetchall()
    return {(t, k) for t, k in rows}


def pending_count(cur: Cursor, author: str) -> int:
    """How many of this author's submissions are pending: the one number the sidebar and their list show."""
    return int(cur.execute("SELECT count(*) FROM submissions WHERE author = ? AND status = 'pending'",
                           [author]).fetchall()[0][0])


def history_count(cur: Cursor, *, country: str | None = None, table: str | None = None,
                  row_key: str | None = None) -> int:
    """How many applied changes `history` would list with these filters, without a limit."""
    where, params = _history_where(country, table, row_key)
    return int(cur.execute(f"SELECT count(*) FROM audit_log a WHERE {where}", params).fetchall()[0][0])


def _history_where(country: str | None, table: str | None, row_key: str | None) -> tuple[str, list]:
    params: list = list(FACT_TABLE_NAMES)
    where = f"a.table_name IN ({', '.join('?' for _ in FACT_TABLE_NAMES)})"
    if country:
        where += " AND json_extract_string(coalesce(a.new_values, a.old_values), '$.country_iso3') = ?"
        params.append(country)
    where += _in("a.table_name", [table] if table else None, params)
    where += _in("a.row_key", [row_key] if row_key else None, params)
    return where, params


def history(cur: Cursor, *, country: str | None = None, table: str | None = None, row_key: str | None = None,
            limit: int = 500, offset: int = 0) -> pd.DataFrame:
    """Applied changes to published data (newest first), with the submission that caused each, if any.

    One page of `limit` rows from `offset`; `history_count` gives the total.
    """
    where, params = _history_where(country, table, row_key)
    params += [limit, offset]
    return _frame(cur, f"""
        SELECT a.*, s.author AS submitted_by, s.batch_id,
               CASE WHEN a.reason LIKE 'submission %' THEN split_part(a.reason, ' ', 2) END AS submission_id
        FROM audit_log a
        LEFT JOIN submissions s ON a.reason LIKE 'submission %' AND s.id = split_part(a.reason, ' ', 2)
        WHERE {where} ORDER BY a.changed_at DESC, a.id LIMIT ? OFFSET ?""", params)


def audit_entry(cur: Cursor, entry_id: str) -> dict | None:
    """One audit entry, or None."""
    frame = _frame(cur, "SELECT * FROM audit_log WHERE id = ?", [entry_id])
    if frame.empty:
        return None
    return frame.astype(object).where(frame.notna(), None).to_dict("records")[0]


def users(cur: Cursor) -> pd.DataFrame:
    """Accounts, without their password hashes."""
    return _frame(cur, """
        SELECT email, name, role, country_iso3, active, password_hash IS NOT NULL AS has_password,
               failed_logins, locked_until, created_at
        FROM users ORDER BY role, country_iso3 NULLS FIRST, email""")


def account_count(cur: Cursor) -> int:
    """How many active accounts exist (0 when the table does not exist yet)."""
    exists = cur.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'users'").fetchall()[0][0]
    if not exists:
        return 0
    return cur.execute("SELECT count(*) FROM users WHERE active").fetchall()[0][0]


def needs(cur: Cursor, *, country: str | None = None) -> pd.DataFrame:
    """Needs and challenges per country and action area, with the source when one is given."""
    params: list = []
    where = _in("n.country_iso3", [country] if country else None, params)
    return _frame(cur, f"""
        SELECT n.*, c.name AS country_name, a.name AS action_area_name, s.title AS source_title,
               s.publisher AS source_publisher, s.year AS source_year, s.url AS source_url
        FROM needs n JOIN countries c ON c.iso3 = n.country_iso3 JOIN action_areas a ON a.code = n.action_area_code
        LEFT JOIN sources s ON s.id = n.source_id
        WHERE TRUE {where} ORDER BY c.name, a.display_order""", params)


def country_records(cur: Cursor, table: str, country: str) -> pd.DataFrame:
    """Every stored row of one country in one table (for the bulk template), in key order."""
    from ctatracker.model.schema import TABLES

    model = TABLES[table]
    if model.__country_column__ is None:
        raise ValueError(f"{table} has no country column")
    order = ", ".join(model.__primary_key__)
    return _frame(cur, f"SELECT * FROM {table} WHERE {model.__country_column__} = ? ORDER BY {order}", [country])
