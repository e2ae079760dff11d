"""AppTest: the Import IEA data page (secretariat and admins only; preview writes nothing; apply writes once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctatracker.store import auth
from ctatracker.store.database import connect
from dashboard.safe_text import as_shown
from tests.app.conftest import open_signed_in

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "iea"
PAGE = "views/iea_import.py"
PASSWORD = "correct horse battery"
SECRETARIAT, ADMIN, FOCAL = "sec@alp.example", "admin@alp.example", "fp@ind.example"


@pytest.fixture()
def db(seed_copy: Path, point_at) -> Path:
    path = seed_copy
    con = connect(path)
    auth.add_user(con, SECRETARIAT, "secretariat", password=PASSWORD)
    auth.add_user(con, ADMIN, "admin", password=PASSWORD)
    auth.add_user(con, FOCAL, "focal_point", country="IND", password=PASSWORD)
    con.close()
    point_at(path)
    return path


def _count(db: Path, sql: str) -> int:
    con = connect(db)  # the app in this process holds the file read-write: same configuration
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _text(at, kind: str) -> str:
    return "\n".join(str(e.value) for e in getattr(at, kind))


@pytest.mark.parametrize("email", [None, FOCAL])
def test_only_the_secretariat_and_admins_see_it(db: Path, email: str | None) -> None:
    at = open_signed_in(PAGE, email)
    assert not at.get("file_uploader")
    assert "Import IEA data** is for the" in _text(at, "info") + _text(at, "warning")


def test_preview_writes_nothing_and_apply_imports_once(db: Path) -> None:
    at = open_signed_in(PAGE, SECRETARIAT)
    before = _count(db, "SELECT count(*) FROM audit_log")
    upload = (FIXTURES / "gev-2024-crlf.csv").read_bytes()
    at.file_uploader(key="iea_file_0").set_value(("gev-2024.csv", upload, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Added"] == "10" and metrics["Conflicts"] == "0" and metrics["Scenario values"] == "2"
    assert "Global EV Outlook 2024 edition" in _text(at, "markdown")
    assert _count(db, "SELECT count(*) FROM audit_log") == before  # the preview wrote nothing
    at.button(key="iea_apply").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "10 added" in _text(at, "success")
    assert _count(db, "SELECT count(*) FROM observations WHERE source_id = 'iea-gev-data-2024'") == 10
    assert _count(db, "SELECT count(DISTINCT actor) FROM audit_log WHERE reason = 'IEA import gev-2024.csv'") == 1
    at.file_uploader(key="iea_file_1").set_value(("gev-2024.csv", upload, "text/csv")).run()
    assert {m.label: m.value for m in at.metric}["Added"] == "0"
    assert at.button(key="iea_apply").disabled
    assert "already holds everything" in _text(at, "info")


def test_admin_sees_the_real_workbook_already_imported(db: Path) -> None:
    at = open_signed_in(PAGE, ADMIN)
    workbook = (Path(__file__).resolve().parents[2] / "data" / "external" / "EVDataExplorer2025.xlsx").read_bytes()
    at.file_uploader(key="iea_file_0").set_value(("EVDataExplorer2025.xlsx", workbook, "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Added"], metrics["Updated"], metrics["Conflicts"]) == ("0", "0", "0")  # the build imported it


def test_a_bad_file_gets_its_reason_and_nothing_is_written(db: Path) -> None:
    at = open_signed_in(PAGE, SECRETARIAT)
    before = _count(db, "SELECT count(*) FROM audit_log")
    bad = (FIXTURES / "reject_share_120.csv").read_bytes()
    at.file_uploader(key="iea_file_0").set_value(("shares.csv", bad, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    error = as_shown(_text(at, "error"))
    assert "cannot be imported" in error and "a share outside 0-100%: line 3" in error
    assert not at.get("button") or not any(b.key == "iea_apply" for b in at.button)
    assert _count(db, "SELECT count(*) FROM audit_log") == before


def test_an_edgar_workbook_is_told_apart_by_content_and_already_imported(db: Path) -> None:
    at = open_signed_in(PAGE, SECRETARIAT)
    workbook = (Path(__file__).resolve().parents[2] / "data" / "external" / "EDGAR_2024_GHG_booklet_2024.xlsx")
    at.file_uploader(key="iea_file_0").set_value(("emissions.xlsx", workbook.read_bytes(), "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    countries = _count(db, "SELECT count(*) FROM countries")
    assert (metrics["Added"], metrics["Conflicts"], metrics["Countries matched"]) == ("0", "0", str(countries))
    assert "Scenario values" not in metrics
    assert "EDGAR Community GHG Database, 2024 edition" in _text(at, "markdown")
    assert "CC BY-NC-ND 4.0" in _text(at, "caption") and "GWP-100 AR5" in _text(at, "caption")
    assert at.button(key="iea_apply").disabled


def test_an_older_edgar_edition_is_previewed_then_applied_once(db: Path, tmp_path: Path) -> None:
    from tests.pipelines.edgar_helpers import small_workbook

    at = open_signed_in(PAGE, ADMIN)
    book = small_workbook(tmp_path / "older.xlsx", version="EDGAR_2023_GHG").read_bytes()
    before = _count(db, "SELECT count(*) FROM audit_log")
    at.file_uploader(key="iea_file_0").set_value(("older.xlsx", book, "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["Added"] == "204"
    assert _count(db, "SELECT count(*) FROM audit_log") == before  # the preview wrote nothing
    at.button(key="iea_apply").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "204 added" in _text(at, "success") and "scenario" not in _text(at, "success")
    assert _count(db, "SELECT count(*) FROM observations WHERE source_id = 'edgar-ghg-2023'") == 204
    assert _count(db, "SELECT count(*) FROM observations WHERE source_id = 'edgar-ghg-2024'") > 204  # untouched
    assert _count(db, "SELECT count(DISTINCT actor) FROM audit_log WHERE reason = 'EDGAR import older.xlsx'") == 1


def test_a_broken_edgar_workbook_gets_one_plain_line_and_nothing_is_written(db: Path, tmp_path: Path) -> None:
    from tests.pipelines.edgar_helpers import small_workbook

    at = open_signed_in(PAGE, SECRETARIAT)
    before = _count(db, "SELECT count(*) FROM audit_log")
    book = small_workbook(tmp_path / "broken.xlsx", citations=False).read_bytes()
    at.file_uploader(key="iea_file_0").set_value(("broken.xlsx", book, "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    error = _text(at, "error")
    assert "cannot be imported" in error and "does not state the conditions of use" in error
    assert str(tmp_path) not in error
    assert not at.get("button") or not any(b.key == "iea_apply" for b in at.button)
    assert _count(db, "SELECT count(*) FROM audit_log") == before


def test_an_edgar_figure_edited_in_the_tracker_is_shown_as_a_conflict_in_words(db: Path, tmp_path: Path) -> None:
    from ctatracker.model.enums import Role
    from ctatracker.model.schema import Observation
    from ctatracker.store.database import current_record, write_rows
    from ctatracker.store.permissions import Actor
    from tests.pipelines.edgar_helpers import small_workbook

    key = ("LKA", "transport_co2", "not_applicable", 2019, "edgar-ghg-2024")
    con = connect(db)
    row = Observation.model_validate({**current_record(con, Observation, key), "value": 10.5})
    write_rows(con, [row], Actor(name=SECRETARIAT, role=Role.SECRETARIAT), reason="national inventory")
    con.close()
    at = open_signed_in(PAGE, SECRETARIAT)
    book = small_workbook(tmp_path / "small.xlsx").read_bytes()
    at.file_uploader(key="iea_file_0").set_value(("small.xlsx", book, "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["Conflicts"] == "1"
    [table] = [d.value for d in at.dataframe if "the file's value" in d.value.columns]
    shown = table.iloc[0].to_dict()
    assert (shown["country"], shown["indicator"], shown["vehicles"], shown["year"]) == (
        "Sri Lanka", "transport CO2", "not applicable", 2019)


def test_a_file_quoted_in_the_error_cannot_break_out_into_links_or_images(db: Path) -> None:
    """The error quoted the file inside a ``` block: a backtick fence in a cell closed it, and what followed was
    rendered as Markdown (links and images)."""
    at = open_signed_in(PAGE, SECRETARIAT)
    hostile = "``` [click](https://evil.example/x) ![i](https://evil.example/i.png) ```"
    bad = ("region,category,parameter,mode,powertrain,year,unit,value\n"
           f"China,Historical,EV sales share,Cars,EV,2023,percent,{hostile}\n").encode()
    at.file_uploader(key="iea_file_0").set_value(("hostile.csv", bad, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    error = _text(at, "error")
    assert "](" not in error and "```" not in error  # every bracket, parenthesis and backtick escaped
    assert "[click](https://evil.example/x)" in as_shown(error)  # shown as the text it is
