"""The open-data package: which tables are published whole, and their Frictionless Data Package descriptor,
generated from the same pydantic row models as the database (types, descriptions, units, keys, licences)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import duckdb
from pydantic.fields import FieldInfo

from ctatracker.model.ddl import column_type
from ctatracker.model.schema import TABLES, Row
from ctatracker.store.queries import PUBLISHED_TABLES

EXPORT_TABLES: tuple[str, ...] = (*PUBLISHED_TABLES, "scenario_values", "activity_participants", "ta_offers")
"""Published tables written whole into the package (referenced tables first). Never accounts, submissions or
the audit log."""

PRIVATE_COLUMNS: dict[str, tuple[str, ...]] = {"needs": ("submitted_by",)}
"""Columns of published tables that name a person (an email): left out of the package."""

PACKAGE_NAME = "clean-transport-asia-tracker"
TITLE = "Clean Transport Asia Tracker: all published data"
OWN_DATA_LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International: the "
                    "tracker's own data (implementation stages, summaries, needs, the compilation)",
                    "path": "https://creativecommons.org/licenses/by/4.0/"}
IEA_LICENCE = {"name": "CC-BY-4.0", "title": "IEA's terms for its data (Creative Commons Attribution 4.0 "
               "International): rows whose source is published by the IEA",
               "path": "https://www.iea.org/terms"}
TRACKER_SOURCE = {"title": "Clean Transport Asia Tracker, Asia LEDS Partnership secretariat (ICLEI South Asia)"}
IEA_PUBLISHER = "IEA"

_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean", dt.date: "date",
          dt.datetime: "datetime"}
_UNITS = {"value": "the unit of the row's indicator (indicators.unit)",
          "target_value": "the unit of the target's indicator (indicators.unit)",
          "baseline_value": "the unit of the target's indicator (indicators.unit)",
          "budget": "the row's currency (ISO 4217 code in currency)", "year": "calendar year",
          "since_year": "calendar year", "start_year": "calendar year", "end_year": "calendar year",
          "target_year": "calendar year", "baseline_year": "calendar year", "effective_year": "calendar year"}


def exported_columns(model: type[Row]) -> list[str]:
    """The columns of a table that the package holds, in the model's order."""
    hidden = PRIVATE_COLUMNS.get(model.__table__, ())
    return [name for name in model.model_fields if name not in hidden]


def field_descriptor(name: str, field: FieldInfo) -> dict[str, Any]:
    """One Table Schema field from a model field: type, description, unit and constraints."""
    _sql, nullable, base = column_type(field)
    out: dict[str, Any] = {"name": name}
    if isinstance(base, type) and issubclass(base, enum.Enum):
        out["type"] = "string"
        constraints: dict[str, Any] = {"enum": [str(m.value) for m in base]}
    else:
        out["type"] = _TYPES[base]
        constraints = {}
    if field.description:
        out["description"] = field.description
    if name in _UNITS:
        out["unit"] = _UNITS[name]
    if not nullable:
        constraints["required"] = True
    for meta in field.metadata:
        for attr, key in (("ge", "minimum"), ("le", "maximum"), ("max_length", "maxLength")):
            bound = getattr(meta, attr, None)
            if bound is not None and (key == "maxLength") == (out["type"] == "string"):
                constraints[key] = bound
    if constraints:
        out["constraints"] = constraints
    if out["type"] == "boolean":
        out |= {"trueValues": ["true"], "falseValues": ["false"]}
    return out


