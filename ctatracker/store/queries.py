"""Every read the dashboard and the pipelines make: plain functions (cursor, **filters) -> DataFrame."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd
import pyarrow as pa

Cursor = duckdb.DuckDBPyConnection

PUBLISHED_TABLES = ("sources", "action_areas", "countries", "memberships", "indicators", "observations", "targets",
                    "emission_standards", "commitments", "policies", "activities", "needs")
"""Tables of published data (their changes count as updates; accounts and submissions do not)."""

SOURCE_COLUMNS = (
    "s.title AS source_title, s.publisher AS source_publisher, s.year AS source_year, s.url AS source_url, "
    "s.family AS source_family")


def _frame(cur: Cursor, sql: str, params: Sequence | None = None) -> pd.DataFrame:
    return cur.execute(sql, list(params or [])).fetchdf()


def _large_frame(cur: Cursor, sql: str, params: Sequence | None = None) -> pd.DataFrame:
    """`_frame` for a large read (every observation), through Arrow: three to four times faster.

    Integer columns with a missing value come back as nullable integers, as `_frame` gives them."""
    table = cur.sql(sql, params=list(params or [])).to_arrow_table()
    frame = table.to_pandas()
    for field, column in zip(table.schema, table.columns, strict=True):
        if pa.types.is_integer(field.type) and column.null_count:
            frame[field.name] = pd.array(column.to_pylist(), dtype=f"Int{field.type.bit_width}")
    return frame


def _in(column: str, values: Sequence[str] | None, params: list) -> str:
    """An `AND column IN (...)` clause for a filter, or nothing when the filter is empty."""
    if not values:
        return ""
    params.extend(values)
    return f" AND {column} IN ({', '.join('?' for _ in values)})"


def table_counts(cur: Cursor) -> dict[str, int]:
    """Row count of each fact table (to tell an empty database from a filled one)."""
    tables = ["countries", "indicators", "observations", "targets", "emission_standards", "commitments",
              "policies", "activities", "sources"]
    sql = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {t}" for t in tables)
    return dict(cur.execute(sql).fetchall())


def countries(cur: Cursor) -> pd.DataFrame:
    """Covered countries with their groupings listed."""
    return _frame(cur, """
        SELECT c.iso3, c.name, c.subregion, c.focal_institution, c.note,
               string_agg(m.grouping, ', ' ORDER BY m.grouping) AS groupings,
               bool_or(m.grouping = 'lg_cta' AND m.status = 'member') IS TRUE AS lg_cta_member
        FROM countries c LEFT JOIN memberships m ON m.country_iso3 = c.iso3
        GROUP BY ALL ORDER BY c.name""")


def memberships(cur: Cursor, country: str | None = None) -> pd.DataFrame:
    """Memberships with the source that states each."""
    params: list = []
    where = _in("m.country_iso3", [country] if country else None, params)
    return _frame(cur, f"""
        SELECT m.*, c.name AS country_name, {SOURCE_COLUMNS}
        FROM memberships m JOIN countries c ON c.iso3 = m.country_iso3 JOIN sources s ON s.id = m.source_id
        WHERE TRUE {where} ORDER BY m.grouping, c.name""", params)


def action_areas(cur: Cursor) -> pd.DataFrame:
    """The communique's action areas in display order."""
    return _frame(cur, "SELECT * FROM action_areas ORDER BY display_order")


def indicators(cur: Cursor) -> pd.DataFrame:
    """Indicators with how many observations each has."""
    return _frame(cur, """
        SELECT i.*, a.name AS action_area_name, count(o.value) AS n_observations
        FROM indicators i JOIN action_areas a ON a.code = i.action_area_code
        LEFT JOIN observations o ON o.indicator_code = i.code
        GROUP BY ALL ORDER BY min(a.display_order), i.name""")


def modes_with_data(cur: Cursor, indicator_code: str) -> list[str]:
    """Vehicle modes that have observations for an indicator, most data first."""
    rows = cur.execute("""SELECT mode FROM observations WHERE indicator_code = ?
                          GROUP BY mode ORDER BY count(*) DESC, mode""", [indicator_code]).fetchall()
    return [r[0] for r in rows]


def observations(cur: Cursor, *, indicator_code: str | None = None, mode: str | None = None,
                 countries: Sequence[str] | None = None) -> pd.DataFrame:
    """Observations with country name, unit and full source, filtered."""
    params: list = []
    where = _in("o.indicator_code", [indicator_code] if indicator_code else None, params)
    where += _in("o.mode", [mode] if mode else None, params)
    where += _in("o.country_iso3", countries, params)
    return _large_frame(cur, f"""
        SELECT o.*, c.name AS country_name, i.name AS indicator_name, i.unit, {SOURCE_COLUMNS}
        FROM observations o JOIN countries c ON c.iso3 = o.country_iso3
        JOIN indicators i ON i.code = o.indicator_code JOIN sources s ON s.id = o.source_id
        WHERE TRUE {where} ORDER BY c.name, o.indicator_code, o.mode, o.year""", params)


