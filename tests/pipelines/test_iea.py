"""IEA importer: real extract, idempotence, updates with audit, broken files, summing, projections."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ctatracker import store
from ctatracker.permissions import SYSTEM
from ctatracker.schema import ActionArea, Country, Indicator, Source
from pipelines.importers.iea import (
    IEA_SOURCE_ID,
    ImportRejected,
    extract,
    mode_of,
    region_iso3,
    run,
    transform,
)

REAL = Path("/work/shared/reference/iea-global-ev-data-2023-cars.csv")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "iea"
COVERED = {"CHN", "IND", "KOR", "THA"}
SHARES = {"EV sales share": "ev_sales_share", "EV stock share": "ev_stock_share"}


def _make_db(path: Path, *, with_source: bool = True) -> Path:
    """A tiny tracker database with only the reference rows the importer needs."""
    con = store.connect(path)
    store.create_schema(con)
    if with_source:
        store.write_rows(con, [Source(id=IEA_SOURCE_ID, title="Global EV Data Explorer", publisher="IEA",
                                      year=2023, url="https://www.iea.org/data-and-statistics/data-tools/"
                                                     "global-ev-data-explorer")], SYSTEM)
    store.write_rows(con, [ActionArea(code="electric_vehicles", number=3, name="Electric vehicles",
                                      communique_wording="Accelerate electric mobility.", display_order=3)],
                     SYSTEM)
    store.write_rows(con, [Country(iso3=iso3, name=name, subregion=sub) for iso3, name, sub in (
        ("CHN", "China", "East Asia"), ("IND", "India", "South Asia"), ("KOR", "Korea", "East Asia"),
        ("THA", "Thailand", "Southeast Asia"))], SYSTEM)
    store.write_rows(con, [Indicator(code=code, name=code.replace("_", " "), unit=unit, higher_is_better=True,
                                     action_area_code="electric_vehicles", definition=f"IEA {code}")
                           for code, unit in (("ev_sales_share", "percent"), ("ev_stock_share", "percent"),
                                              ("ev_sales", "vehicles"), ("ev_stock", "vehicles"))], SYSTEM)
    con.close()
    return path


def _query(db: Path, sql: str) -> list[tuple]:
    con = store.connect(db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _import(path: Path, db: Path, **kwargs):
    return run(path, db, progress=lambda _line: None, **kwargs)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return _make_db(tmp_path / "tracker.duckdb")


def test_real_extract_gives_asian_car_share_series(db: Path) -> None:
    expected = {}
    with REAL.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            iso3 = {"China": "CHN", "India": "IND", "Korea": "KOR"}.get(r["region"])
            if iso3 and r["parameter"] in SHARES and r["category"] == "Historical" and r["mode"] == "Cars":
                expected[(iso3, SHARES[r["parameter"]], int(r["year"]))] = round(float(r["value"]), 4)
    report, result = _import(REAL, db)
    rows = _query(db, "SELECT country_iso3, indicator_code, year, value FROM observations "
                      "WHERE indicator_code LIKE '%share' AND mode = 'cars'")
    assert {(c, i, y): v for c, i, y, v in rows} == expected
    for iso3 in ("CHN", "IND", "KOR"):
        for code in SHARES.values():
            assert sorted(y for c, i, y in expected if (c, i) == (iso3, code)) == list(range(2010, 2023))
    countries = {r[0] for r in _query(db, "SELECT DISTINCT country_iso3 FROM observations")}
    assert countries == {"CHN", "IND", "KOR"}  # no other country, no aggregate
    assert report.aggregates == {"World", "Europe", "EU27", "Rest of the world", "Other Europe"}
    assert {"Japan", "USA", "Turkiye"} <= report.not_covered
    assert report.rows_read == 2947
    indicators = ("ev_sales_share", "ev_stock_share", "ev_sales", "ev_stock")
    assert dict(report.per_indicator) == dict.fromkeys(indicators, 39)
    assert (result.added, result.updated) == (156, 0)
    china_2010 = _query(db, "SELECT value, confidence FROM observations WHERE country_iso3 = 'CHN' "
                            "AND indicator_code = 'ev_sales_share' AND year = 2010")
    assert china_2010 == [(0.01, "high")]  # float noise 0.009999999776482582 removed


def test_second_import_changes_nothing(db: Path) -> None:
    _import(REAL, db)
    _, again = _import(REAL, db)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 156)


def test_changed_value_updates_one_row_with_audit(db: Path, tmp_path: Path) -> None:
    _import(REAL, db)
    changed = tmp_path / "iea-changed.csv"
    text = REAL.read_text(encoding="utf-8")
    old_line = "China,Historical,EV sales share,Cars,EV,2022,percent,29\n"
    assert text.count(old_line) == 1
    changed.write_text(text.replace(old_line, old_line.replace(",29\n", ",30\n")), encoding="utf-8")
    _, result = _import(changed, db)
    assert (result.added, result.updated) == (0, 1)
    audit = _query(db, "SELECT old_values, new_values, reason FROM audit_log WHERE action = 'update'")
    assert len(audit) == 1
    old, new, reason = audit[0]
    assert json.loads(old)["value"] == 29.0 and json.loads(new)["value"] == 30.0
    assert json.loads(new)["country_iso3"] == "CHN" and reason == "IEA import iea-changed.csv"


@pytest.mark.parametrize(("name", "fragments"), [
    ("missing_column.csv", ["missing_column.csv", "column", "unit"]),
    ("text_in_value.csv", ["text in column 'value'", "2 line(s): 2, 4", "n/a"]),
    ("unknown_unit.csv", ["unknown unit", "'thousand vehicles'", "line(s): 3"]),
    ("not_utf8.csv", ["not UTF-8", "line 2", "CSV UTF-8"]),
    ("empty.csv", ["empty.csv is empty"]),
])
def test_broken_file_is_rejected_and_nothing_changes(db: Path, name: str, fragments: list[str]) -> None:
    _import(REAL, db)
    before = _query(db, "SELECT count(*), sum(value) FROM observations")
    with pytest.raises(ImportRejected) as caught:
        _import(FIXTURES / name, db)
    for fragment in fragments:
        assert fragment in str(caught.value)
    assert _query(db, "SELECT count(*), sum(value) FROM observations") == before


def test_fixture_not_utf8_really_is_not_utf8() -> None:
    with pytest.raises(UnicodeDecodeError):
        (FIXTURES / "not_utf8.csv").read_bytes().decode("utf-8")


def test_file_over_50_mb_is_rejected(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.truncate(51 * 1024 * 1024)
    with pytest.raises(ImportRejected, match="over 50 MB"):
        extract(big)


def test_missing_source_says_to_build_first(tmp_path: Path) -> None:
    db = _make_db(tmp_path / "nosource.duckdb", with_source=False)
    with pytest.raises(ImportRejected, match=r"'iea-gev-data-2023'.*python -m pipelines build"):
        _import(FIXTURES / "good.csv", db)
    with pytest.raises(ImportRejected, match="no database"):
        _import(FIXTURES / "good.csv", tmp_path / "absent.duckdb")


def test_other_source_id_for_a_newer_edition(db: Path) -> None:
    con = store.connect(db)
    store.write_rows(con, [Source(id="iea-gev-data-2024", title="Global EV Data Explorer 2024",
                                  publisher="IEA", year=2024, url="https://www.iea.org/")], SYSTEM)
    con.close()
    _import(FIXTURES / "good.csv", db, source_id="iea-gev-data-2024")
    assert _query(db, "SELECT DISTINCT source_id FROM observations") == [("iea-gev-data-2024",)]


def test_bev_and_phev_are_summed() -> None:
    obs, report = transform(extract(FIXTURES / "good.csv"), COVERED)
    by_key = {(o.country_iso3, o.indicator_code, o.mode.value, o.year): o for o in obs}
    assert by_key[("CHN", "ev_sales", "cars", 2022)].value == 4_400_000 + 1_500_000
    assert by_key[("CHN", "ev_sales", "cars", 2022)].note == "BEV + PHEV"
    assert by_key[("CHN", "ev_stock", "cars", 2022)].value == 13_800_000  # 10000000.0000001 + 3800000
    assert by_key[("IND", "ev_sales", "cars", 2015)].note == "BEV only (no PHEV in the source)"
    assert by_key[("KOR", "ev_sales", "buses", 2022)].value == 2000
    assert by_key[("IND", "ev_sales_share", "cars", 2015)].value == 0.0065
    assert by_key[("CHN", "ev_sales_share", "cars", 2022)].value == 29.0
    assert by_key[("KOR", "ev_stock_share", "cars", 2022)].value == 1.7
    assert len(obs) == 8 and report.rows_kept == 10 and report.rows_read == 16
    assert report.not_covered == {"Japan"} and report.aggregates == {"World", "Rest of the world"}
    assert report.ignored == {"parameter Electricity demand": 1}


def test_real_china_2022_sales_is_bev_plus_phev() -> None:
    obs, _ = transform(extract(REAL), COVERED)
    china = [o for o in obs if (o.country_iso3, o.indicator_code, o.year) == ("CHN", "ev_sales", 2022)]
    assert [o.value for o in china] == [4_400_000 + 1_500_000]


def test_projections_excluded_by_default_and_labelled_when_included() -> None:
    raw = extract(FIXTURES / "good.csv")
    obs, report = transform(raw, COVERED)
    assert max(o.year for o in obs) == 2022 and not any("projection" in (o.note or "") for o in obs)
    assert report.categories_skipped == {"Projection-STEPS": 1, "Projection-APS": 1}
    obs, report = transform(raw, COVERED, include_projections=True)
    projected = [o for o in obs if o.year == 2025]
    assert [(o.value, o.note) for o in projected] == [(40.0, "IEA STEPS projection")]
    assert report.categories_skipped == {"Projection-APS": 1}


def test_parameter_in_wrong_unit_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "wrong_unit.csv"
    bad.write_text("region,category,parameter,mode,powertrain,year,unit,value\n"
                   "China,Historical,EV sales share,Cars,EV,2022,Vehicles,29\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="line 2: EV sales share must be in percent"):
        transform(extract(bad), COVERED)


@pytest.mark.parametrize(("name", "iso3"), [
    ("Korea", "KOR"), ("Turkiye", "TUR"), ("USA", "USA"), ("Viet Nam", "VNM"), ("Vietnam", "VNM"),
    ("Lao PDR", "LAO"), ("China", "CHN"), ("India", "IND"), ("Thailand", "THA"), ("World", None),
    ("Europe", None), ("EU27", None), ("Rest of the world", None), ("Other Europe", None), ("Atlantis", None),
])
def test_region_names(name: str, iso3: str | None) -> None:
    assert region_iso3(name) == iso3


@pytest.mark.parametrize(("name", "mode"), [
    ("Cars", "cars"), ("Buses", "buses"), ("Trucks", "trucks"), ("Vans", "vans"),
    ("2/3 wheelers", "two_three_wheelers"), ("2W/3W", "two_three_wheelers"),
    ("Two- and three-wheelers", "two_three_wheelers"), ("2W", "two_wheelers"), ("3W", "three_wheelers"),
    ("EV", None),
])
def test_mode_names(name: str, mode: str | None) -> None:
    found = mode_of(name)
    assert (found.value if found else None) == mode
