"""AppTest fixtures: the dashboard pointed at a database built from the seed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ctatracker.config import PROJECT_ROOT, settings

APP = str(PROJECT_ROOT / "dashboard" / "app.py")


def open_signed_in(page: str, email: str | None, params: dict | None = None) -> AppTest:
    """Open a page of the app as someone (None: anonymous), signed in through the session token."""
    from ctatracker.store import auth

    at = AppTest.from_file(APP, default_timeout=60)
    if email:
        at.session_state["cta_token"] = auth.make_token(email, auth.secret_key())
    for name, value in (params or {}).items():
        at.query_params[name] = value
    at.switch_page(page).run()  # straight to the page, as a link to it opens (pages are named by their file)
    assert not at.exception, [e.value for e in at.exception]
    return at


def _point_at(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    monkeypatch.setenv("CTA_DB_PATH", str(db))
    settings.cache_clear()


@pytest.fixture()
def open_page(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Open a page of the app (path relative to dashboard/, e.g. 'views/gaps.py') with query params."""
    _point_at(monkeypatch, built_db)

    def _open(page: str | None = None, params: dict | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        for key, value in (params or {}).items():
            at.query_params[key] = value
        if page:  # straight to the page, as a link to it opens (pages are named by their file)
            at.switch_page(page)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    yield _open
    settings.cache_clear()


@pytest.fixture()
def point_at(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Point the app at any database file."""
    yield lambda db: _point_at(monkeypatch, db)
    settings.cache_clear()
