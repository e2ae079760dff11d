"""The schema in the database: create it from the row models, and bring an older database up to them."""

from __future__ import annotations

from enum import Enum

import duckdb

from ctatracker.model.ddl import column_type, create_table_sql, schema_sql
from ctatracker.model.licences import fill_terms
from ctatracker.model.schema import TABLES


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table generated from the row models (idempotent)."""
    for statement in schema_sql():
        con.execute(statement)


def create_missing_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Add the tables an older database lacks (e.g. accounts and submissions); existing tables are untouched."""
    existing = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    added = [m for m in TABLES.values() if m.__table__ not in existing]
    for model in added:
        for statement in create_table_sql(model):
            con.execute(statement)
    return [m.__table__ for m in added]


def missing_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(table, column) pairs the models define and an older database's existing tables lack."""
    have = {(t, c) for t, c in con.execute("SELECT table_name, column_name FROM duckdb_columns()").fetchall()}
    tables = {t for t, _ in have}
    return [(m.__table__, name) for m in TABLES.values() if m.__table__ in tables
            for name in m.model_fields if (m.__table__, name) not in have]


def upgrade_schema(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Bring an older database up to the models: add missing tables, and missing columns with their default
    (e.g. an observation's period, 'annual'); existing rows and columns are untouched. Returns what was added."""
    added = create_missing_tables(con)
    for table, name in missing_columns(con):
        field = TABLES[table].model_fields[name]
        sql_type = column_type(field)[0]
        default = field.default.value if isinstance(field.default, Enum) else field.default
        clause = "" if default is None else f" DEFAULT {_sql_literal(default)}"
        con.execute(f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}{clause}")
        added.append(f"{table}.{name}")
    if "sources.licence_id" in added:
        fill_licence_terms(con)
    return added


LICENCE_TERMS = ("licence", "licence_id", "licence_title", "licence_url", "licence_redistribution",
                 "licence_derivatives", "licence_commercial")


def fill_licence_terms(con: duckdb.DuckDBPyConnection) -> int:
    """Give the sources of an older database the terms of the licence their `licence` column names (e.g.
    'CC BY 4.0'), where the tracker knows that licence; returns how many sources were filled."""
    rows = con.execute("SELECT id, licence FROM sources WHERE licence IS NOT NULL AND licence_id IS NULL").fetchall()
    filled = 0
    for source_id, licence in rows:
        terms = fill_terms({"licence": licence})
        if terms.get("licence_id"):
            con.execute(f"UPDATE sources SET {', '.join(f'{c} = ?' for c in LICENCE_TERMS)} WHERE id = ?",
                        [terms[c] for c in LICENCE_TERMS] + [source_id])
            filled += 1
    return filled


def _sql_literal(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"
