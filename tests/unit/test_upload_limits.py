"""Upload limits: the declared sheet size is never trusted, a parse stops at its time limit, and focal points
cannot change a shared source (enforced in the write path)."""

from __future__ import annotations

import io
import time
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from ctatracker.model.enums import Role
from ctatracker.model.schema import Source
from ctatracker.store import bulk, review
from ctatracker.store.database import WriteRejected, connect, current_record
from ctatracker.store.permissions import Actor

BAD = Path(__file__).parent.parent / "fixtures" / "bad_uploads"
FOCAL = Actor(name="fp@ind.example", role=Role.FOCAL_POINT, country_iso3="IND")
SOURCE_ID = "business-standard-2025-ind-niti"


@pytest.fixture()
def con(built_db: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    db = tmp_path / "t.duckdb"
    db.write_bytes(built_db.read_bytes())
    con = connect(db)
    yield con
    con.close()


def test_the_dimension_bomb_is_refused_in_under_two_seconds(con) -> None:
    data = (BAD / "dimension_bomb.xlsx").read_bytes()
    assert len(data) < 18 * 1024
    started = time.perf_counter()
    upload = bulk.parse(con, data, "bomb.xlsx", FOCAL)
    assert time.perf_counter() - started < 2.0
    assert "1,048,576 rows and 16,384 columns" in str(upload.problems[0]) and upload.changes == []


@pytest.mark.parametrize("name", ["empty_rows.xlsx", "empty_rows_other_sheet.xlsx", "entity_bomb.xlsx"])
def test_nine_million_empty_rows_are_refused_before_openpyxl_opens_the_file(con, name: str,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """No <dimension>, 9,000,000 empty rows, 79 KB: once 46.5 s to refuse (27.5 s and accepted when the rows were
    on an unrelated sheet), because openpyxl read every sheet while it opened the workbook."""
    def must_not_open(*_args, **_kwargs):
        raise AssertionError("openpyxl opened the workbook")

    monkeypatch.setattr(bulk, "load_workbook", must_not_open)
    data = (BAD / name).read_bytes()
    assert len(data) < 90 * 1024
    started = time.perf_counter()
    upload = bulk.parse(con, data, name, FOCAL)
    assert time.perf_counter() - started < 1.0
    assert not upload.ok and upload.changes == []


def test_a_parse_stops_at_its_time_limit(con, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "MAX_PARSE_SECONDS", 0.0)  # the clock starts at the first byte, before opening
    upload = bulk.parse(con, bulk.template(con, "IND"), "india.xlsx", FOCAL)
    assert "took longer than 0 seconds" in str(upload.problems[0]) and upload.changes == []


def test_a_full_size_upload_is_read_well_within_the_time_limit(con) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "observations"
    ws.append(bulk.columns("observations"))
    for i in range(bulk.MAX_ROWS):
        ws.append(["IND", "ev_stock", "buses", 1990 + i % 35, float(i), "iea-gev-data-2023", "low", "annual",
                   "bev_and_phev"])
    buffer = io.BytesIO()
    book.save(buffer)
    started = time.perf_counter()
    upload = bulk.parse(con, buffer.getvalue(), "big.xlsx", FOCAL)
    assert time.perf_counter() - started < bulk.MAX_PARSE_SECONDS
    assert not any("took longer" in str(p) for p in upload.problems)


def _edited_source(con) -> review.Change:
    base = current_record(con, Source, (SOURCE_ID,))
    return review.Change.edit(Source.model_validate({**base, "title": "Renamed by a focal point"}), base)


def test_a_focal_point_cannot_propose_a_change_to_a_shared_source(con) -> None:
    with pytest.raises(WriteRejected, match="a source is shared by every country"):
        review.propose(con, FOCAL, [_edited_source(con)])
    assert con.execute("SELECT count(*) FROM submissions").fetchall()[0][0] == 0


def test_a_focal_point_may_still_propose_a_new_source(con) -> None:
    new = Source(id="ind-new-source-2025", title="A new report", publisher="NITI Aayog", year=2025,
                 url="https://example.org/report")
    assert review.propose(con, FOCAL, [review.Change.edit(new, None)])
