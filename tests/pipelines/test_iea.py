"""IEA importer: the real 2025 workbook and 2023 CSV, a fixture of each layout, edition sources, broken files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ctatracker.io.iea import ImportRejected, mode_of, prepare, region_iso3
from pipelines.__main__ import main
from tests.pipelines.iea_helpers import (
    FIXTURES,
    REAL_2023,
    REAL_2025,
    do_import,
    make_db,
    query,
    workbook_from_csv,
)

SEVEN = {"CHN": 48, "IND": 2.1, "IDN": 7.3, "KOR": 9.2, "MYS": 3.6, "THA": 13, "VNM": 17}
COVERED = {"CHN", "IND", "IDN", "KOR", "MYS", "THA", "VNM"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_db(tmp_path / "tracker.duckdb")


def _obs(db: Path, where: str = "TRUE") -> dict[tuple, float]:
    rows = query(db, f"SELECT country_iso3, indicator_code, mode, year, source_id, value FROM observations "
                     f"WHERE {where}")
    return {tuple(r[:5]): r[5] for r in rows}


def test_real_2025_workbook(db: Path) -> None:
    summary = do_import(REAL_2025, db)
    cars = _obs(db, "indicator_code = 'ev_sales_share' AND year = 2024 AND mode = 'cars'")
    assert {k[0]: v for k, v in cars.items()} == SEVEN
    assert {k[4] for k in cars} == {"iea-gev-data-2025"}
    wheelers = _obs(db, "indicator_code = 'ev_sales_share' AND year = 2024 AND mode = 'two_three_wheelers'")
    assert wheelers[("IND", "ev_sales_share", "two_three_wheelers", 2024, "iea-gev-data-2025")] == 9.1
    assert wheelers[("VNM", "ev_sales_share", "two_three_wheelers", 2024, "iea-gev-data-2025")] == 9.4
    modes = {r[0] for r in query(db, "SELECT DISTINCT mode FROM observations")}
    assert modes == {"cars", "two_three_wheelers", "vans", "buses", "trucks", "not_applicable"}
    assert query(db, "SELECT max(year) FROM observations") == [(2024,)]  # no projection is an observation
    scenarios = query(db, "SELECT DISTINCT scenario, source_id FROM scenario_values")
    assert scenarios == [("STEPS", "iea-gev-data-2025")]
    assert query(db, "SELECT value FROM scenario_values WHERE country_iso3 = 'CHN' AND mode = 'cars' AND year = 2030 "
                     "AND indicator_code = 'ev_sales_share'") == [(82.0,)]  # as IEA gives it
    m = summary.plan.prepared.mapped
    assert (m.rows_read, m.duplicates) == (16435, 12)
    assert m.rows_read == m.rows_kept + m.duplicates + sum(m.skipped.values())
    assert m.skipped["powertrain not counted: FCEV"] > 0 and m.skipped["parameter not used: Battery demand"] > 0
    assert {"World", "Europe", "EU27", "Asia Pacific", "Rest of the world"} <= set(m.names["aggregate"])
    assert {"Japan", "USA", "Turkiye"} <= set(m.names["not covered"]) and m.names["not recognised"] == []
    assert summary.counts["added"] == len(summary.plan.add) > 1000
    again = do_import(REAL_2025, db)
    assert (again.counts["added"], again.counts["updated"], again.counts["scenario_values"]) == (0, 0, 0)
    assert again.plan.unchanged == summary.counts["added"]


def test_real_2025_source_is_created_with_its_citation(db: Path) -> None:
    do_import(REAL_2025, db)
    source = query(db, "SELECT title, publisher, year, url, licence, family, note FROM sources "
                       "WHERE id = 'iea-gev-data-2025'")
    assert source == [("Global EV Data Explorer (Global EV Outlook 2025 edition)", "IEA", 2025,
                       "https://www.iea.org/data-and-statistics/data-tools/global-ev-data-explorer", "CC BY 4.0",
                       "iea-gev", source[0][6])]
    assert "IEA (2025), Global Electric Vehicle Outlook 2025" in source[0][6]


def test_real_2025_counts_sum_bev_and_phev_and_charging_fast_plus_slow(db: Path) -> None:
    do_import(REAL_2025, db)
    rows = query(db, "SELECT indicator_code, value, powertrains, note FROM observations WHERE country_iso3 = 'CHN' "
                     "AND year = 2024 AND (mode = 'not_applicable' OR indicator_code = 'ev_sales' AND mode = 'cars')")
    got = {r[0]: r[1:] for r in rows}
    assert got["ev_sales"][1:] == ("bev_and_phev", "BEV + PHEV")
    fast, slow = got["public_fast_charging_points"][0], got["public_slow_charging_points"][0]
    assert got["public_charging_points"] == (fast + slow, "bev_and_phev", "fast + slow")


def test_real_2023_csv_still_imports_as_its_own_edition(db: Path) -> None:
    summary = do_import(REAL_2023, db)
    assert summary.plan.prepared.edition == 2023 and summary.plan.prepared.layout == "csv-older"
    assert "last historical year (2022) + 1" in summary.plan.prepared.edition_rule
    assert {r[0] for r in query(db, "SELECT DISTINCT source_id FROM observations")} == {"iea-gev-data-2023"}
    assert _obs(db, "country_iso3 = 'CHN' AND indicator_code = 'ev_sales_share' AND year = 2022") == {
        ("CHN", "ev_sales_share", "cars", 2022, "iea-gev-data-2023"): 29.0}
    assert do_import(REAL_2023, db).counts["added"] == 0


def test_csv_export_and_workbook_give_the_same_rows(db: Path, tmp_path: Path) -> None:
    export = prepare(FIXTURES / "gevo-2025-export.csv", COVERED)
    book = prepare(workbook_from_csv(FIXTURES / "gevo-2025-export.csv", tmp_path / "book.xlsx"), COVERED)
    assert (export.layout, book.layout) == ("csv-export", "workbook")
    assert (export.edition, book.edition) == (2025, 2025)
    assert "sheet name GEVO_EV_2025" in book.edition_rule and "(2024) + 1" in export.edition_rule
    assert export.mapped.observations.equals(book.mapped.observations)
    assert export.mapped.scenarios.equals(book.mapped.scenarios)
    assert book.citation.startswith("IEA (2025), Global Electric Vehicle Outlook 2025")


def test_workbook_without_the_usual_sheet_name_is_found_by_its_header(tmp_path: Path) -> None:
    book = workbook_from_csv(FIXTURES / "gevo-2025-export.csv", tmp_path / "x.xlsx", sheet="Data", notes=False)
    prepared = prepare(book, COVERED)
    assert prepared.layout == "workbook" and prepared.edition == 2025
    assert "last historical year" in prepared.edition_rule


def test_csv_export_layout(db: Path) -> None:
    summary = do_import(FIXTURES / "gevo-2025-export.csv", db)
    got = {(k[0], k[1], k[2], k[3]): v for k, v in _obs(db).items()}
    assert got[("CHN", "ev_sales", "cars", 2024)] == 6_400_000 + 4_900_000  # FCEV not counted
    assert got[("CHN", "public_charging_points", "not_applicable", 2024)] == 3_500_000
    assert ("IND", "public_charging_points", "not_applicable", 2024) not in got  # slow only: no total
    assert got[("IND", "public_slow_charging_points", "not_applicable", 2024)] == 25_000
    assert got[("IND", "ev_sales", "trucks", 2024)] == 1100  # the exact duplicate collapsed
    assert query(db, "SELECT powertrains, note FROM observations WHERE country_iso3 = 'IND' "
                     "AND indicator_code = 'ev_sales'") == [
        ("bev_and_phev", "BEV (IEA lists no PHEV)")]  # IEA's whole count for the mode
    assert got[("VNM", "ev_sales_share", "two_three_wheelers", 2024)] == 9.4
    assert query(db, "SELECT country_iso3, indicator_code, year, scenario, value FROM scenario_values ORDER BY 1") == [
        ("IND", "ev_sales", 2030, "STEPS", 850_000.0), ("VNM", "ev_sales_share", 2030, "STEPS", 40.0)]
    m = summary.plan.prepared.mapped
    assert m.duplicates == 1 and m.skipped["powertrain not counted: FCEV"] == 1
    assert m.skipped["aggregate region (World, Europe, ...)"] == 2
    assert m.skipped["country not covered by the tracker"] == 1
    assert m.skipped["parameter not used: Battery demand"] == 1


def test_old_csv_with_bom_crlf_and_charging_points(db: Path) -> None:
    assert (FIXTURES / "gev-2024-crlf.csv").read_bytes().startswith(b"\xef\xbb\xbfregion,")
    assert b"\r\n" in (FIXTURES / "gev-2024-crlf.csv").read_bytes()
    summary = do_import(FIXTURES / "gev-2024-crlf.csv", db)
    assert summary.plan.prepared.edition == 2024 and summary.plan.prepared.layout == "csv-older"
    got = {(k[0], k[1], k[2], k[3]): v for k, v in _obs(db).items()}
    assert {k[4] for k in _obs(db)} == {"iea-gev-data-2024"}
    assert got[("CHN", "public_charging_points", "not_applicable", 2023)] == 2_600_000
    assert got[("CHN", "ev_sales", "buses", 2023)] == 45_500
    assert got[("KOR", "ev_sales_share", "cars", 2023)] == 9.0  # float noise removed
    assert got[("KOR", "public_fast_charging_points", "not_applicable", 2023)] == 40_000
    assert ("KOR", "public_charging_points", "not_applicable", 2023) not in got
    assert query(db, "SELECT scenario, value FROM scenario_values ORDER BY 1") == [("APS", 35.0), ("STEPS", 25.0)]
    assert query(db, "SELECT family FROM sources WHERE id = 'iea-gev-data-2024'") == [("iea-gev",)]


def test_edition_can_be_given(db: Path) -> None:
    summary = do_import(FIXTURES / "gev-2024-crlf.csv", db, edition=2023)
    assert summary.plan.prepared.edition == 2023
    assert {k[4] for k in _obs(db)} == {"iea-gev-data-2023"}


REJECTS = [
    ("reject_negative.csv", ["a count below zero", "lines 3, 5", "'-5'"]),
    ("reject_share_120.csv", ["a share outside 0-100%", "line 3", "'120'"]),
    ("reject_conflict.csv", ["given twice with different values", "lines 2, 4"]),
    ("missing_column.csv", ["missing_column.csv lacks column(s): unit"]),
    ("not_utf8.csv", ["not UTF-8", "line 2", "CSV UTF-8"]),
    ("text_in_value.csv", ["the value is not a number", "lines 2, 4", "'n/a'"]),
    ("unknown_unit.csv", ["the unit does not fit the parameter", "line 3"]),
    ("empty.csv", ["empty.csv is empty"]),
]


@pytest.mark.parametrize(("name", "fragments"), REJECTS)
def test_broken_file_is_rejected_whole_naming_the_lines(db: Path, name: str, fragments: list[str]) -> None:
    do_import(FIXTURES / "gev-2024-crlf.csv", db)
    before = query(db, "SELECT (SELECT count(*) FROM observations), (SELECT sum(value) FROM observations), "
                       "(SELECT count(*) FROM sources), (SELECT count(*) FROM audit_log)")
    with pytest.raises(ImportRejected) as caught:
        do_import(FIXTURES / name, db)
    for fragment in fragments:
        assert fragment in str(caught.value)
    assert query(db, "SELECT (SELECT count(*) FROM observations), (SELECT sum(value) FROM observations), "
                     "(SELECT count(*) FROM sources), (SELECT count(*) FROM audit_log)") == before


def test_many_bad_lines_are_named_first_few_then_how_many_more(tmp_path: Path) -> None:
    bad = tmp_path / "many.csv"
    bad.write_text("region,category,parameter,mode,powertrain,year,unit,value\n\n" + "".join(
        f"China,Historical,EV sales share,Cars,EV,{2000 + i},percent,{150 + i}\n" for i in range(9)), "utf-8")
    with pytest.raises(ImportRejected) as caught:
        prepare(bad, COVERED)
    assert "lines 3, 4, 5, 6, 7 and 4 more" in str(caught.value)  # the blank line 2 is counted


def test_utf16_and_old_xls_get_a_clear_message(tmp_path: Path) -> None:
    utf16 = tmp_path / "u.csv"
    utf16.write_bytes("region,category\n".encode("utf-16"))
    with pytest.raises(ImportRejected, match="UTF-16"):
        prepare(utf16, COVERED)
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(ImportRejected, match=r"old-style Excel \(.xls\)"):
        prepare(xls, COVERED)


def test_layout_comes_from_the_content_not_the_name(tmp_path: Path) -> None:
    disguised = shutil.copy(REAL_2025, tmp_path / "data.csv")
    assert prepare(disguised, COVERED).layout == "workbook"
    as_xlsx = shutil.copy(FIXTURES / "gevo-2025-export.csv", tmp_path / "export.xlsx")
    assert prepare(as_xlsx, COVERED).layout == "csv-export"


def test_command_line_summary_and_dry_run(db: Path, capsys) -> None:
    assert main(["import-iea", str(FIXTURES / "gev-2024-crlf.csv"), "--db", str(db), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would be added" in out and "edition 2024 (from the last historical year (2023) + 1" in out
    assert query(db, "SELECT count(*) FROM observations") == [(0,)]
    assert main(["import-iea", str(FIXTURES / "gev-2024-crlf.csv"), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    for fragment in ("rows read 14, kept 12, skipped 2, exact duplicates 0", "10 added, 0 updated, 0 unchanged",
                     "scenario values (projections, never observations): 2", "100%"):
        assert fragment in out
    assert main(["import-iea", str(FIXTURES / "gev-2024-crlf.csv"), "--db", str(db)]) == 0
    assert "0 added, 0 updated, 10 unchanged" in capsys.readouterr().out


def test_command_line_rejection_is_reported(db: Path, capsys) -> None:
    assert main(["import-iea", str(FIXTURES / "reject_share_120.csv"), "--db", str(db)]) == 1
    assert "Import rejected, nothing was written" in capsys.readouterr().err


@pytest.mark.parametrize(("name", "iso3"), [
    ("Korea", "KOR"), ("Turkiye", "TUR"), ("USA", "USA"), ("Viet Nam", "VNM"), ("Vietnam", "VNM"),
    ("Lao PDR", "LAO"), ("China", "CHN"), ("India", "IND"), ("Thailand", "THA"), ("World", None),
    ("Europe", None), ("EU27", None), ("Rest of the world", None), ("Other Europe", None), ("Atlantis", None),
    ("Asia Pacific", None), ("Middle East and Caspian", None),
])
def test_region_names(name: str, iso3: str | None) -> None:
    assert region_iso3(name) == iso3


@pytest.mark.parametrize(("name", "mode"), [
    ("Cars", "cars"), ("Buses", "buses"), ("Trucks", "trucks"), ("Vans", "vans"),
    ("2 and 3 wheelers", "two_three_wheelers"), ("2/3 wheelers", "two_three_wheelers"),
    ("2W/3W", "two_three_wheelers"), ("Two- and three-wheelers", "two_three_wheelers"), ("EV", None),
])
def test_mode_names(name: str, mode: str | None) -> None:
    found = mode_of(name)
    assert (found.value if found else None) == mode


def test_cells_with_spaces_around_them_are_read_as_their_text(tmp_path: Path) -> None:
    spaced = tmp_path / "spaced.csv"
    spaced.write_text("region , category,parameter,mode,powertrain,year,unit,value\n"
                      " China , Historical , EV sales share , Cars , EV , 2023 , percent , 38 \n"
                      "China,Projection-STEPS ,EV sales,Cars, BEV ,2030, Vehicles ,100\n", encoding="utf-8")
    mapped = prepare(spaced, COVERED).mapped
    assert mapped.observations[["country_iso3", "indicator_code", "mode", "year", "value"]].values.tolist() == [
        ["CHN", "ev_sales_share", "cars", 2023, 38.0]]
    assert mapped.scenarios[["scenario", "value"]].values.tolist() == [["STEPS", 100.0]]
