"""The open-data package: which tables are published whole, and their Frictionless Data Package descriptor,
generated from the same pydantic row models as the database (types, descriptions, units, keys, licences).

Each table is two resources: its CSV file (a table Frictionless checks cell by cell) and its Parquet file (the same
schema; declared as a file: Frictionless then checks its size and hash, which it cannot do for Parquet read as a
table, and it would read Parquet through pandas, where an integer column with empty cells turns into decimals).
Every resource states its size in bytes and its SHA-256 hash; no two licences share a name; each cited source says
when it was read, or `accessed: null` when that is not recorded."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from pathlib import Path
from typing import Any

import duckdb
from pydantic.fields import FieldInfo

from ctatracker.io.exports import day_words
from ctatracker.model import licences
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
PACKAGE_LICENCE = licences.KNOWN["CC-BY-4.0"]
"""The package's own licence: every row in it may be passed on under these terms."""
OWN_DATA = "the tracker's own data (implementation stages, summaries, needs, the compilation)"
OWN_DATA_LICENCE = {"name": PACKAGE_LICENCE.id, "title": f"{PACKAGE_LICENCE.title}: {OWN_DATA}",
                    "path": PACKAGE_LICENCE.url}
"""The licence of a table whose rows cite no licensed source."""
DESCRIPTION = ("Every table of published data of the Clean Transport Asia Tracker, as CSV (csv/) and Parquet "
               "(parquet/). Each figure names its source (source_id, see the sources table) and its year. In the CSV "
               "files, a text that a spreadsheet would run as a formula starts with an apostrophe; the Parquet files "
               "hold the values exactly.")
TRACKER_SOURCE = {"title": "Clean Transport Asia Tracker, Asia LEDS Partnership secretariat (ICLEI South Asia)"}
AUTHOR = "Asia LEDS Partnership secretariat (ICLEI South Asia)"
OFFERED = ("(s.licence IS NULL AND s.licence_id IS NULL) OR (coalesce(s.licence_redistribution, false)"
           + (" AND coalesce(s.licence_derivatives, false)" if PACKAGE_LICENCE.derivatives else "")
           + (" AND coalesce(s.licence_commercial, false)" if PACKAGE_LICENCE.commercial else "") + ")")
"""SQL on a source `s`: its rows may be offered under the package's licence (it names no licence, or one that
lets others share copies and, as the package's licence does, changed versions and commercial use)."""

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


def offered_where(table: str) -> str:
    """The WHERE clause keeping the rows of a table that may be offered under the package's licence ('' when the
    table cites no source: every row is the tracker's own)."""
    if "source_id" not in TABLES[table].model_fields:
        return ""
    return f"WHERE source_id IS NULL OR source_id IN (SELECT id FROM sources s WHERE {OFFERED})"


