"""Browser journey on a viewer replica: public pages draw, nothing to sign in to, a new snapshot is picked up."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from ctatracker.model.enums import Role
from ctatracker.store.database import connect, current_record, write_rows
from ctatracker.store.permissions import Actor
from ctatracker.store.publish import publish_file
from tests.e2e.conftest import serve, stop, wait_for_app

pytestmark = pytest.mark.e2e
ADMIN = Actor(name="admin@alp.example", role=Role.ADMIN)


def _rename_nepal(db: Path, name: str) -> None:
    from ctatracker.model.schema import Country

    con = connect(db)
    try:
        record = current_record(con, Country, ("NPL",))
        write_rows(con, [Country(**{**record, "name": name})], ADMIN)
    finally:
        con.close()


def test_a_viewer_serves_public_pages_without_contribute_and_follows_new_snapshots(
        browser, built_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    editor, snap = tmp_path / "editor.duckdb", tmp_path / "shared" / "snap.duckdb"
    editor.write_bytes(built_db.read_bytes())
    publish_file(editor, snap)
    monkeypatch.setenv("CTA_VIEWER", "1")
    proc, url = serve(snap)
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        page.goto(url)
        wait_for_app(page)
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        nav = page.get_by_test_id("stSidebarNav")
        expect(nav.get_by_text("Progress charts")).to_be_visible()
        expect(page.get_by_text("Sign in", exact=True)).to_have_count(0)
        expect(nav.get_by_text("Review queue")).to_have_count(0)
        page.goto(f"{url}/review_queue")  # an address of the editing app leads nowhere here
        wait_for_app(page)
        expect(page.get_by_text("Review queue", exact=True)).to_have_count(0)
        page.goto(f"{url}/progress")
        wait_for_app(page)
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        page.goto(f"{url}/country?country=NPL")
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Nepal", exact=True)).to_be_visible(timeout=20_000)
        _rename_nepal(editor, "Nepal (renamed)")  # an approved change in the editor, then a publish
        publish_file(editor, snap)
        page.reload()
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Nepal (renamed)")).to_be_visible(timeout=20_000)
    finally:
        page.context.close()
        stop(proc)
