"""Schema contract: the models are the one source of truth and the database follows them."""

from __future__ import annotations

import duckdb
import pytest

from ctatracker.model.ddl import column_type, create_table_sql
from ctatracker.model.schema import FACT_MODELS, TABLES, Observation, Row
from ctatracker.store.database import connect, create_schema

ALL_MODELS = list(TABLES.values())


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__table__)
def test_every_table_builds_alone(model: type[Row]) -> None:
    con = duckdb.connect()
    for statement in create_table_sql(model):
        con.execute(statement)
    assert con.execute(f"SELECT count(*) FROM {model.__table__}").fetchone() == (0,)


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__table__)
def test_every_field_and_table_is_described(model: type[Row]) -> None:
    assert (model.__doc__ or "").strip(), f"{model.__name__} needs a docstring"
    for name, field in model.model_fields.items():
        assert field.description and len(field.description) > 5, f"{model.__table__}.{name} has no description"


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__table__)
def test_keys_and_references_name_real_columns(model: type[Row]) -> None:
    for column in model.__primary_key__:
        assert column in model.model_fields
    for column, (table, ref_column) in model.__references__.items():
        assert column in model.model_fields
        assert ref_column in TABLES[table].model_fields
    if model.__country_column__:
        assert model.__country_column__ in model.model_fields


def test_fact_tables_load_after_what_they_reference() -> None:
    order = [m.__table__ for m in FACT_MODELS]
    for model in FACT_MODELS:
        for table, _column in model.__references__.values():
            assert order.index(table) < order.index(model.__table__), f"{model.__table__} before {table}"


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__table__)
def test_database_matches_models(model: type[Row]) -> None:
    con = connect(":memory:")
    create_schema(con)
    rows = con.execute(
        "SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns() "
        "WHERE table_name = ? ORDER BY column_index", [model.__table__]).fetchall()
    assert [r[0] for r in rows] == list(model.model_fields)
    for (name, data_type, nullable, comment), field in zip(rows, model.model_fields.values(), strict=True):
        sql_type, is_nullable, _ = column_type(field)
        assert data_type == sql_type, name
        assert nullable == is_nullable, name
        assert comment == field.description, name
    pk = con.execute(
        "SELECT constraint_column_names FROM duckdb_constraints() "
        "WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'", [model.__table__]).fetchone()
    assert tuple(pk[0]) == model.__primary_key__


def test_enum_check_constraint_rejects_unknown_value_in_sql() -> None:
    con = connect(":memory:")
    create_schema(con)
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO action_areas VALUES ('flying_cars', 1, 'x', 'y', 1)")


def test_models_forbid_unknown_fields_and_bad_values() -> None:
    good = dict(country_iso3="IND", indicator_code="ev_sales_share", mode="cars", year=2022, value=1.5,
                source_id="iea", confidence="high")
    Observation.model_validate(good)
    for change in ({"colour": "red"}, {"country_iso3": "XXX"}, {"year": 3020}, {"mode": "rockets"},
                   {"value": float("nan")}, {"confidence": "certain"}):
        with pytest.raises(ValueError):
            Observation.model_validate({**good, **change})