def targets(cur: Cursor, *, country: str | None = None, indicator_code: str | None = None) -> pd.DataFrame:
    """Targets (regional ones have no country), with source; a country filter keeps regional ones too."""
    params: list = []
    where = ""
    if country:
        where += " AND (t.country_iso3 = ? OR t.country_iso3 IS NULL)"
        params.append(country)
    where += _in("t.indicator_code", [indicator_code] if indicator_code else None, params)
    return _frame(cur, f"""
        SELECT t.*, coalesce(c.name, 'Regional (communique)') AS country_name, i.name AS indicator_name,
               i.unit, i.action_area_code, {SOURCE_COLUMNS}
        FROM targets t JOIN indicators i ON i.code = t.indicator_code JOIN sources s ON s.id = t.source_id
        LEFT JOIN countries c ON c.iso3 = t.country_iso3
        WHERE TRUE {where} ORDER BY t.country_iso3 NULLS FIRST, t.indicator_code, t.target_year""", params)


def emission_standards(cur: Cursor, *, countries: Sequence[str] | None = None) -> pd.DataFrame:
    """Emission-standard steps with country name and source."""
    params: list = []
    where = _in("e.country_iso3", countries, params)
    return _frame(cur, f"""
        SELECT e.*, c.name AS country_name, {SOURCE_COLUMNS}
        FROM emission_standards e JOIN countries c ON c.iso3 = e.country_iso3 JOIN sources s ON s.id = e.source_id
        WHERE TRUE {where} ORDER BY c.name, e.vehicle_class, e.euro_level""", params)


def commitments(cur: Cursor, *, country: str | None = None) -> pd.DataFrame:
    """Implementation stage per country and action area, with source."""
    params: list = []
    where = _in("m.country_iso3", [country] if country else None, params)
    return _frame(cur, f"""
        SELECT m.*, c.name AS country_name, a.name AS action_area_name, a.display_order, {SOURCE_COLUMNS}
        FROM commitments m JOIN countries c ON c.iso3 = m.country_iso3
        JOIN action_areas a ON a.code = m.action_area_code JOIN sources s ON s.id = m.source_id
        WHERE TRUE {where} ORDER BY c.name, a.display_order""", params)


def policies(cur: Cursor, *, country: str | None = None, action_area: str | None = None) -> pd.DataFrame:
    """National policies with source."""
    params: list = []
    where = _in("p.country_iso3", [country] if country else None, params)
    where += _in("p.action_area_code", [action_area] if action_area else None, params)
    return _frame(cur, f"""
        SELECT p.*, c.name AS country_name, a.name AS action_area_name, {SOURCE_COLUMNS}
        FROM policies p JOIN countries c ON c.iso3 = p.country_iso3
        JOIN action_areas a ON a.code = p.action_area_code JOIN sources s ON s.id = p.source_id
        WHERE TRUE {where} ORDER BY c.name, a.display_order, p.year DESC NULLS LAST""", params)


def activities(cur: Cursor, *, countries: Sequence[str] | None = None, action_areas: Sequence[str] | None = None,
               statuses: Sequence[str] | None = None, include_regional: bool = True) -> pd.DataFrame:
    """Cooperation activities; a country filter keeps regional activities when include_regional."""
    params: list = []
    where = ""
    if countries:
        marks = ", ".join("?" for _ in countries)
        regional = " OR x.country_iso3 IS NULL" if include_regional else ""
        where += f" AND (x.country_iso3 IN ({marks}){regional})"
        params.extend(countries)
    where += _in("x.action_area_code", action_areas, params)
    where += _in("x.status", statuses, params)
    return _frame(cur, f"""
        SELECT x.*, coalesce(c.name, 'Regional') AS country_name, coalesce(a.name, 'Cross-cutting')
               AS action_area_name, {SOURCE_COLUMNS}
        FROM activities x LEFT JOIN countries c ON c.iso3 = x.country_iso3
        LEFT JOIN action_areas a ON a.code = x.action_area_code JOIN sources s ON s.id = x.source_id
        WHERE TRUE {where}
        ORDER BY coalesce(x.start_date, make_date(x.start_year, 1, 1)) DESC NULLS LAST, x.title""", params)


def sources(cur: Cursor) -> pd.DataFrame:
    """The bibliography with how many records cite each source."""
    return _frame(cur, """
        WITH cites AS (
            SELECT source_id FROM observations UNION ALL SELECT source_id FROM targets
            UNION ALL SELECT source_id FROM emission_standards UNION ALL SELECT source_id FROM commitments
            UNION ALL SELECT source_id FROM policies UNION ALL SELECT source_id FROM activities
            UNION ALL SELECT source_id FROM memberships)
        SELECT s.*, count(c.source_id) AS cited_by FROM sources s LEFT JOIN cites c ON c.source_id = s.id
        GROUP BY ALL ORDER BY s.publisher, s.year DESC NULLS LAST, s.title""")


