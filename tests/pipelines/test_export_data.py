"""The open-data package: valid for Frictionless, whole (row counts equal the tables, less the rows withheld for
their licence), published data only, every row under a licence its source gives; every file (CSV and Parquet) a
resource with its schema, size and hash; a README and a citation; each source's date read, or that it is not
recorded; no two licences with one name."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path

import duckdb
import frictionless
import pytest
import yaml

from ctatracker.io.datapackage import EXPORT_TABLES, OWN_DATA_LICENCE, PACKAGE_LICENCE
from ctatracker.io.open_data import data_date, export, zip_bytes, zip_name
from ctatracker.model import licences
from ctatracker.model.schema import TABLES, Need, Source
from ctatracker.store.database import connect, current_record, write_rows
from ctatracker.store.permissions import SYSTEM
from pipelines.__main__ import main

SECRET_EMAIL = "fp.secret@ministry.example"
READ_ON = dt.date(2025, 3, 1)


@pytest.fixture(scope="module")
def package(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A fresh build with one need written by a focal point, exported through the command line."""
    db = tmp_path_factory.mktemp("dp") / "tracker.duckdb"
    db.write_bytes(built_db.read_bytes())
    con = connect(db)
    write_rows(con, [Need(country_iso3="IND", action_area_code="freight", need="=HYPERLINK(\"x\") finance",
                          submitted_by=SECRET_EMAIL)], SYSTEM)
    iea = current_record(con, Source, ("iea-gev-data-2025",))
    write_rows(con, [Source.model_validate(iea | {"accessed": READ_ON})], SYSTEM)  # one source with its date read
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
    by_name = {r["name"]: r for r in desc["resources"]}
    for res in [r for r in desc["resources"] if r["format"] == "csv"]:
        table = res["path"].removeprefix("csv/").removesuffix(".csv")
        if "source_id" not in TABLES[table].model_fields:
            continue
        offered = {lic["name"] for lic in res["licenses"]}
        pq = by_name[f"{res['name']}-parquet"]
        assert pq["licenses"] == res["licenses"]
        parquet = duckdb.sql(f"SELECT DISTINCT source_id FROM read_parquet('{out / pq['path']}')").fetchall()
        cited = {r["source_id"] for r in _csv_rows(out / res["path"])} | {r[0] for r in parquet}
        for source_id in cited - {"", None}:
            lic_id, share, derive, commercial, family, lic = terms[source_id]
            assert family != "edgar-ghg", (table, source_id)
            if lic_id or lic:  # a source naming a licence: that licence is declared, and it allows the package's
                assert lic_id in offered, (table, source_id, offered)
                known = licences.Licence(lic_id, lic, "", "", bool(share), bool(derive), bool(commercial))
                assert licences.compatible_with(known, PACKAGE_LICENCE), (table, source_id)
    assert PACKAGE_LICENCE.id == "CC-BY-4.0" and desc["licenses"] == [OWN_AND_IEA]
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


OWN_AND_IEA = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International: the tracker's own "
               "data (implementation stages, summaries, needs, the compilation) and rows whose source is published by "
               "IEA", "path": "https://creativecommons.org/licenses/by/4.0/"}
"""One licence, one name: the tracker's own data and IEA's rows share CC BY 4.0, so they share its entry."""


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
    assert obs["licenses"] == [OWN_AND_IEA] and "cite a source published by IEA" in obs["description"]
    assert by_name["commitments"]["licenses"] == [OWN_DATA_LICENCE]  # no commitment cites a licensed source
    assert desc["licenses"] == [OWN_AND_IEA]


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
    data, day = zip_bytes(con), data_date(con)
    con.close()
    name = zip_name(day)
    assert name == f"clean-transport-asia-tracker-data-{day.isoformat()}.zip"
    files = zipfile.ZipFile(io.BytesIO(data)).namelist()
    folder = name.removesuffix(".zip")
    assert f"{folder}/datapackage.json" in files and f"{folder}/csv/observations.csv" in files
    assert f"{folder}/README.md" in files and f"{folder}/CITATION.cff" in files
    assert f"{folder}/parquet/observations.parquet" in files


