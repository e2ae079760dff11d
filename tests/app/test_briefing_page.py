"""AppTest: briefing page (event presets, key message preview, generate, downloads). Figures are drawn by a
stand-in exporter here; tests/pipelines/test_briefing.py builds one pack with kaleido for real."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ctatracker.analysis import derived
from ctatracker.briefing import figure_export, key_messages, pack
from ctatracker.findings import read
from ctatracker.store import auth, queries
from ctatracker.store.database import connect
from dashboard.safe_text import as_shown
from tests.app.conftest import open_signed_in
from tests.pipelines.test_briefing import FakeExporter

PAGE = "views/briefing.py"


SECRETARIAT, FOCAL = "sec@alp.example", "fp@lka.example"


@pytest.fixture()
def open_as(seed_copy: Path, point_at: Callable[[Path], None],
            monkeypatch: pytest.MonkeyPatch) -> Callable[[str | None], AppTest]:
    """The page on a copy of the seed database with a secretariat and a focal point account, opened as someone
    (None: anonymous), with the stand-in exporter."""
    path = seed_copy
    con = connect(path)
    auth.add_user(con, SECRETARIAT, "secretariat", password="correct horse battery")
    auth.add_user(con, FOCAL, "focal_point", country="LKA", password="correct horse battery")
    con.close()
    point_at(path)
    monkeypatch.setattr(pack, "Exporter", FakeExporter)
    monkeypatch.setattr(FakeExporter, "warmed", 0)

    return lambda email: open_signed_in(PAGE, email)


@pytest.fixture()
def page(open_as: Callable[[str | None], AppTest]) -> AppTest:
    """The page as the secretariat sees it."""
    return open_as(SECRETARIAT)


def _page_buttons(page: AppTest) -> list:
    """The page's own buttons (the sidebar's sign-in and sign-out are not the page's)."""
    return [b for b in page.get("button") if not str(b.key).startswith("sidebar_")]


def test_only_the_secretariat_and_admins_get_the_page(open_as) -> None:
    anonymous = open_as(None)
    assert "Sign in to use it" in anonymous.info[0].value
    assert not _page_buttons(anonymous) and not anonymous.get("multiselect")
    focal = open_as(FOCAL)
    assert "is for the secretariat or admin" in focal.warning[0].value
    assert not _page_buttons(focal)
    assert FakeExporter.warmed == 0  # no export browser for people who cannot build a pack
    assert open_as(SECRETARIAT).button(key="brief_generate")
    assert FakeExporter.warmed == 1  # started while the secretariat chooses the pack


@pytest.fixture(scope="module")
def regional(built_db: Path) -> list[key_messages.KeyMessage]:
    con = connect(built_db, read_only=True)
    try:
        countries = queries.countries(con)
        return key_messages.regional_messages(
            derived.gap_table(con), derived.euro_table(con), derived.rollup(con),
            derived.latest_regional_share(con), queries.activities(con), found=read.findings(con),
            targets=queries.targets(con),
            indicators=queries.indicators(con), names=dict(zip(countries["iso3"], countries["name"], strict=True)))
    finally:
        con.close()


def test_page_renders_presets_and_previews_key_messages(page: AppTest, regional) -> None:
    assert page.title[0].value == "Briefing pack"
    event = page.selectbox(key="brief_event")
    assert event.options[0] == "COP32 (2027 (dates not yet announced), Addis Ababa, Ethiopia)"  # the next one
    assert event.value == "cop32"
    assert event.options[1] == "COP31 (9–20 November 2026, Antalya, Türkiye) · past"  # then the latest past
    assert event.options[-1] == "Another event…"
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
    page.selectbox(key="brief_event").set_value("cop30").run()
    page.multiselect(key="brief_countries").set_value(["LKA"]).run()
    assert any("Sri Lanka" in e.label for e in page.expander)
    page.button(key="brief_generate").click().run()
    assert not page.exception, [e.value for e in page.exception]
    files = page.session_state["brief_files"]
    assert files["pptx"][:2] == b"PK" and files["docx"][:2] == b"PK"  # zip containers
    assert files["countries"] == ["Sri Lanka"]
    assert files["stem"] == f"cta-briefing-cop30-sri-lanka-{dt.date.today():%Y-%m-%d}"  # event, country, day
    labels = [b.proto.label for b in page.get("download_button")]
    assert labels == ["Deck (.pptx)", "Brief (.docx)"]
    assert "Pack for COP30 (Sri Lanka)" in page.success[0].value
    page.multiselect(key="brief_countries").set_value([]).run()
    page.button(key="brief_generate").click().run(timeout=180)  # the regional pack: every country's findings
    assert page.session_state["brief_files"]["stem"] == f"cta-briefing-cop30-region-{dt.date.today():%Y-%m-%d}"
    assert page.get("progress")  # the bar shown while it builds


def test_the_secretariat_adds_an_event_and_it_is_offered(page: AppTest) -> None:
    page.text_input(key="event_name").set_value("17th Regional EST Forum in Asia")
    page.selectbox(key="event_kind").set_value("est_forum")
    page.text_input(key="event_city").set_value("Tokyo")
    page.date_input(key="event_start").set_value(dt.date(2027, 3, 2))
    page.date_input(key="event_end").set_value(dt.date(2027, 3, 4))
    page.button(key="event_add").click().run()
    assert not page.exception and "Added 17th Regional EST Forum in Asia" in page.success[0].value
    page.run()
    options = page.selectbox(key="brief_event").options
    assert options[:2] == ["17th Regional EST Forum in Asia (2–4 March 2027, Tokyo)",  # upcoming, soonest first
                           "COP32 (2027 (dates not yet announced), Addis Ababa, Ethiopia)"]


def test_a_bad_event_is_refused_with_a_message(page: AppTest) -> None:
    page.text_input(key="event_name").set_value("Workshop")
    page.date_input(key="event_start").set_value(dt.date(2027, 3, 2))
    page.date_input(key="event_end").set_value(dt.date(2027, 3, 1))
    page.button(key="event_add").click().run()
    assert "last day is before the first day" in page.error[0].value



def test_without_a_browser_the_page_says_in_one_line_what_to_install(open_as, monkeypatch) -> None:
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(figure_export.shutil, "which", lambda _name: None)
    page = open_as(SECRETARIAT)
    message = page.error[0].value
    assert "apt-get install -y chromium" in message and "\n" not in message
    assert page.button(key="brief_generate").disabled
    assert FakeExporter.warmed == 1  # the stand-in does not look for a browser; the real one is not started