def last_update(cur: Cursor, country: str | None = None) -> pd.Timestamp | None:
    """When data (of one country, if given) last changed, from the audit log."""
    params: list = list(PUBLISHED_TABLES)
    where = f" WHERE table_name IN ({', '.join('?' for _ in PUBLISHED_TABLES)})"  # not accounts or submissions
    if country:
        where += " AND json_extract_string(coalesce(new_values, old_values), '$.country_iso3') = ?"
        params.append(country)
    value = cur.execute(f"SELECT max(changed_at) FROM audit_log{where}", params).fetchall()[0][0]
    return pd.Timestamp(value) if value is not None else None


BUILD_WINDOW_MINUTES = 10
"""Imports within this many minutes after the seed build's last entry belong to the build itself."""


def country_update(cur: Cursor, country: str) -> dict:
    """When one country's published data last changed, leaving out the database build (the seed build and the
    dataset imports it runs): `changed` (timestamp or None); and, for the fallback, the newest access date
    (`accessed`) and the newest publication year (`source_year`) of the sources its rows cite."""
    tables = [t for t in PUBLISHED_TABLES if t not in ("sources", "action_areas", "indicators", "countries")]
    marks = ", ".join("?" for _ in tables)
    changed = cur.execute(f"""
        WITH build AS (SELECT max(changed_at) AS at FROM audit_log WHERE reason LIKE 'seed build%')
        SELECT max(a.changed_at) FROM audit_log a, build
        WHERE a.table_name IN ({marks})
          AND json_extract_string(coalesce(a.new_values, a.old_values), '$.country_iso3') = ?
          AND coalesce(a.reason, '') NOT LIKE 'seed build%'
          AND NOT (coalesce(a.reason, '') LIKE 'IEA import%' AND build.at IS NOT NULL
                   AND a.changed_at <= build.at + INTERVAL {BUILD_WINDOW_MINUTES} MINUTE)""",
                          [*tables, country]).fetchall()[0][0]
    cited = " UNION ".join(f"SELECT source_id FROM {t} WHERE country_iso3 = ?" for t in tables)
    accessed, year = cur.execute(f"SELECT max(accessed), max(year) FROM sources WHERE id IN ({cited})",
                                 [country] * len(tables)).fetchall()[0]
    return {"changed": pd.Timestamp(changed) if changed is not None else None,
            "accessed": pd.Timestamp(accessed) if accessed is not None else None,
            "source_year": int(year) if year is not None else None}


def needs(cur: Cursor, *, countries: Sequence[str] | None = None) -> pd.DataFrame:
    """Needs and challenges recorded per country and action area, with the source when one is given; an empty
    frame when the database has no `needs` table (one built before the table existed)."""
    found = cur.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'needs'").fetchall()[0][0]
    if not found:
        return pd.DataFrame(columns=["country_iso3", "action_area_code", "need", "source_id", "country_name",
                                     "action_area_name", "source_title", "source_publisher", "source_year",
                                     "source_url"])
    params: list = []
    where = _in("n.country_iso3", countries, params)
    return _frame(cur, f"""
        SELECT n.*, c.name AS country_name, a.name AS action_area_name, {SOURCE_COLUMNS}
        FROM needs n JOIN countries c ON c.iso3 = n.country_iso3
        JOIN action_areas a ON a.code = n.action_area_code LEFT JOIN sources s ON s.id = n.source_id
        WHERE TRUE {where} ORDER BY c.name, a.display_order""", params)


def scenario_values(cur: Cursor, *, indicator_code: str | None = None, countries: Sequence[str] | None = None,
                    ) -> pd.DataFrame:
    """Published scenario projections (e.g. IEA STEPS), with country name and source; never observations."""
    params: list = []
    where = _in("v.indicator_code", [indicator_code] if indicator_code else None, params)
    where += _in("v.country_iso3", countries, params)
    return _frame(cur, f"""
        SELECT v.*, c.name AS country_name, {SOURCE_COLUMNS}
        FROM scenario_values v JOIN countries c ON c.iso3 = v.country_iso3 JOIN sources s ON s.id = v.source_id
        WHERE TRUE {where} ORDER BY c.name, v.indicator_code, v.mode, v.scenario, v.year""", params)


def events(cur: Cursor) -> pd.DataFrame:
    """Events a briefing pack can be prepared for, by date (year-only events at their year's start), with their
    source; an empty frame when the database has no `events` table (one built before the table existed)."""
    found = cur.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'events'").fetchall()[0][0]
    if not found:
        return pd.DataFrame(columns=["id", "name", "kind", "city", "country", "year", "start_date", "end_date",
                                     "source_id", "source_title", "source_publisher", "source_year", "source_url"])
    return _frame(cur, f"""
        SELECT e.*, {SOURCE_COLUMNS} FROM events e LEFT JOIN sources s ON s.id = e.source_id
        ORDER BY coalesce(e.start_date, make_date(e.year, 1, 1)), e.name""")
