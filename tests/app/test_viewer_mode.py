"""AppTest: a viewer replica (CTA_VIEWER=1) on a published snapshot, and the editor publishing after a change."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import streamlit as st

from ctatracker.config import settings
from ctatracker.model.schema import Source
from ctatracker.store import auth
from ctatracker.store.database import connect, write_rows
from ctatracker.store.permissions import SYSTEM
from ctatracker.store.publish import publish_file
from dashboard import data
from tests.app.conftest import open_signed_in

PUBLIC_PAGES = ["views/overview.py", "views/progress.py", "views/country.py", "views/compare.py", "views/gaps.py",
                "views/activities.py", "views/cooperation.py", "views/catalogue.py", "views/reporting_status.py",
                "views/what_changed.py", "views/methodology.py", "views/download.py", "views/suggest.py"]


@pytest.fixture()
def snapshot(built_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A snapshot published from a database with a secretariat account, served by a viewer."""
    editor = tmp_path / "editor.duckdb"
    editor.write_bytes(built_db.read_bytes())
    con = connect(editor)
    auth.add_user(con, "sec@alp.example", "secretariat", password="a long enough password")
    con.close()
    snap = publish_file(editor, tmp_path / "public" / "snap.duckdb").path
    monkeypatch.setenv("CTA_DB_PATH", str(snap))
    monkeypatch.setenv("CTA_VIEWER", "1")
    settings.cache_clear()
    yield snap
    settings.cache_clear()


@pytest.fixture()
def pages_shown(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The titles st.navigation shows on each run (pages it holds hidden left out)."""
    seen: list[list[str]] = []
    real = st.navigation

    def spy(pages, **kwargs):
        every = [p for group in pages.values() for p in group] if isinstance(pages, dict) else list(pages)
        seen.append([p.title for p in every if p.visibility != "hidden"])
        return real(pages, **kwargs)

    monkeypatch.setattr(st, "navigation", spy)
    return seen


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_a_viewer_serves_every_public_page(snapshot: Path, page: str) -> None:
    at = open_signed_in(page, None)
    assert at.title, f"{page} shows its title"


def test_a_viewer_hides_the_contribute_pages_even_from_a_signed_in_token(snapshot: Path, pages_shown) -> None:
    at = open_signed_in("views/overview.py", "sec@alp.example")  # a token that the editor would honour
    titles = pages_shown[-1]
    assert "Regional overview" in titles and "Download all data" in titles
    assert not {"Sign in", "Review queue", "My country's data", "Users", "Briefing pack"} & set(titles)
    assert not list(at.sidebar.button), "no Sign out: nobody is signed in on a viewer"
    with pytest.raises(Exception, match="Could not find"):
        at.switch_page("views/review_queue.py")
        at.run()


def test_the_suggestion_form_is_replaced_by_a_plain_note(snapshot: Path) -> None:
    at = open_signed_in("views/suggest.py", None)
    assert any("read-only" in i.value for i in at.info)
    assert not at.button


def test_a_viewer_refuses_writes_in_the_write_path(snapshot: Path) -> None:
    assert data.viewer() and not data.editable()
    before = duckdb.connect(str(snapshot), read_only=True).execute("SELECT count(*) FROM sources").fetchone()
    with pytest.raises(data.ReadOnlyCopy, match="read-only"):
        data.write(write_rows, [Source(id="viewer-write", title="t", publisher="p")], SYSTEM)
    assert duckdb.connect(str(snapshot), read_only=True).execute("SELECT count(*) FROM sources").fetchone() == before


def test_the_editor_publishes_after_a_change_to_published_data(built_db: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    editor, snap = tmp_path / "editor.duckdb", tmp_path / "public" / "snap.duckdb"
    editor.write_bytes(built_db.read_bytes())
    con = connect(editor)
    auth.add_user(con, "sec@alp.example", "secretariat", password="a long enough password")
    con.close()
    monkeypatch.setenv("CTA_DB_PATH", str(editor))
    monkeypatch.setenv("CTA_PUBLISH_TO", str(snap))
    settings.cache_clear()
    try:
        assert data.editable()
        data.write(auth.sign_out_everywhere, "sec@alp.example")  # accounts only: nothing published
        assert not snap.exists()
        data.write(write_rows, [Source(id="approved-source", title="t", publisher="p")], SYSTEM)
        assert snap.exists()
        con = duckdb.connect(str(snap), read_only=True)
        assert con.execute("SELECT count(*) FROM sources WHERE id = 'approved-source'").fetchone() == (1,)
        con.close()
    finally:
        data._database.clear()  # let go of the editor's file
        settings.cache_clear()
