"""AppTest: briefing page (event presets, key message preview, generate, downloads). Figures are drawn by a
stand-in exporter here; tests/pipelines/test_briefing.py builds one pack with kaleido for real."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from ctatracker import analysis, auth, key_messages, queries
from ctatracker.store import connect
from dashboard.safe_text import as_shown
from pipelines import briefing
from tests.app.conftest import open_signed_in
from tests.pipelines.test_briefing import FakeExporter

PAGE = "views/briefing.py"


SECRETARIAT, FOCAL = "sec@alp.example", "fp@lka.example"


@pytest.fixture()
def open_as(built_db: Path, tmp_path: Path, point_at: Callable[[Path], None],
            monkeypatch: pytest.MonkeyPatch) -> Callable[[str | None], AppTest]:
    """The page on a copy of the seed database with a secretariat and a focal point account, opened as someone
    (None: anonymous), with the stand-in exporter."""
    monkeypatch.setattr(auth, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8192))
    path = tmp_path / "tracker.duckdb"
    path.write_bytes(built_db.read_bytes())
    con = connect(path)
    auth.add_user(con, SECRETARIAT, "secretariat", password="correct horse battery")
    auth.add_user(con, FOCAL, "focal_point", country="LKA", password="correct horse battery")
    con.close()
    point_at(path)
    monkeypatch.setattr(briefing, "Exporter", FakeExporter)
    monkeypatch.setattr(FakeExporter, "warmed", 0)

    return lambda email: open_signed_in(PAGE, email)


@pytest.fixture()
def page(open_as: Callable[[str | None], AppTest]) -> AppTest:
    """The page as the secretariat sees it."""
    return open_as(SECRETARIAT)


def test_only_the_secretariat_and_admins_get_the_page(open_as) -> None:
    anonymous = open_as(None)
    assert "Sign in to use it" in anonymous.info[0].value
    assert not anonymous.get("button") and not anonymous.get("multiselect")
    focal = open_as(FOCAL)
    assert "is for the secretariat or admin" in focal.warning[0].value
    assert not focal.get("button")
    assert FakeExporter.warmed == 0  # no export browser for people who cannot build a pack
    assert open_as(SECRETARIAT).button(key="brief_generate")
    assert FakeExporter.warmed == 1  # started while the secretariat chooses the pack


@pytest.fixture(scope="module")
def regional(built_db: Path) -> list[key_messages.KeyMessage]:
    con = connect(built_db, read_only=True)
    try:
        countries = queries.countries(con)
        return key_messages.regional_messages(
            analysis.gap_table(con), analysis.euro_table(con), analysis.rollup(con),
            analysis.latest_regional_share(con), queries.activities(con), targets=queries.targets(con),
            indicators=queries.indicators(con), names=dict(zip(countries["iso3"], countries["name"], strict=True)))
    finally:
        con.close()


def test_page_renders_presets_and_previews_key_messages(page: AppTest, regional) -> None:
    assert page.title[0].value == "Briefing pack"
    event = page.selectbox(key="brief_event")
    assert event.options[:3] == [f"{e.name} ({e.line()})" for e in briefing.EVENTS.values()]
    assert event.value == "cop30"
    preview = as_shown("\n".join(m.value for m in page.markdown))
    for msg in regional:
        assert msg.text in preview
    assert not page.get("download_button")


def test_custom_event_asks_for_name_dates_and_place(page: AppTest) -> None:
    page.selectbox(key="brief_event").set_value("custom").run()
    assert not page.exception
    page.text_input(key="brief_name").set_value("17th Regional EST Forum").run()
    assert page.date_input(key="brief_dates") is not None
    assert page.text_input(key="brief_place").value == ""


def test_generating_builds_both_files_for_the_selection(page: AppTest) -> None:
    page.multiselect(key="brief_countries").set_value(["LKA"]).run()
    assert any("Sri Lanka" in e.label for e in page.expander)
    page.button(key="brief_generate").click().run()
    assert not page.exception, [e.value for e in page.exception]
    files = page.session_state["brief_files"]
    assert files["pptx"][:2] == b"PK" and files["docx"][:2] == b"PK"  # zip containers
    assert files["countries"] == ["Sri Lanka"] and files["stem"] == "briefing-cop30-2025-11-10"
    labels = [b.proto.label for b in page.get("download_button")]
    assert labels == ["Deck (.pptx)", "Brief (.docx)"]
    assert "Pack for COP30 (Sri Lanka)" in page.success[0].value
    assert page.get("progress")  # the bar shown while it builds
