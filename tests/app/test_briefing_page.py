"""AppTest: briefing page (event presets, key message preview, generate, downloads). Figures are drawn by a
stand-in exporter here; tests/pipelines/test_briefing.py builds one pack with kaleido for real."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ctatracker import analysis, key_messages, queries
from ctatracker.config import PROJECT_ROOT
from ctatracker.store import connect
from pipelines import briefing
from tests.pipelines.test_briefing import FakeExporter

PAGE = str(PROJECT_ROOT / "dashboard" / "views" / "briefing.py")


@pytest.fixture()
def page(built_db: Path, point_at: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The page on its own (not yet in the navigation), on the seed database, with the stand-in exporter."""
    point_at(built_db)
    monkeypatch.setattr(briefing, "Exporter", FakeExporter)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


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
    preview = "\n".join(m.value for m in page.markdown)
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