def table_schema(model: type[Row]) -> dict[str, Any]:
    """The Table Schema of one model: fields, primary key and foreign keys to other exported tables."""
    columns = exported_columns(model)
    schema: dict[str, Any] = {
        "fields": [field_descriptor(c, model.model_fields[c]) for c in columns],
        "primaryKey": list(model.__primary_key__), "missingValues": [""]}
    foreign = [{"fields": [column], "reference": {"resource": table, "fields": [ref]}}
               for column, (table, ref) in model.__references__.items()
               if column in columns and table in EXPORT_TABLES]
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def _cited_sources(cur: duckdb.DuckDBPyConnection, model: type[Row]) -> list[dict]:
    """The sources a table's rows cite (title, publisher, link), for the resource's `sources`."""
    if "source_id" not in model.model_fields:
        return []
    rows = cur.execute(f"""SELECT s.title, s.publisher, s.url, count(*) FROM {model.__table__} t
                           JOIN sources s ON s.id = t.source_id GROUP BY ALL ORDER BY s.publisher, s.title""")
    return [{"title": f"{title} ({publisher})", **({"path": url} if url else {})}
            for title, publisher, url, _n in rows.fetchall()]


def table_counts(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows in each table of the package, as stored."""
    sql = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in EXPORT_TABLES)
    return dict(cur.execute(sql).fetchall())


def iea_rows(cur: duckdb.DuckDBPyConnection, table: str) -> int:
    """How many rows of a table cite a source published by the IEA."""
    if table == "sources":
        return cur.execute("SELECT count(*) FROM sources WHERE publisher = ?", [IEA_PUBLISHER]).fetchall()[0][0]
    if "source_id" not in TABLES[table].model_fields:
        return 0
    return cur.execute(f"SELECT count(*) FROM {table} t JOIN sources s ON s.id = t.source_id "
                       "WHERE s.publisher = ?", [IEA_PUBLISHER]).fetchall()[0][0]


def resource(cur: duckdb.DuckDBPyConnection, table: str, rows: int) -> dict[str, Any]:
    """The descriptor of one table's CSV file (the Parquet copy is named in `parquet`)."""
    model = TABLES[table]
    doc = (model.__doc__ or "").strip().splitlines()[0]
    iea = iea_rows(cur, table)
    licences = [OWN_DATA_LICENCE, IEA_LICENCE] if iea else [OWN_DATA_LICENCE]
    out: dict[str, Any] = {
        "name": table.replace("_", "-"), "path": f"csv/{table}.csv", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8", "title": table.replace("_", " ").capitalize(), "description": doc,
        "schema": table_schema(model), "licenses": licences, "stats": {"rows": rows},
        "parquet": f"parquet/{table}.parquet"}
    if iea:
        out["description"] += (f" {iea} of its {rows} rows cite a source published by the IEA: those rows are "
                               "under IEA's terms (CC BY 4.0); cite the IEA as the source.")
    cited = _cited_sources(cur, model)
    if cited:
        out["sources"] = cited
    return out


def descriptor(cur: duckdb.DuckDBPyConnection, counts: dict[str, int], created: dt.datetime) -> dict[str, Any]:
    """The whole datapackage.json for the tables in `counts` (table -> rows written)."""
    resources = [resource(cur, table, counts[table]) for table in EXPORT_TABLES if table in counts]
    names = {t: t.replace("_", "-") for t in counts}
    for res in resources:  # foreign keys name resources, whose names use hyphens
        for fk in res["schema"].get("foreignKeys", []):
            fk["reference"]["resource"] = names[fk["reference"]["resource"]]
    return {
        "name": PACKAGE_NAME, "title": TITLE, "version": created.strftime("%Y.%m.%d"),
        "created": created.replace(microsecond=0).isoformat() + "Z",
        "description": ("Every table of published data of the Clean Transport Asia Tracker, as CSV (csv/) and "
                        "Parquet (parquet/). Each figure names its source (source_id, see the sources table) "
                        "and its year. In the CSV files, a text that a spreadsheet would run as a formula starts "
                        "with an apostrophe; the Parquet files hold the values exactly."),
        "licenses": [OWN_DATA_LICENCE, IEA_LICENCE], "sources": [TRACKER_SOURCE, {
            "title": "IEA Global EV Data Explorer (CC BY 4.0)",
            "path": "https://www.iea.org/data-and-statistics/data-tools/global-ev-data-explorer"}],
        "resources": resources}
