"""Bulk update through Excel: template round trip, preview, all-or-nothing submit, and every bad file refused."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from ctatracker.model.enums import Role
from ctatracker.model.schema import Observation
from ctatracker.store import bulk, contributions, review
from ctatracker.store.database import WriteRejected, connect, write_rows
from ctatracker.store.permissions import SYSTEM, Actor

BAD = Path(__file__).parent.parent / "fixtures" / "bad_uploads"
FOCAL = Actor(name="fp@ind.example", role=Role.FOCAL_POINT, country_iso3="IND")
SECRETARIAT = Actor(name="sec@alp.example", role=Role.SECRETARIAT)

CASES = {  # file -> message it must produce (for a focal point of India)
    "share_130.xlsx": "observations row 2:value: 130 is not a percentage between 0 and 100",
    "text_in_value.xlsx": "value: type a number, such as 12.5 (got 'about eight')",
    "year_3020.xlsx": "year: must be at most 2100",
    "unknown_country.xlsx": "'XYZ' is not an ISO 3166 alpha-3 country code",
    "other_country.xlsx": "not allowed: a focal point for IND cannot change data of LKA",
    "unknown_indicator.xlsx": "unknown code 'flying_car_share': not in indicators",
    "unknown_source.xlsx": "unknown id 'no-such-source': not in sources",
    "negative_count.xlsx": "-5 cannot be negative for a count",
    "formula.xlsx": "value: formulas are not accepted (=7+1); type the value itself",
    "duplicate_rows.xlsx": "duplicate record",
    "missing_column.xlsx": "missing column(s): confidence.",  # note may be left out: it has a default
    "javascript_link.xlsx": "evidence_url: a link must start with http:// or https://",
    "bad_date.xlsx": "as_of: type a date as YYYY-MM-DD",
    "no_known_sheet.xlsx": "no sheet named observations",
    "csv_renamed.xlsx": "this is not an Excel .xlsx workbook",
    "truncated.xlsx": "the file is damaged",
    "not_a_workbook.xlsx": "holds no Excel workbook",
    "legacy.xls": "only Excel .xlsx files are accepted",
    "dimension_bomb.xlsx": "says it spans 1,048,576 rows and 16,384 columns; the limits are 5,000 rows",
    "far_row.xlsx": "the sheet 'observations' runs past row 10,000",
    "too_many_columns.xlsx": "the sheet 'observations' has more than 40 columns",
    "long_cell.xlsx": "note: too long (5,000 characters); at most 4,000",
    "true_in_value.xlsx": "value: TRUE/FALSE is not accepted here",
    "lowercase_country.xlsx": "a country code is three capital letters, such as IND (got 'ind')",
    "sheet_name_with_space.xlsx": "observations row 2:value: 130 is not a percentage",  # read, not ignored
    "edit_shared_source.xlsx": "not allowed: a source is shared by every country",
    "empty_rows.xlsx": "the sheet 'observations' runs past row 10,000 (empty rows count too)",
    "empty_rows_other_sheet.xlsx": "the sheet 'notes' runs past row 10,000",  # any sheet: openpyxl reads them all
    "two_observations_sheets.xlsx": "2 sheets named 'observations' and 'observations ': keep one of them",
    "entity_bomb.xlsx": "holds an XML document type declaration, which Excel never writes",
    "huge_ev_sales.xlsx": "value: 1e+15 is out of range for vehicles: at most 2,000,000,000",
}


@pytest.fixture()
def con(built_db: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    db = tmp_path / "t.duckdb"
    db.write_bytes(built_db.read_bytes())
    con = connect(db)
    yield con
    con.close()


def fingerprint(con) -> list:
    """Row count and content hash of every table (to prove nothing was written)."""
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
    return [con.execute(f"SELECT count(*), sum(hash(x)) FROM {t} x").fetchall()[0] for t in tables]


def edited_template(con, country: str = "IND", **cells: object) -> bytes:
    """The country's template with some cells of the observations sheet changed ('E2' -> value)."""
    book = load_workbook(io.BytesIO(bulk.template(con, country)))
    for ref, value in cells.items():
        book["observations"][ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_template_holds_the_country_data_and_round_trips_unchanged(con) -> None:
    data = bulk.template(con, "IND")
    book = load_workbook(io.BytesIO(data))
    assert {"README", "lists", *bulk.SHEETS} <= set(book.sheetnames)
    n_obs = con.execute("SELECT count(*) FROM observations WHERE country_iso3 = 'IND'").fetchall()[0][0]
    assert book["observations"].max_row == n_obs + 1
    upload = bulk.parse(con, data, "india.xlsx", FOCAL)
    assert upload.ok and upload.changes == []
    assert set(upload.preview()["status"]) == {"unchanged"}


def test_text_that_looks_like_a_formula_is_exported_as_text(con) -> None:
    row = con.execute("SELECT * FROM observations WHERE country_iso3 = 'IND' ORDER BY ALL LIMIT 1").fetchdf()
    hostile = Observation.model_validate({**row.to_dict("records")[0], "note": '=HYPERLINK("http://evil")'})
    write_rows(con, [hostile], SYSTEM)
    sheet = load_workbook(io.BytesIO(bulk.template(con, "IND")))["observations"]
    notes = [c for c in sheet["J"] if c.value == '=HYPERLINK("http://evil")']
    assert notes and all(c.data_type == "s" for c in notes)


def test_preview_shows_the_diff_then_a_focal_point_submits_for_review(con) -> None:
    upload = bulk.parse(con, edited_template(con, E2=21.5), "india.xlsx", FOCAL)
    assert upload.ok and len(upload.changes) == 1
    changed = upload.preview().query("status == 'changed'")
    assert changed["change"].iloc[0].startswith("value: ") and "→ 21.5" in changed["change"].iloc[0]
    before = fingerprint(con)
    message = bulk.submit(con, upload, FOCAL, note="annual report")
    assert "1 change submitted for review" in message and "batch" not in message
    pending = contributions.pending_batches(con)
    assert len(pending) == 1 and pending["changes"][0] == 1
    obs_before = before[[r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1")
                         .fetchall()].index("observations")]
    assert con.execute("SELECT count(*), sum(hash(x)) FROM observations x").fetchall()[0] == obs_before
    review.approve(con, pending["batch_id"][0], SECRETARIAT)
    assert bulk.parse(con, edited_template(con), "again.xlsx", FOCAL).changes == []


def test_the_secretariat_applies_an_upload_at_once_all_or_nothing(con) -> None:
    upload = bulk.parse(con, edited_template(con, E2=22.0, E3=33.0), "india.xlsx", SECRETARIAT)
    assert "2 records updated" in bulk.submit(con, upload, SECRETARIAT)
    stale = bulk.parse(con, edited_template(con, E2=23.0, E3=34.0), "india.xlsx", SECRETARIAT)
    write_rows(con, [stale.changes[1].new.model_copy(update={"value": 1.0})], SYSTEM)  # someone else, meanwhile
    before = fingerprint(con)
    with pytest.raises(review.RecordChanged):
        bulk.submit(con, stale, SECRETARIAT)
    assert fingerprint(con) == before  # the first row was not applied either


def test_html_in_a_note_is_kept_as_plain_text(con) -> None:
    upload = bulk.parse(con, edited_template(con, J2="<script>alert('x')</script><b>bold</b>"), "x.xlsx", FOCAL)
    assert upload.ok
    assert upload.changes[0].new.note == "<script>alert('x')</script><b>bold</b>"


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_bad_upload_is_refused_with_its_message_and_nothing_written(con, name: str) -> None:
    before = fingerprint(con)
    upload = bulk.parse(con, (BAD / name).read_bytes(), name, FOCAL)
    texts = [str(p) for p in upload.problems]
    assert any(CASES[name] in t for t in texts), texts
    assert not upload.ok
    with pytest.raises(WriteRejected):
        bulk.submit(con, upload, FOCAL)
    assert fingerprint(con) == before


def test_every_fixture_file_has_a_case() -> None:
    assert {p.name for p in BAD.iterdir() if p.suffix != ".py"} == set(CASES)


def test_a_50_mb_file_is_refused_before_it_is_parsed(con, monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_parse(*_args, **_kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(bulk, "load_workbook", must_not_parse)
    big = b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024)
    upload = bulk.parse(con, big, "huge.xlsx", FOCAL)
    assert "the file is 50.0 MB; the limit is 5 MB" in str(upload.problems[0])


def test_a_zip_bomb_is_refused_before_it_is_unpacked(con) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (100 * 1024 * 1024))
    assert len(buffer.getvalue()) < bulk.MAX_UPLOAD_BYTES
    upload = bulk.parse(con, buffer.getvalue(), "bomb.xlsx", FOCAL)
    assert "unpacks to too much data" in str(upload.problems[0])
