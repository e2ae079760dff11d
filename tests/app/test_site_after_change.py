"""The editing app writes the public edition again after a change to published data (CTA_SITE_DIR), in the
background and in one step: the change is on the edition's pages; a change to accounts writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctatracker.config import Settings, settings
from ctatracker.edition import build
from ctatracker.edition.refresh import refresher
from ctatracker.model.enums import Role
from ctatracker.model.schema import Observation
from ctatracker.store import auth
from ctatracker.store.database import connect, current_record, write_rows
from ctatracker.store.permissions import Actor
from dashboard import data

KEY = ("IND", "ev_sales_share", "all_vehicles", 2024, "business-standard-2025-ind-niti")
SECRETARIAT = Actor(name="sec@alp.example", role=Role.SECRETARIAT)


def test_an_approved_change_is_on_the_public_edition(built_db: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    editor, site = tmp_path / "editor.duckdb", tmp_path / "public" / "site"
    editor.write_bytes(built_db.read_bytes())
    con = connect(editor)
    auth.add_user(con, "sec@alp.example", "secretariat", password="a long enough password")
    old = current_record(con, Observation, KEY)
    con.close()
    monkeypatch.setenv("CTA_DB_PATH", str(editor))
    monkeypatch.setenv("CTA_SITE_DIR", str(site))
    monkeypatch.setenv("CTA_SITE_BASE_URL", "https://tracker.example.org/")
    settings.cache_clear()
    real = build.make_images
    monkeypatch.setattr(build, "make_images", lambda *a, **k: real(*a, **{**k, "enabled": False}))  # no browser
    try:
        assert data.editable()
        data.write(auth.sign_out_everywhere, "sec@alp.example")  # accounts only: nothing published
        assert not site.exists()
        data.write(write_rows, [Observation.model_validate(old | {"value": 12.34})], SECRETARIAT)
        job = refresher(site, lambda: None)
        assert job.wait(900) and job.last_error is None and job.builds == 1
        changes = (site / "changes.html").read_text(encoding="utf-8")
        assert "EV share of new vehicle sales, all vehicles, 2024" in changes
        assert f"from {old['value']:g} to 12.34." in changes
        assert 'href="https://tracker.example.org/changes.html"' in changes  # its canonical address
        assert not list(site.parent.glob(".site.*"))  # swapped in whole, nothing left beside it
    finally:
        data._database.clear()  # let go of the editor's file
        settings.cache_clear()


def test_the_former_name_of_the_setting_is_refused_with_the_new_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTA_SITE_TO", "/published/site")
    with pytest.raises(ValueError, match="CTA_SITE_TO is now called CTA_SITE_DIR"):
        Settings()
    monkeypatch.delenv("CTA_SITE_TO")
    monkeypatch.setenv("CTA_SITE_DIR", "/published/site")
    assert str(Settings().site_dir) == "/published/site"
