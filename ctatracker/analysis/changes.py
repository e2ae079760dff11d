"""What changed: approved changes to published data, for the public (never who made or reviewed them).

An approved change is one applied by a person (the secretariat's approval of a submission, or its own edit);
the seed build and bulk imports are the tracker's starting data, not changes, and are left out.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from ctatracker.model.schema import TABLES
from ctatracker.store.queries import Cursor, _frame, _in
from ctatracker.text.naming import Namer, field_words, value_words

CHANGE_TABLES = ("observations", "targets", "emission_standards", "commitments", "policies", "activities",
                 "needs", "sources", "countries", "memberships", "indicators")
"""Published tables whose approved changes are listed."""

HIDDEN_FIELDS = frozenset({"submitted_by"})
"""Fields never shown in a public change (they name a person)."""

KIND_WORDS = {"observations": "Figure", "targets": "Target", "emission_standards": "Emission standard",
              "commitments": "Implementation stage", "policies": "Policy", "activities": "Activity",
              "needs": "Needs and challenges", "sources": "Source", "countries": "Country",
              "memberships": "Membership", "indicators": "Indicator"}
COLUMNS = ["date", "country_iso3", "country", "kind", "record", "field", "old value", "new value", "source",
           "source_url", "change_id"]


def _entries(cur: Cursor, country: str | None, kinds: list[str] | None, since: dt.date | None,
             limit: int | None) -> pd.DataFrame:
    params: list = list(CHANGE_TABLES)
    where = f"a.table_name IN ({', '.join('?' for _ in CHANGE_TABLES)}) AND a.actor_role <> 'system'"
    if country:
        where += " AND json_extract_string(coalesce(a.new_values, a.old_values), '$.country_iso3') = ?"
        params.append(country)
    where += _in("a.table_name", kinds, params)
    if since:
        where += " AND a.changed_at >= ?"
        params.append(dt.datetime.combine(since, dt.time()))
    tail = ""
    if limit is not None:
        tail = " LIMIT ?"
        params.append(limit)
    return _frame(cur, f"""
        SELECT a.id, a.changed_at, a.table_name, a.old_values, a.new_values,
               json_extract_string(coalesce(a.new_values, a.old_values), '$.country_iso3') AS country_iso3,
               c.name AS country_name, s.title AS source_title, s.publisher AS source_publisher,
               s.year AS source_year, s.url AS source_url
        FROM audit_log a
        LEFT JOIN countries c
               ON c.iso3 = json_extract_string(coalesce(a.new_values, a.old_values), '$.country_iso3')
        LEFT JOIN sources s ON s.id = coalesce(
               json_extract_string(coalesce(a.new_values, a.old_values), '$.source_id'),
               CASE WHEN a.table_name = 'sources' THEN json_extract_string(coalesce(a.new_values, a.old_values),
                                                                           '$.id') END)
        WHERE {where} ORDER BY a.changed_at DESC, a.id{tail}""", params)


def _names(cur: Cursor) -> dict[str, dict[str, str]]:
    def pairs(sql: str) -> dict[str, str]:
        return {str(a): str(b) for a, b in cur.execute(sql).fetchall()}

    return {"indicators": pairs("SELECT code, name FROM indicators"),
            "areas": pairs("SELECT code, name FROM action_areas"),
            "countries": pairs("SELECT iso3, name FROM countries")}


def _words(code: object) -> str:
    return str(code).replace("_", " ")


def record_name(table: str, values: dict, names: dict[str, dict[str, str]]) -> str:
    """A record in plain words: 'EV sales share, cars, 2024' or 'Electric vehicles' (the country is shown apart)."""
    if table in ("observations", "targets"):
        parts = [names["indicators"].get(values.get("indicator_code", ""), _words(values.get("indicator_code"))),
                 _words(values.get("mode", ""))]
        year = values.get("year") or values.get("target_year")
        return ", ".join(p for p in [*parts, str(year) if year else ""] if p and p != "not applicable")
    if table in ("commitments", "needs"):
        return names["areas"].get(values.get("action_area_code", ""), _words(values.get("action_area_code", "")))
    if table == "emission_standards":
        return f"{_words(values.get('vehicle_class'))}, Euro {values.get('euro_level')}"
    for column in ("name", "title", "wording"):
        if values.get(column):
            return str(values[column])
    return ", ".join(_words(values[c]) for c in TABLES[table].__primary_key__ if values.get(c) is not None)


def _text(field: str, value: object, namer: Namer) -> str | None:
    """A value in words (a country, source or indicator by its name, a code in words); None when there is none."""
    return None if value is None else value_words(field, value, namer)


def changes(cur: Cursor, *, country: str | None = None, kinds: list[str] | None = None,
            since: dt.date | None = None, limit: int | None = 1000) -> pd.DataFrame:
    """Approved changes, newest first, one line per changed field: date, country, kind of record, the record,
    field, old and new value (empty: none), and the record's source. `limit` counts changes (records), not
    lines. Never the author's, reviewer's or anyone's email."""
    entries = _entries(cur, country, kinds, since, limit)
    names = _names(cur)
    namer = Namer(cur)
    lines = []
    for e in entries.to_dict("records"):
        old = json.loads(e["old_values"]) if isinstance(e["old_values"], str) else None
        new = json.loads(e["new_values"]) if isinstance(e["new_values"], str) else None
        values = new or old or {}
        source = None
        if isinstance(e["source_title"], str):
            year = f" {int(e['source_year'])}" if pd.notna(e["source_year"]) else ""
            source = f"{e['source_publisher']}{year}: {e['source_title']}"
        base = {"date": pd.Timestamp(e["changed_at"]).date(), "country_iso3": e["country_iso3"],
                "country": e["country_name"] if isinstance(e["country_name"], str) else "Regional",
                "kind": KIND_WORDS.get(e["table_name"], _words(e["table_name"])),
                "record": record_name(e["table_name"], values, names), "source": source,
                "source_url": e["source_url"] if isinstance(e["source_url"], str) else None, "change_id": e["id"]}
        if new is None:
            lines.append(base | {"field": "the whole record", "old value": "present", "new value": "removed"})
            continue
        key = set(TABLES[e["table_name"]].__primary_key__) if old is None else set()  # a new record: named above
        fields = [f for f in dict.fromkeys([*(old or {}), *new]) if f not in HIDDEN_FIELDS | key
                  and (old or {}).get(f) != new.get(f)]
        for field in fields:
            lines.append(base | {"field": field_words(field), "old value": _text(field, (old or {}).get(field), namer),
                                 "new value": _text(field, new.get(field), namer)})
    return pd.DataFrame(lines, columns=COLUMNS)


def recent_changes(cur: Cursor, country: str | None = None, limit: int = 5) -> pd.DataFrame:
    """The last `limit` approved changes (of one country, if given), newest first, one line per changed field:
    for a country profile's 'latest changes'. Columns: date, country, kind, record, field, old value, new value,
    source, source_url."""
    return changes(cur, country=country, limit=limit).drop(columns=["change_id", "country_iso3"])
