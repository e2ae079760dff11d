"""The open-data package: valid for Frictionless, whole (row counts equal the tables), published data only."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import duckdb
import frictionless
import pytest

from ctatracker.io.datapackage import EXPORT_TABLES, IEA_LICENCE
from ctatracker.io.open_data import export, zip_bytes, zip_name
from ctatracker.model.schema import TABLES, Need
from ctatracker.store.database import connect, write_rows
from ctatracker.store.permissions import SYSTEM
from pipelines.__main__ import main

SECRET_EMAIL = "fp.secret@ministry.example"


@pytest.fixture(scope="module")
def package(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A fresh build with one need written by a focal point, exported through the command line."""
    db = tmp_path_factory.mktemp("dp") / "tracker.duckdb"
    db.write_bytes(built_db.read_bytes())
    con = connect(db)
    write_rows(con, [Need(country_iso3="IND", action_area_code="freight", need="=HYPERLINK(\"x\") finance",
                          submitted_by=SECRET_EMAIL)], SYSTEM)
    con.close()
    out = db.parent / "package"
    assert main(["export-data", "--db", str(db), "--out", str(out)]) == 0
    return db, out


def _csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_frictionless_validates_the_package(package: tuple[Path, Path]) -> None:
    report = frictionless.validate(str(package[1] / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]


def test_csv_and_parquet_row_counts_equal_the_tables(package: tuple[Path, Path]) -> None:
    db, out = package
    con = duckdb.connect(str(db), read_only=True)
    for table in EXPORT_TABLES:
        stored = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        parquet = con.execute("SELECT count(*) FROM read_parquet(?)",
                              [str(out / "parquet" / f"{table}.parquet")]).fetchall()[0][0]
        assert len(_csv_rows(out / "csv" / f"{table}.csv")) == stored == parquet, table
    assert con.execute("SELECT count(*) FROM observations").fetchall()[0][0] > 1000  # the IEA import is in
    con.close()


def test_descriptor_comes_from_the_models(package: tuple[Path, Path]) -> None:
    desc = json.loads((package[1] / "datapackage.json").read_text(encoding="utf-8"))
    by_name = {r["name"]: r for r in desc["resources"]}
    obs = by_name["observations"]
    fields = {f["name"]: f for f in obs["schema"]["fields"]}
    assert obs["schema"]["primaryKey"] == list(TABLES["observations"].__primary_key__)
    assert fields["value"]["description"] == TABLES["observations"].model_fields["value"].description
    assert fields["value"]["type"] == "number" and "indicator" in fields["value"]["unit"]
    assert fields["year"]["type"] == "integer" and fields["mode"]["constraints"]["enum"][0] == "all_vehicles"
    assert {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["id"]}} \
        in obs["schema"]["foreignKeys"]
    assert IEA_LICENCE in obs["licenses"] and "IEA" in obs["description"]
    assert IEA_LICENCE not in by_name["commitments"]["licenses"]  # no commitment cites the IEA
    assert by_name["commitments"]["licenses"] and desc["licenses"]


def test_only_published_data(package: tuple[Path, Path]) -> None:
    out = package[1]
    names = {p.stem for p in (out / "csv").iterdir()}
    assert names == set(EXPORT_TABLES)
    assert not names & {"users", "submissions", "audit_log"}
    needs = _csv_rows(out / "csv" / "needs.csv")
    assert len(needs) == 1 and "submitted_by" not in needs[0]
    for path in out.rglob("*"):
        if path.is_file():
            assert SECRET_EMAIL.encode() not in path.read_bytes(), path


def test_csv_is_spreadsheet_safe_and_parquet_exact(package: tuple[Path, Path]) -> None:
    db, out = package
    assert _csv_rows(out / "csv" / "needs.csv")[0]["need"].startswith("'=HYPERLINK")
    con = duckdb.connect(str(db), read_only=True)
    exact = con.execute("SELECT need FROM read_parquet(?)", [str(out / "parquet" / "needs.parquet")]).fetchall()
    con.close()
    assert exact[0][0].startswith("=HYPERLINK")


def test_zip_is_named_with_its_date_and_holds_the_package(package: tuple[Path, Path]) -> None:
    con = connect(package[0], read_only=True)
    data = zip_bytes(con)
    con.close()
    name = zip_name()
    assert name.startswith("clean-transport-asia-tracker-data-") and name.endswith(".zip")
    files = zipfile.ZipFile(io.BytesIO(data)).namelist()
    folder = name.removesuffix(".zip")
    assert f"{folder}/datapackage.json" in files and f"{folder}/csv/observations.csv" in files
    assert f"{folder}/parquet/observations.parquet" in files


def test_a_failed_export_adds_nothing(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    broken = duckdb.connect(":memory:")  # no tables at all
    with pytest.raises(duckdb.Error):
        export(broken, out)
    assert [p.name for p in out.iterdir()] == []
