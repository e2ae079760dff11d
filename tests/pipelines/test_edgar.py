"""EDGAR importer: the real 2024 workbook, small workbooks cut from it (skips, the greenhouse-gas total, editions,
edits), the command line, and the build."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from ctatracker.io import edgar
from ctatracker.io.edgar import ImportRejected, prepare, run
from ctatracker.model.enums import Role
from ctatracker.model.schema import ActionArea, Country, Indicator, Observation
from ctatracker.store import database
from ctatracker.store.permissions import SYSTEM, Actor
from pipelines.__main__ import main
from pipelines.seed import local_changes
from tests.pipelines.edgar_helpers import REAL, TRACKER, real_row, small_workbook, year_column

SECRETARIAT = Actor(name="sec@alp.example", role=Role.SECRETARIAT)
KEY = ("LKA", "transport_co2", "not_applicable", 2019, "edgar-ghg-2024")


def make_db(path: Path) -> Path:
    """A tiny tracker database with the reference rows the EDGAR importer needs."""
    con = database.connect(path)
    database.create_schema(con)
    database.write_rows(con, [ActionArea(code="standards", number=5, name="Standards", communique_wording="test",
                                         display_order=5)], SYSTEM)
    database.write_rows(con, [Country(iso3=iso3, name=name, subregion="South Asia") for iso3, name in
                              TRACKER.items()], SYSTEM)
    database.write_rows(con, [Indicator(code=code, name=code.replace("_", " "), unit=unit, higher_is_better=False,
                                        action_area_code="standards", definition=f"test {code}")
                              for code, unit in (("transport_co2", "mt_co2"), ("transport_ghg", "mt_co2e"))], SYSTEM)
    con.close()
    return path


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = database.connect(db, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_db(tmp_path / "tracker.duckdb")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, edgar.Summary]:
    """The real workbook imported once into a small database."""
    path = make_db(tmp_path_factory.mktemp("edgar") / "tracker.duckdb")
    return path, run(REAL, path)


def test_real_workbook_counts(real: tuple[Path, edgar.Summary]) -> None:
    _db, summary = real
    m = summary.plan.prepared.mapped
    assert (m.rows_read, m.empty_rows, m.duplicates) == (4851, 2, 0)
    assert m.rows_read == m.rows_kept + m.duplicates + sum(m.skipped.values())
    assert m.rows_kept == 4 * 3  # CO2, CH4 and N2O of each of the four countries of the small database
    assert m.matched == ["IND", "KOR", "LKA", "VNM"]
    assert m.names["aggregate"] == ["EU27", "GLOBAL TOTAL", "International Aviation", "International Shipping"]
    assert {"Japan", "South Korea"} & set(m.names["not covered"]) == {"Japan"}  # Korea matched by its code
    assert m.skipped["sector not used: Power Industry"] > 0 and m.skipped["country not covered by the tracker"] > 0
    assert m.count("transport_co2") == m.count("transport_ghg") == 4 * 34  # 1990-2023
    assert m.early_values == 4 * 20 * 2 and m.ghg_not_formed == 0 and m.gwp == "GWP-100 AR5"
    assert summary.counts == {"added": 4 * 34 * 2, "updated": 0}


def test_real_values_are_the_workbooks(real: tuple[Path, edgar.Summary]) -> None:
    db, _summary = real
    got = dict(query(db, "SELECT indicator_code, value FROM observations WHERE country_iso3 = 'LKA' AND year = 2019"))
    co2, ch4, n2o = (real_row(s, "LKA")[year_column(2019)] for s in ("CO2", "GWP_100_AR5_CH4", "GWP_100_AR5_N2O"))
    assert got["transport_co2"] == co2
    assert got["transport_ghg"] == pytest.approx(co2 + ch4 + n2o, rel=1e-11)
    notes = dict(query(db, "SELECT DISTINCT indicator_code, note FROM observations"))
    assert "GWP-100 AR5" in notes["transport_ghg"] and "only years where all three" in notes["transport_ghg"]
    assert "international aviation and shipping are counted apart" in notes["transport_co2"]
    assert query(db, "SELECT DISTINCT mode, confidence, period FROM observations") == [
        ("not_applicable", "high", "annual")]


def test_real_source_has_its_citation_and_licence(real: tuple[Path, edgar.Summary]) -> None:
    db, _summary = real
    [row] = query(db, "SELECT id, year, family, url, licence, licence_id, licence_redistribution, "
                      "licence_derivatives, licence_commercial, attribution, note FROM sources")
    assert row[:9] == ("edgar-ghg-2024", 2024, "edgar-ghg", "https://edgar.jrc.ec.europa.eu/report_2024",
                       "CC BY-NC-ND 4.0", "CC-BY-NC-ND-4.0", True, False, False)
    assert row[9] == "EDGAR 2024 (JRC/IEA), IEA-EDGAR CO2, EDGAR CH4 and EDGAR N2O"
    assert "JRC138862" in row[10] and "version EDGAR_2024_GHG" in row[10] and "compliance@iea.org" in row[10]
    from ctatracker.io.exports import IEA_TERMS, ExportMeta

    [(publisher, title, url)] = query(db, "SELECT publisher, title, url FROM sources")
    meta = ExportMeta("t", dt.date(2025, 1, 1), sources=[(f"{title} ({publisher})", url, "CC BY-NC-ND 4.0")])
    assert IEA_TERMS not in dict(meta.lines())["Terms"]  # IEA's CC BY 4.0 is not the fossil CO2's licence


def test_real_reimport_changes_nothing(real: tuple[Path, edgar.Summary]) -> None:
    db, first = real
    before = query(db, "SELECT count(*) FROM audit_log")
    again = run(REAL, db)
    assert again.counts == {"added": 0, "updated": 0} and not again.plan.conflicts
    assert again.plan.unchanged == first.counts["added"] and not again.plan.new_source
    assert query(db, "SELECT count(*) FROM audit_log") == before


def test_skips_are_counted_and_the_summary_says_so(db: Path, tmp_path: Path) -> None:
    summary = run(small_workbook(tmp_path / "small.xlsx"), db)
    m = summary.plan.prepared.mapped
    assert m.skipped == {"country not covered by the tracker": 3, "sector not used: Waste": 1,
                         "sector not used: Processes": 1,
                         "aggregate (GLOBAL TOTAL, EU27, international aviation and shipping)": 6}
    assert (m.rows_read, m.rows_kept, m.empty_rows) == (20, 9, 1)
    text = "\n".join(summary.lines())
    assert "countries matched: 3 of the 4 the tracker covers (not in the file: Viet Nam)" in text
    assert "edition 2024 (from the version EDGAR_2024_GHG on the citations sheet)" in text
    assert "204 added" in text and "CC BY-NC-ND 4.0" in text
    assert "_" not in text.replace("EDGAR_2024_GHG", "")  # no codes in the words people read


def test_the_total_is_formed_only_where_all_three_gases_are_given(db: Path, tmp_path: Path) -> None:
    def drop_n2o_2005(rows: list[list]) -> None:
        for row in rows:
            if row[:3] == ["GWP_100_AR5_N2O", "Transport", "IND"]:
                row[year_column(2005)] = None

    summary = run(small_workbook(tmp_path / "gap.xlsx", edit=drop_n2o_2005), db)
    assert summary.plan.prepared.mapped.ghg_not_formed == 1
    years = {r[0] for r in query(db, "SELECT year FROM observations WHERE country_iso3 = 'IND' AND "
                                     "indicator_code = 'transport_ghg'")}
    assert 2005 not in years and {2004, 2006} <= years
    assert query(db, "SELECT count(*) FROM observations WHERE country_iso3 = 'IND' AND year = 2005 AND "
                     "indicator_code = 'transport_co2'") == [(1,)]


def test_an_older_edition_is_its_own_source_and_never_replaces_the_newer(db: Path, tmp_path: Path) -> None:
    run(small_workbook(tmp_path / "new.xlsx"), db)
    newer = query(db, "SELECT * FROM observations WHERE source_id = 'edgar-ghg-2024' ORDER BY ALL")

    def scaled(rows: list[list]) -> None:  # the older edition's figures differ
        for row in rows[1:]:
            row[4:] = [v * 0.9 if isinstance(v, float) else v for v in row[4:]]

    older = run(small_workbook(tmp_path / "old.xlsx", version="EDGAR_2023_GHG", edit=scaled), db)
    assert older.plan.prepared.edition == 2023 and older.counts["added"] == 204
    assert query(db, "SELECT * FROM observations WHERE source_id = 'edgar-ghg-2024' ORDER BY ALL") == newer
    assert query(db, "SELECT id, year, family FROM sources ORDER BY id") == [
        ("edgar-ghg-2023", 2023, "edgar-ghg"), ("edgar-ghg-2024", 2024, "edgar-ghg")]


def _edit(db: Path, value: float) -> None:
    con = database.connect(db)
    try:
        row = Observation.model_validate({**database.current_record(con, Observation, KEY), "value": value})
        database.write_rows(con, [row], SECRETARIAT, reason="corrected from the national inventory")
    finally:
        con.close()


def _value(db: Path) -> list[tuple]:
    return query(db, "SELECT value FROM observations WHERE country_iso3 = ? AND indicator_code = ? AND mode = ? "
                     "AND year = ? AND source_id = ?", list(KEY))


def test_an_edit_in_the_tracker_is_never_overwritten_unless_asked(db: Path, tmp_path: Path) -> None:
    book = small_workbook(tmp_path / "small.xlsx")
    run(book, db)
    _edit(db, 10.5)
    summary = run(book, db)
    assert _value(db) == [(10.5,)] and summary.counts["updated"] == 0
    assert [(o.country_iso3, now) for o, now in summary.plan.conflicts] == [("LKA", "10.5")]
    assert any("conflict: Sri Lanka transport CO2 2019: the file says 10.1975, the tracker holds 10.5" in line
               for line in summary.lines())
    forced = run(book, db, overwrite_edits=True)
    assert forced.counts["updated"] == 1 and _value(db) == [(real_row("CO2", "LKA")[year_column(2019)],)]
    assert run(book, db).plan.conflicts == []


def test_only_the_secretariat_admins_and_the_system_import(db: Path, tmp_path: Path) -> None:
    prepared = prepare(small_workbook(tmp_path / "small.xlsx"), TRACKER)
    con = database.connect(db)
    try:
        with pytest.raises(ImportRejected, match="may not import EDGAR data"):
            edgar.apply(con, prepared, Actor(name="fp@lka.example", role=Role.FOCAL_POINT, country_iso3="LKA"))
        summary = edgar.apply(con, prepared, SECRETARIAT)
    finally:
        con.close()
    assert summary.counts["added"] == 204
    assert query(db, "SELECT DISTINCT actor, reason FROM audit_log WHERE table_name = 'observations' AND "
                     "row_key LIKE '%edgar%'") == [("sec@alp.example", "EDGAR import small.xlsx")]


def test_cli_imports_and_dry_run_writes_nothing(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    book = small_workbook(tmp_path / "small.xlsx")
    assert main(["import-edgar", str(book), "--db", str(db), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "204 would be added" in out and "%  Read" in out  # progress, then the summary
    assert query(db, "SELECT count(*) FROM observations") == [(0,)]
    assert main(["import-edgar", str(book), "--db", str(db)]) == 0
    assert "204 added" in capsys.readouterr().out
    assert query(db, "SELECT count(*) FROM observations") == [(204,)]


def test_looks_like_tells_edgar_from_iea_by_content(tmp_path: Path) -> None:
    external = REAL.parent
    renamed = shutil.copy(REAL, tmp_path / "ghg.csv")
    assert edgar.looks_like(REAL) and edgar.looks_like(renamed) and edgar.looks_like(REAL.read_bytes())
    assert not edgar.looks_like(external / "EVDataExplorer2025.xlsx")
    assert not edgar.looks_like(external / "iea-global-ev-data-2023-cars.csv")
    assert not edgar.looks_like(b"PK\x03\x04 not a zip") and not edgar.looks_like(tmp_path / "missing.xlsx")


def test_the_build_imports_edgar_and_its_rows_are_the_builds_own(built_db: Path) -> None:
    counts = dict(query(built_db, "SELECT indicator_code, count(*) FROM observations WHERE source_id = "
                                  "'edgar-ghg-2024' GROUP BY ALL"))
    countries = query(built_db, "SELECT count(*) FROM countries")[0][0]
    assert counts == {"transport_co2": countries * 34, "transport_ghg": countries * 34}
    assert local_changes(built_db) == 0  # a rebuild is not refused because of the import
    assert query(built_db, "SELECT DISTINCT reason FROM audit_log WHERE row_key LIKE '%edgar-ghg-2024%'") == [
        ("seed build: EDGAR import EDGAR_2024_GHG_booklet_2024.xlsx",)]


def test_export_seed_leaves_the_imported_rows_out_and_keeps_an_edited_one(built_db: Path, tmp_path: Path) -> None:
    from ctatracker.io.seed_export import table_csv
    from ctatracker.model.schema import Source

    db = Path(shutil.copy(built_db, tmp_path / "t.duckdb"))
    con = database.connect(db, read_only=True)
    try:
        assert "edgar-ghg-2024" not in table_csv(con, Observation)[0] + table_csv(con, Source)[0]
    finally:
        con.close()
    _edit(db, 10.5)
    con = database.connect(db, read_only=True)
    try:
        text = table_csv(con, Observation)[0]
    finally:
        con.close()
    assert "LKA,transport_co2,not_applicable,2019,10.5,edgar-ghg-2024" in text and text.count("edgar-ghg-2024") == 1
