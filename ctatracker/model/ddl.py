"""Generate DuckDB DDL (types, NOT NULL, primary keys, CHECK constraints, comments) from the row models."""

from __future__ import annotations

import datetime as dt
import types
import typing
from enum import Enum

from pydantic.fields import FieldInfo

from ctatracker.model.schema import TABLES, Row

_SQL_TYPES: dict[type, str] = {
    str: "VARCHAR",
    int: "INTEGER",
    float: "DOUBLE",
    bool: "BOOLEAN",
    dt.date: "DATE",
    dt.datetime: "TIMESTAMP",
}


def _unwrap(annotation: object) -> tuple[type, bool]:
    """Return (base python type, nullable) for a field annotation."""
    nullable = False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        nullable = len(args) < len(typing.get_args(annotation))
        annotation = args[0]
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation, nullable  # type: ignore[return-value]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def column_type(field: FieldInfo) -> tuple[str, bool, type]:
    """SQL type, nullability and python base type of a model field."""
    base, nullable = _unwrap(field.annotation)
    if isinstance(base, type) and issubclass(base, Enum):
        return "VARCHAR", nullable, base
    return _SQL_TYPES[base], nullable, base


def _column_sql(name: str, field: FieldInfo) -> str:
    sql_type, nullable, base = column_type(field)
    parts = [name, sql_type]
    if not nullable:
        parts.append("NOT NULL")
    if isinstance(base, type) and issubclass(base, Enum):
        allowed = ", ".join(_quote(str(m.value)) for m in base)
        parts.append(f"CHECK ({name} IN ({allowed}))")
    for meta in field.metadata:
        for attr, op in (("ge", ">="), ("le", "<="), ("gt", ">"), ("lt", "<")):
            bound = getattr(meta, attr, None)
            if bound is not None and sql_type in ("INTEGER", "DOUBLE"):
                parts.append(f"CHECK ({name} {op} {bound})")
    return " ".join(parts)


def create_table_sql(model: type[Row]) -> list[str]:
    """CREATE TABLE plus COMMENT statements for one model."""
    cols = [_column_sql(name, f) for name, f in model.model_fields.items()]
    cols.append(f"PRIMARY KEY ({', '.join(model.__primary_key__)})")
    body = ",\n  ".join(cols)
    statements = [f"CREATE TABLE IF NOT EXISTS {model.__table__} (\n  {body}\n)"]
    doc = (model.__doc__ or "").strip().splitlines()[0]
    statements.append(f"COMMENT ON TABLE {model.__table__} IS {_quote(doc)}")
    for name, f in model.model_fields.items():
        statements.append(f"COMMENT ON COLUMN {model.__table__}.{name} IS {_quote(f.description or '')}")
    return statements


def schema_sql() -> list[str]:
    """Every statement needed to create the whole schema."""
    return [stmt for model in TABLES.values() for stmt in create_table_sql(model)]
