"""EDGAR importer, broken and hostile workbooks: each refused whole with one readable line, nothing written."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from ctatracker.io import edgar_read
from ctatracker.io.edgar import ImportRejected, run
from pipelines.__main__ import main
from tests.pipelines.edgar_helpers import REAL, small_workbook, year_column
from tests.pipelines.test_edgar import make_db, query

TABLES = ("sources", "observations", "audit_log")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_db(tmp_path / "tracker.duckdb")


def _state(db: Path) -> list[tuple]:
    return [query(db, f"SELECT count(*) FROM {t}")[0] for t in TABLES]


def _set(code: str, substance: str, year: int, value: object) -> Callable[[list[list]], None]:
    def edit(rows: list[list]) -> None:
        for row in rows:
            if row[:3] == [substance, "Transport", code]:
                row[year_column(year)] = value
    return edit


def _duplicate(rows: list[list]) -> None:
    copy = list(next(r for r in rows if r[:3] == ["CO2", "Transport", "IND"]))
    copy[year_column(2015)] = copy[year_column(2015)] + 1
    rows.append(copy)


def _future(rows: list[list]) -> None:
    rows[0].append(2100)
    for row in rows[1:]:
        row.append(1.0 if row[:3] == ["CO2", "Transport", "LKA"] else None)


def _rename(old: str, new: str) -> Callable[[list[list]], None]:
    def edit(rows: list[list]) -> None:
        for row in rows:
            row[:] = [new if cell == old else cell for cell in row]
    return edit


def _other_gwp(rows: list[list]) -> None:
    for row in rows:
        if row[:3] == ["GWP_100_AR5_N2O", "Transport", "IND"]:
            row[0] = "GWP_100_AR4_N2O"


BROKEN = {  # name -> (how to make it, the words the one-line message must hold)
    "text value": (dict(edit=_set("LKA", "CO2", 2019, "n/a")),
                   f"not a number: sheet {edgar_read.SHEET} cell {edgar_read._letters(year_column(2019))}"),
    "negative value": (dict(edit=_set("IND", "GWP_100_AR5_CH4", 2010, -0.5)), "a negative emission"),
    "same key twice": (dict(edit=_duplicate), "CO2 of IND given twice with different values"),
    "future year": (dict(edit=_future), "a value for a year that has not ended"),
    "missing column": (dict(edit=_rename("EDGAR Country Code", "Code")), "lacks the column(s) EDGAR Country Code"),
    "no year columns": (dict(edit=lambda rows: rows[0].__setitem__(slice(4, None), [None] * (len(rows[0]) - 4))),
                        "has no year columns"),
    "two GWP bases": (dict(edit=_other_gwp), "weighted on different bases (GWP-100 AR4, GWP-100 AR5)"),
    "no conditions of use": (dict(citations=False), "does not state the conditions of use"),
    "no edition": (dict(version="EDGAR_latest_GHG"), "names no edition"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_workbook_is_refused_whole(case: str, db: Path, tmp_path: Path) -> None:
    kwargs, words = BROKEN[case]
    book = small_workbook(tmp_path / f"{case}.xlsx", **kwargs)
    before = _state(db)
    with pytest.raises(ImportRejected) as caught:
        run(book, db)
    message = str(caught.value)
    assert words in message and len(message.splitlines()) == 1, message
    assert "Traceback" not in message and str(tmp_path) not in message
    assert _state(db) == before


def test_the_edition_can_be_given_when_the_workbook_names_none(db: Path, tmp_path: Path) -> None:
    summary = run(small_workbook(tmp_path / "undated.xlsx", version="EDGAR_latest_GHG"), db, edition=2024)
    assert summary.plan.prepared.edition_rule == "given by the person importing" and summary.counts["added"] == 204


def test_other_units_are_refused(db: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = small_workbook(tmp_path / "kt.xlsx")
    wb = load_workbook(book)
    for row in wb["info"].iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and "GHG_by_sector_and_country sheet are" in cell.value:
                cell.value = cell.value.replace("Mt CO2eq/yr", "kt CO2eq/yr")
    wb.save(book)
    with pytest.raises(ImportRejected, match="gives its sector figures in kt CO2eq/yr; the tracker takes Mt"):
        run(book, db)


def test_an_exact_duplicate_row_is_counted_not_refused(db: Path, tmp_path: Path) -> None:
    def twice(rows: list[list]) -> None:
        rows.append(list(next(r for r in rows if r[:3] == ["CO2", "Transport", "IND"])))

    summary = run(small_workbook(tmp_path / "twice.xlsx", edit=twice), db)
    assert summary.plan.prepared.mapped.duplicates == 1 and summary.counts["added"] == 204


def _with_dimension(book: Path, out: Path, ref: str) -> Path:
    """A copy of a workbook whose data sheet declares another size (`<dimension ref=...>`)."""
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        data_sheet = max(n for n in src.namelist() if n.startswith("xl/worksheets/sheet"))  # made last
        for item in src.infolist():
            data = src.read(item)
            if item.filename == data_sheet:
                start = data.index(b"<dimension")
                data = data[:start] + f'<dimension ref="{ref}"/>'.encode() + data[data.index(b"/>", start) + 2:]
            dst.writestr(item, data)
    return out


def test_a_sheet_declaring_a_million_rows_is_refused_at_once(db: Path, tmp_path: Path) -> None:
    bomb = _with_dimension(small_workbook(tmp_path / "small.xlsx"), tmp_path / "bomb.xlsx", "A1:XFD1048576")
    started = time.perf_counter()
    with pytest.raises(ImportRejected, match="declares 1,048,576 rows and 16,384 columns; at most 100,000 rows"):
        run(bomb, db)
    assert time.perf_counter() - started < 2


def test_a_sheet_running_past_the_row_limit_is_refused_while_read(db: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(edgar_read, "MAX_ROWS", 10)
    small = _with_dimension(small_workbook(tmp_path / "small.xlsx"), tmp_path / "lying.xlsx", "A1:BF5")
    with pytest.raises(ImportRejected, match="runs past 10 rows"):
        run(small, db)


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_opened(db: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "zip-bomb.xlsx"
    with zipfile.ZipFile(small_workbook(tmp_path / "small.xlsx")) as src, \
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        with dst.open("xl/media/padding.bin", "w") as pad:  # 420 MB of zeros, under 1 MB packed
            chunk = bytes(1 << 20)
            for _ in range(420):
                pad.write(chunk)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(ImportRejected, match=r"unpacks to 0\.4 GB; workbooks that unpack to more than 400 MB"):
        run(bomb, db)


def test_a_file_too_large_is_refused(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(edgar_read, "MAX_BYTES", 1024 * 1024)
    with pytest.raises(ImportRejected, match="is 4 MB; workbooks over 1 MB are refused"):
        run(REAL, db)


@pytest.mark.parametrize(("content", "words"), [
    (b"", "is empty"),
    (b"Substance,Sector\nCO2,Transport\n", "is not an Excel workbook (.xlsx)"),
    (REAL.read_bytes()[:200_000], "is not a readable Excel workbook"),
])
def test_files_that_are_not_workbooks_get_one_plain_line_from_the_command(
        content: bytes, words: str, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "edgar.xlsx"
    path.write_bytes(content)
    before = _state(db)
    assert main(["import-edgar", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("Import rejected, nothing was written: edgar.xlsx") and words in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert _state(db) == before


def test_an_iea_workbook_is_not_taken_for_edgar(db: Path) -> None:
    with pytest.raises(ImportRejected, match="has no sheet GHG_by_sector_and_country"):
        run(REAL.parent / "EVDataExplorer2025.xlsx", db)


def test_a_database_without_the_indicators_refuses_in_one_transaction(tmp_path: Path) -> None:
    from ctatracker.store import database

    path = tmp_path / "bare.duckdb"
    con = database.connect(path)
    database.create_schema(con)
    con.execute("INSERT INTO countries VALUES ('LKA', 'Sri Lanka', 'South Asia', NULL, NULL)")
    con.close()
    with pytest.raises(ImportRejected, match=r"the tracker refused the import of small\.xlsx"):
        run(small_workbook(tmp_path / "small.xlsx"), path)
    assert [query(path, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES] == [0, 0, 0]  # not even the source