def _cited_sources(cur: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    """The sources the offered rows of a table cite: (title, publisher, url, licence_id, licence title, licence
    url, licence, rows, accessed)."""
    if "source_id" not in TABLES[table].model_fields:
        return []
    return cur.execute(f"""SELECT s.title, s.publisher, s.url, s.licence_id, s.licence_title, s.licence_url,
                                  s.licence, count(*), s.accessed
                           FROM (SELECT source_id FROM {table} {offered_where(table)}) t
                           JOIN sources s ON s.id = t.source_id GROUP BY ALL ORDER BY s.publisher, s.title"""
                       ).fetchall()


def table_counts(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows in each table of the package: the stored rows, less those withheld for their source's licence."""
    sql = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t} {offered_where(t)}" for t in EXPORT_TABLES)
    return dict(cur.execute(sql).fetchall())


def withheld(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Rows left out of the package because their source's licence does not let them be passed on under the
    package's: per table and source, how many, why, and where to get them."""
    out = []
    for table in EXPORT_TABLES:
        if "source_id" not in TABLES[table].model_fields:
            continue
        rows = cur.execute(f"""
            SELECT s.title, s.publisher, coalesce(s.licence, s.licence_id), s.url, s.licence_redistribution,
                   s.licence_derivatives, s.licence_commercial, count(*)
            FROM {table} t JOIN sources s ON s.id = t.source_id WHERE NOT ({OFFERED})
            GROUP BY ALL ORDER BY s.publisher, s.title""").fetchall()
        for title, publisher, licence, url, share, derive, commercial, n in rows:
            out.append({"resource": table.replace("_", "-"), "rows": n, "source": f"{title} ({publisher})",
                        "licence": licence, "reason": _why(share, derive, commercial), "where": url})
    return out


def _why(share: bool | None, derive: bool | None, commercial: bool | None) -> str:
    """Why a licence does not let its rows be offered under the package's, in plain words."""
    if not share:
        return "its licence does not let others share copies"
    missing = [w for ok, w in ((derive, "changed or combined versions"), (commercial, "commercial use")) if not ok]
    return (f"its licence allows no {' and no '.join(missing)}, which the package's "
            f"{PACKAGE_LICENCE.short} allows")


_Part = tuple[str, str, str, str]
"""(name, licence title, address, whose rows it covers): one licence as one table's rows cite it."""


def _licence_parts(cited: list[tuple]) -> list[_Part]:
    """The licences of a resource, unmerged: the tracker's own, and each licence its cited sources name."""
    parts: list[_Part] = [(PACKAGE_LICENCE.id, PACKAGE_LICENCE.title, PACKAGE_LICENCE.url, OWN_DATA)]
    for _title, publisher, _url, lic_id, lic_title, lic_url, lic, *_rest in cited:
        if lic_id or lic:
            parts.append((lic_id or lic, lic_title or lic or lic_id, lic_url or "",
                          f"rows whose source is published by {publisher}"))
    return parts


def merged_licences(parts: list[_Part]) -> list[dict[str, str]]:
    """One entry per licence name (two licences never share a name): its title says whose rows it covers."""
    found: dict[str, tuple[str, str, list[str]]] = {}
    for name, title, url, who in parts:
        _t, path, whose = found.setdefault(name, (title, url, []))
        found[name] = (_t, path or url, whose if who in whose else [*whose, who])
    return [{"name": name, "title": f"{title}: {' and '.join(whose)}", **({"path": url} if url else {})}
            for name, (title, url, whose) in found.items()]


def _source(title: str, publisher: str, url: str | None, accessed: dt.date | None, **extra: str) -> dict[str, Any]:
    """A cited source: its title and publisher, its link, and when it was read (null: not recorded)."""
    return {"title": f"{title} ({publisher}{''.join(f', {v}' for v in extra.values())})",
            **({"path": url} if url else {}), "accessed": accessed.isoformat() if accessed else None}


def file_facts(path: Path) -> dict[str, Any]:
    """A file's size in bytes and its SHA-256 hash, as a Data Package resource states them."""
    data = path.read_bytes()
    return {"bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}"}


def resource(cur: duckdb.DuckDBPyConnection, table: str, rows: int,
             left_out: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The descriptor of one table's CSV file."""
    model = TABLES[table]
    doc = (model.__doc__ or "").strip().splitlines()[0]
    cited = _cited_sources(cur, table)
    out: dict[str, Any] = {
        "name": table.replace("_", "-"), "path": f"csv/{table}.csv", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8", "title": table.replace("_", " ").capitalize(), "description": doc,
        "schema": table_schema(model), "licenses": merged_licences(_licence_parts(cited)), "stats": {"rows": rows}}
    licensed = [(c[1], c[6] or c[3], c[7]) for c in cited if c[3] or c[6]]
    for publisher, lic in sorted({(p, lic) for p, lic, _ in licensed}):
        n = sum(k for p, li, k in licensed if (p, li) == (publisher, lic))
        out["description"] += (f" {n} of its {rows} rows cite a source published by {publisher}: those rows are "
                               f"under its terms ({lic}); cite {publisher} as the source.")
    for item in [w for w in left_out or [] if w["resource"] == out["name"]]:
        out["description"] += (f" {item['rows']} row(s) citing {item['source']} are left out: {item['reason']} "
                               f"({item['licence']}); get them from {item['where'] or 'the publisher'}.")
    if cited:
        out["sources"] = [_source(c[0], c[1], c[2], c[8]) for c in cited]
    return out


def parquet_resource(csv: dict[str, Any]) -> dict[str, Any]:
    """The descriptor of a table's Parquet file: the CSV resource's schema (types, keys), licences and sources."""
    table = csv["path"].removeprefix("csv/").removesuffix(".csv")
    fields = [{k: v for k, v in f.items() if k not in ("trueValues", "falseValues")} for f in csv["schema"]["fields"]]
    schema = {"fields": fields, "primaryKey": csv["schema"]["primaryKey"]}
    if csv["schema"].get("foreignKeys"):
        schema["foreignKeys"] = [{"fields": fk["fields"], "reference": {
            "resource": f"{fk['reference']['resource']}-parquet", "fields": fk["reference"]["fields"]}}
            for fk in csv["schema"]["foreignKeys"]]
    return {"name": f"{csv['name']}-parquet", "type": "file", "path": f"parquet/{table}.parquet", "format": "parquet",
            "mediatype": "application/vnd.apache.parquet", "title": f"{csv['title']} (Parquet)",
            "description": f"The {csv['stats']['rows']} rows of {csv['path']} with their exact values (no "
                           "apostrophe before text that a spreadsheet would run as a formula), as Parquet. "
                           + csv["description"],
            "schema": schema, "licenses": csv["licenses"],
            **({"sources": csv["sources"]} if "sources" in csv else {})}


def descriptor(cur: duckdb.DuckDBPyConnection, counts: dict[str, int], created: dt.datetime,
               root: Path | None = None, as_of: dt.date | None = None) -> dict[str, Any]:
    """The whole datapackage.json for the tables in `counts` (table -> rows written): each table's CSV and Parquet
    resources, with the size and hash of each file under `root` when given; `as_of`: the date of the data."""
    left_out = withheld(cur)
    resources = [resource(cur, table, counts[table], left_out) for table in EXPORT_TABLES if table in counts]
    names = {t: t.replace("_", "-") for t in counts}
    for res in resources:  # foreign keys name resources, whose names use hyphens
        for fk in res["schema"].get("foreignKeys", []):
            fk["reference"]["resource"] = names[fk["reference"]["resource"]]
    resources += [parquet_resource(res) for res in list(resources)]
    for res in resources if root is not None else []:
        res |= file_facts(root / res["path"])
    parts = [part for table in EXPORT_TABLES if table in counts for part in _licence_parts(_cited_sources(cur, table))]
    day = as_of or created.date()
    return {
        "name": PACKAGE_NAME, "title": TITLE, "version": day.strftime("%Y.%m.%d"),
        "created": created.replace(microsecond=0).isoformat() + "Z",
        "description": f"{DESCRIPTION} Data as of {day_words(day)}. {left_out_text(left_out)}",
        "licenses": merged_licences(parts), "sources": [TRACKER_SOURCE, *_licensed_sources(cur)],
        "withheld": left_out, "resources": resources}


def _licensed_sources(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The sources naming a licence that the package's rows cite (title, publisher, licence, link, date read)."""
    cites = " UNION ".join(f"SELECT source_id FROM {t}" for t in EXPORT_TABLES
                           if "source_id" in TABLES[t].model_fields)
    rows = cur.execute(f"""SELECT s.title, s.publisher, coalesce(s.licence, s.licence_id), s.url, s.accessed
                           FROM sources s WHERE coalesce(s.licence, s.licence_id) IS NOT NULL AND ({OFFERED})
                             AND s.id IN ({cites}) ORDER BY s.publisher, s.title""").fetchall()
    return [_source(title, publisher, url, accessed, licence=lic) for title, publisher, lic, url, accessed in rows]


def left_out_text(left_out: list[dict[str, Any]]) -> str:
    """What the package leaves out for licence reasons, in words (for its description and README)."""
    if not left_out:
        return f"Every published row is in the package, under {PACKAGE_LICENCE.short} or its source's terms."
    total = sum(w["rows"] for w in left_out)
    parts = [f"{w['rows']} row(s) of {w['resource']} citing {w['source']} ({w['licence']}: {w['reason']}; get "
             f"them from {w['where'] or 'the publisher'})" for w in left_out]
    return (f"{total} published row(s) are left out because their source's licence does not let them be passed "
            f"on under {PACKAGE_LICENCE.short}: " + "; ".join(parts) + ". The tracker shows them with their credit "
            "line; the list is under 'withheld'.")
