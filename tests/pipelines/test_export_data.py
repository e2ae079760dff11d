"""The open-data package: valid for Frictionless, whole (row counts equal the tables, less the rows withheld for
their licence), published data only, every row under a licence its source gives."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import duckdb
import frictionless
import pytest

from ctatracker.io.datapackage import EXPORT_TABLES, OWN_DATA_LICENCE, PACKAGE_LICENCE
from ctatracker.io.open_data import export, zip_bytes, zip_name
from ctatracker.model import licences
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


def _withheld(db: Path) -> dict[str, int]:
    """Rows of each table citing EDGAR (CC BY-NC-ND 4.0), as stored."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t} WHERE source_id LIKE 'edgar-ghg-%'").fetchall()[0][0]
                for t in EXPORT_TABLES if "source_id" in TABLES[t].model_fields}
    finally:
        con.close()


def test_csv_and_parquet_row_counts_equal_the_tables_less_the_withheld(package: tuple[Path, Path]) -> None:
    db, out = package
    withheld = _withheld(db)
    assert withheld["observations"] > 1000 and sum(withheld.values()) == withheld["observations"]
    con = duckdb.connect(str(db), read_only=True)
    for table in EXPORT_TABLES:
        stored = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] - withheld.get(table, 0)
        parquet = con.execute("SELECT count(*) FROM read_parquet(?)",
                              [str(out / "parquet" / f"{table}.parquet")]).fetchall()[0][0]
        assert len(_csv_rows(out / "csv" / f"{table}.csv")) == stored == parquet, table
    assert con.execute("SELECT count(*) FROM observations WHERE source_id LIKE 'iea-%'").fetchall()[0][0] > 1000
    con.close()


def test_no_row_is_offered_under_a_licence_its_source_does_not_give(package: tuple[Path, Path]) -> None:
    db, out = package
    con = duckdb.connect(str(db), read_only=True)
    terms = {r[0]: r[1:] for r in con.execute(
        "SELECT id, licence_id, licence_redistribution, licence_derivatives, licence_commercial, family, licence "
        "FROM sources").fetchall()}
    con.close()
    assert terms["edgar-ghg-2024"][:4] == ("CC-BY-NC-ND-4.0", True, False, False)
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    for res in desc["resources"]:
        table = res["path"].removeprefix("csv/").removesuffix(".csv")
        if "source_id" not in TABLES[table].model_fields:
            continue
        offered = {lic["name"] for lic in res["licenses"]}
        parquet = duckdb.sql(f"SELECT DISTINCT source_id FROM read_parquet('{out / res['parquet']}')").fetchall()
        cited = {r["source_id"] for r in _csv_rows(out / res["path"])} | {r[0] for r in parquet}
        for source_id in cited - {"", None}:
            lic_id, share, derive, commercial, family, lic = terms[source_id]
            assert family != "edgar-ghg", (table, source_id)
            if lic_id or lic:  # a source naming a licence: that licence is declared, and it allows the package's
                assert lic_id in offered, (table, source_id, offered)
                known = licences.Licence(lic_id, lic, "", "", bool(share), bool(derive), bool(commercial))
                assert licences.compatible_with(known, PACKAGE_LICENCE), (table, source_id)
    assert PACKAGE_LICENCE.id == "CC-BY-4.0" and OWN_DATA_LICENCE in desc["licenses"]
    assert not any(lic["name"] == "CC-BY-NC-ND-4.0" for res in desc["resources"] for lic in res["licenses"])


def test_the_package_says_what_it_leaves_out_why_and_where(package: tuple[Path, Path]) -> None:
    db, out = package
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    [item] = desc["withheld"]
    assert item["resource"] == "observations" and item["rows"] == _withheld(db)["observations"]
    assert item["licence"] == "CC BY-NC-ND 4.0" and item["where"] == "https://edgar.jrc.ec.europa.eu/report_2024"
    assert "changed or combined versions" in item["reason"] and "commercial use" in item["reason"]
    assert f"{item['rows']} published row(s) are left out" in desc["description"]
    obs = next(r for r in desc["resources"] if r["name"] == "observations")
    assert f"{item['rows']} row(s) citing EDGAR" in obs["description"]
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert f"{item['rows']} row(s) of the table observations" in readme and item["where"] in readme
    assert "CC BY-NC-ND 4.0" in readme


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
    iea = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International: rows whose source is "
           "published by IEA", "path": "https://creativecommons.org/licenses/by/4.0/"}
    assert iea in obs["licenses"] and "cite a source published by IEA" in obs["description"]
    assert by_name["commitments"]["licenses"] == [OWN_DATA_LICENCE]  # no commitment cites a licensed source
    assert iea in desc["licenses"] and OWN_DATA_LICENCE in desc["licenses"]


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
    assert f"{folder}/README.md" in files
    assert f"{folder}/parquet/observations.parquet" in files


def test_a_failed_export_adds_nothing(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    broken = duckdb.connect(":memory:")  # no tables at all
    with pytest.raises(duckdb.Error):
        export(broken, out)
    assert [p.name for p in out.iterdir()] == []
