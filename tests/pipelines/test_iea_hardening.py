"""The IEA and EDGAR importers against hostile files: sizes and rows checked before a workbook is opened, time
bounded from the first byte, XML entity tricks, impossible editions, CSVs DuckDB would misdescribe, and control
characters from a file never printed raw. Every case: one plain line, nothing written, never a traceback."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest

from ctatracker.io import iea_read
from ctatracker.io.iea import ImportRejected, prepare
from pipelines.__main__ import main
from tests.fixtures.bad_uploads.generate import entity_bomb
from tests.pipelines.iea_helpers import FIXTURES, make_db, query, workbook_from_csv

COVERED = {"CHN", "IND", "IDN", "KOR", "MYS", "THA", "VNM"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_db(tmp_path / "tracker.duckdb")


@pytest.fixture
def workbook(tmp_path: Path) -> bytes:
    return workbook_from_csv(FIXTURES / "gevo-2025-export.csv", tmp_path / "gevo.xlsx").read_bytes()


def _patched(data: bytes, part: str, change, level: int = 9) -> bytes:
    """The workbook with one part's XML changed by `change` (bytes -> bytes), compressed at `level`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            archive.writestr(item.filename, change(content) if item.filename == part else content)
    return buffer.getvalue()


def _empty_rows(data: bytes, part: str = "xl/worksheets/sheet1.xml", n: int = 9_000_000) -> bytes:
    return _patched(data, part, lambda xml: re.sub(rb"<dimension[^>]*/>", b"", xml).replace(
        b"</sheetData>", b"<row/>" * n + b"</sheetData>"))


def _must_not_open(*_args, **_kwargs):
    raise AssertionError("openpyxl opened the workbook")


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"])
def test_nine_million_empty_rows_are_refused_before_the_workbook_is_opened(
        workbook: bytes, part: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once 63 s on the command line and over 300 s in the app; on the Notes sheet too (openpyxl reads every
    sheet as it opens a workbook)."""
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", _must_not_open)
    data = _empty_rows(workbook, part)
    assert len(data) < 200 * 1024
    path = tmp_path / "rows.xlsx"
    path.write_bytes(data)
    for source in (path, data):  # the command line reads a path, the app the upload's bytes
        started = time.perf_counter()
        with pytest.raises(ImportRejected, match=r"runs past row 200,000 \(empty rows count too\)"):
            prepare(source, COVERED, name="rows.xlsx")
        assert time.perf_counter() - started < 2.0


def test_a_workbook_unpacking_to_far_more_than_its_size_is_refused_before_it_is_opened(
        workbook: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once a 1.5 MB workbook unpacking to 1.5 GB was imported at 3.27 GB of memory."""
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", _must_not_open)
    padding = b"<!-- " + b" " * (iea_read.MAX_UNPACKED_BYTES + 1024) + b" -->"
    data = _patched(workbook, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<sheetData>",
                                                                                   padding + b"<sheetData>", 1),
                    level=1)
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(ImportRejected, match=r"unpacks to 2\d\d MB; at most 210 MB is read"):
        prepare(data, COVERED, name="bomb.xlsx")


def test_the_time_limit_counts_from_the_first_byte(workbook: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(iea_read, "MAX_PARSE_SECONDS", 0.0)
    with pytest.raises(ImportRejected, match="took longer than 0 seconds"):
        prepare(workbook, COVERED, name="gevo.xlsx")


@pytest.mark.parametrize(("command", "kind"), [("import-iea", "billion laughs"), ("import-edgar", "billion laughs"),
                                               ("import-iea", "undefined entity")])
def test_entity_tricks_get_one_line(workbook: bytes, command: str, kind: str, db: Path, tmp_path: Path,
                                    capsys) -> None:
    """Both were tracebacks (ParseError from the XML parser) from `import-iea`."""
    if kind == "billion laughs":
        data = entity_bomb(workbook, text=b"Historical")
        expected = "holds an XML document type declaration"
    else:
        data = _patched(workbook, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"Historical", b"&nope;", 1))
        expected = "is not a readable Excel workbook (ParseError: undefined entity"
    path = tmp_path / "entities.xlsx"
    path.write_bytes(data)
    before = query(db, "SELECT count(*) FROM observations")
    assert main([command, str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert query(db, "SELECT count(*) FROM observations") == before


@pytest.mark.parametrize("command", ["import-iea", "import-edgar"])
@pytest.mark.parametrize("edition", ["99999", "1800", "-1", "0"])
def test_an_impossible_edition_gets_one_line(command: str, edition: str, db: Path, capsys) -> None:
    """99999, 1800 and -1 were tracebacks (the source's year failed validation); 0 was silently ignored."""
    assert main([command, str(FIXTURES / "gev-2024-crlf.csv"), "--db", str(db), f"--edition={edition}"]) == 1
    err = capsys.readouterr().err
    assert f"the edition {edition} is not an edition year: give the year of the edition, from 2000" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert query(db, "SELECT count(*) FROM observations") == [(0,)]


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().replace(b"\r\n", b"\n").split(b"\n")


@pytest.mark.parametrize(("case", "expected"), [
    ("mixed line endings", "mixes Windows (CRLF, line 1) and Unix (LF, line 4) line endings"),
    ("one over-long row", "line 3 is 3,000,0"),
    ("a 10 MB cell", "line 3 is 10,000,0"),
])
def test_csvs_duckdb_would_misdescribe_get_a_message_naming_the_line(case: str, expected: str,
                                                                     tmp_path: Path) -> None:
    """DuckDB said 'Error when sniffing file', 'a header but no data rows' and 'CSV Error on Line: 1'."""
    lines = _lines(FIXTURES / "good.csv")
    if case == "mixed line endings":
        data = b"\r\n".join(lines[:3]) + b"\r\n" + b"\n".join(lines[3:])
    elif case == "one over-long row":
        data = b"\n".join([*lines[:2], lines[2] + b"," * 10 + b"x" * 3_000_000, *lines[3:]])
    else:
        data = b"\n".join([*lines[:2], lines[2].replace(b",", b',"' + b"y" * 10_000_000 + b'",', 1), *lines[3:]])
    path = tmp_path / "odd.csv"
    path.write_bytes(data)
    with pytest.raises(ImportRejected) as caught:
        prepare(path, COVERED)
    assert expected in str(caught.value) and "DuckDB" not in str(caught.value) and "CSV Error" not in str(caught.value)


def test_control_characters_from_the_file_are_never_printed_raw(db: Path, tmp_path: Path, capsys) -> None:
    lines = _lines(FIXTURES / "good.csv")
    lines[1] = lines[1].rsplit(b",", 1)[0] + b",\x1b[2J\x1b[31mnope\x07"
    path = tmp_path / "ansi.csv"
    path.write_bytes(b"\n".join(lines))
    assert main(["import-iea", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "\\x1b[2J\\x1b[31mnope\\x07" in err
    assert "\x1b" not in err and "\x07" not in err
