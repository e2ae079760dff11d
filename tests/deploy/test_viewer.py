"""A viewer as the deployment starts it: before any snapshot is published it says so in plain words (no command, no
path), it serves the snapshot once one appears without a restart, and it writes nothing beside the snapshot (the
shared folder is mounted read-only in the container)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ctatracker.config import settings
from ctatracker.store import auth
from ctatracker.store.publish import publish_file
from dashboard.data import NOT_PUBLISHED
from tests.app.conftest import APP

COMMAND_OR_PATH = re.compile(r"make |python|pipelines|`|/published|\.duckdb|CTA_")


@pytest.fixture()
def viewer_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A viewer pointed at a snapshot that is not published yet."""
    snapshot = tmp_path / "published" / "tracker-snapshot.duckdb"
    monkeypatch.setenv("CTA_VIEWER", "1")
    monkeypatch.setenv("CTA_DB_PATH", str(snapshot))
    settings.cache_clear()
    yield snapshot
    settings.cache_clear()


def test_before_the_first_publish_a_viewer_says_so_in_words(viewer_on: Path, built_db: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    said = " ".join(e.value for e in at.error)
    assert said == NOT_PUBLISHED
    assert not COMMAND_OR_PATH.search(said), said
    assert not viewer_on.parent.exists() or not any(viewer_on.parent.iterdir())

    publish_file(built_db, viewer_on)
    at.run()  # the next view, without restarting the viewer
    assert not at.exception and not at.error
    assert at.title and at.title[0].value != "Clean Transport Asia Tracker"


def test_a_viewer_writes_nothing_beside_the_snapshot(viewer_on: Path, built_db: Path) -> None:
    publish_file(built_db, viewer_on)
    before = sorted(p.name for p in viewer_on.parent.iterdir())
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["cta_token"] = auth.make_token("sec@alp.example", b"a key from some other copy")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page("views/methodology.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert sorted(p.name for p in viewer_on.parent.iterdir()) == before