def test_a_failed_export_adds_nothing(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    broken = duckdb.connect(":memory:")  # no tables at all
    with pytest.raises(duckdb.Error):
        export(broken, out)
    assert [p.name for p in out.iterdir()] == []


def test_every_file_is_a_resource_with_its_size_and_hash(package: tuple[Path, Path]) -> None:
    out = package[1]
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["path"] for r in desc["resources"]}
    assert paths == {p.relative_to(out).as_posix() for p in out.rglob("*.csv")} | {
        p.relative_to(out).as_posix() for p in out.rglob("*.parquet")}
    assert len(desc["resources"]) == 2 * len(EXPORT_TABLES)
    for res in desc["resources"]:
        data = (out / res["path"]).read_bytes()
        assert res["bytes"] == len(data) and res["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}", res["name"]
    tampered = json.loads(json.dumps(desc))
    tampered["resources"][-1]["hash"] = "sha256:" + "0" * 64  # a changed Parquet file would be caught
    report = frictionless.validate(tampered, basepath=str(out))
    assert not report.valid and "hash-count" in {e[0] for e in report.flatten(["type"])}


_PARQUET_TYPES = {"string": "VARCHAR", "integer": ("INTEGER", "BIGINT", "SMALLINT"), "number": "DOUBLE",
                  "boolean": "BOOLEAN", "date": "DATE", "datetime": ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE")}


def test_parquet_files_are_declared_with_the_schema_they_hold(package: tuple[Path, Path]) -> None:
    out = package[1]
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    by_name = {r["name"]: r for r in desc["resources"]}
    for table in EXPORT_TABLES:
        csv_res, pq = by_name[table.replace("_", "-")], by_name[f"{table.replace('_', '-')}-parquet"]
        assert pq["path"] == f"parquet/{table}.parquet" and pq["format"] == "parquet"
        assert [f["name"] for f in pq["schema"]["fields"]] == [f["name"] for f in csv_res["schema"]["fields"]]
        assert pq["schema"]["primaryKey"] == csv_res["schema"]["primaryKey"]
        held = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{out / pq['path']}')").fetchall()
        assert [c[0] for c in held] == [f["name"] for f in pq["schema"]["fields"]], table
        for (column, kind, *_rest), field in zip(held, pq["schema"]["fields"], strict=True):
            assert kind in _PARQUET_TYPES[field["type"]], (table, column, kind, field["type"])
            if field.get("constraints", {}).get("required"):
                nulls = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out / pq['path']}') WHERE {column} IS NULL")
                assert nulls.fetchall()[0][0] == 0, (table, column)
        for fk in pq["schema"].get("foreignKeys", []):
            assert fk["reference"]["resource"].endswith("-parquet") and fk["reference"]["resource"] in by_name


def test_no_two_licences_share_a_name(package: tuple[Path, Path]) -> None:
    desc = json.loads((package[1] / "datapackage.json").read_text(encoding="utf-8"))
    for licences_ in [desc["licenses"], *(r["licenses"] for r in desc["resources"])]:
        names = [lic["name"] for lic in licences_]
        assert len(names) == len(set(names)), names


def test_each_source_says_when_it_was_read_or_that_it_is_not_recorded(package: tuple[Path, Path]) -> None:
    out = package[1]
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    cited = [s for r in desc["resources"] for s in r.get("sources", [])] + desc["sources"][1:]
    assert cited and all("accessed" in s for s in cited)
    read = {s["title"]: s["accessed"] for s in cited if s["accessed"]}
    assert set(read.values()) == {READ_ON.isoformat()}
    assert any("Global EV Outlook 2025" in title for title in read)
    assert sum(1 for s in cited if s["accessed"] is None) > 100
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert f"read on {READ_ON.isoformat()}" in readme and "date read not recorded" in readme
    assert "is recorded for 1 of the" in readme


def test_the_package_has_a_readme_and_a_citation(package: tuple[Path, Path]) -> None:
    db, out = package
    con = connect(db, read_only=True)
    day = data_date(con)
    con.close()
    cff = yaml.safe_load((out / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset" and cff["license"] == "CC-BY-4.0"
    assert cff["title"] == "Clean Transport Asia Tracker: all published data" and cff["authors"][0]["name"]
    assert cff["date-released"] == day and cff["version"] == day.strftime("%Y.%m.%d")
    readme = (out / "README.md").read_text(encoding="utf-8")
    for heading in ("## Files", "## Licences", "## Sources and when they were read", "## Left out of this package",
                    "## How to cite"):
        assert heading in readme
    assert "Clean Transport Asia Tracker, Asia LEDS Partnership" in readme and "`csv/observations.csv`" in readme
