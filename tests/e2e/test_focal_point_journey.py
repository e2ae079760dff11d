"""Browser: a focal point signs in and proposes a figure, the secretariat approves it, the public sees it; the
secretariat then builds a briefing pack and downloads the deck.

Screenshots of each step are saved in tests/e2e/screenshots/journey-*.png.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ctatracker.model.schema import Observation
from ctatracker.store import auth
from ctatracker.store.database import connect, current_record
from tests.conftest import chromium_missing, require
from tests.e2e.conftest import screenshot, serve, stop, wait_for_app

pytestmark = pytest.mark.e2e  # its tests run in order on one worker (ONE_WORKER in tests/conftest.py)

PASSWORD = "correct horse battery"
FOCAL, SECRETARIAT = "fp@ind.example", "sec@alp.example"
KEY = ("IND", "ev_sales_share", "all_vehicles", 2024, "business-standard-2025-ind-niti")
NEW_VALUE = "12.34"


@pytest.fixture(scope="module")
def journey(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, object]]:
    """The app on its own copy of the database, with a focal point for India and a secretariat account."""
    require(chromium_missing())  # the last test reads what the browser journey wrote
    db = tmp_path_factory.mktemp("journey") / "tracker.duckdb"
    db.write_bytes(built_db.read_bytes())
    con = connect(db)
    auth.add_user(con, FOCAL, "focal_point", country="IND", password=PASSWORD)
    auth.add_user(con, SECRETARIAT, "secretariat", password=PASSWORD)
    con.close()
    proc, url = serve(db)
    yield url, db, proc
    stop(proc)


def _goto(page, url: str) -> None:
    """Open a page and wait until the app's own navigation (with its Sign in page) is drawn."""
    page.goto(url)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Sign in").wait_for(timeout=30_000)
    wait_for_app(page)


def _sign_in(page, base: str, email: str) -> None:
    _goto(page, f"{base}/sign_in")
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_text("Your account").wait_for(timeout=30_000)
    wait_for_app(page)


def _sign_out(page, base: str) -> None:
    _goto(page, f"{base}/sign_in")
    page.get_by_role("button", name="Sign out").first.click()
    page.get_by_role("heading", name="Sign in").wait_for(timeout=30_000)
    wait_for_app(page)


def test_focal_point_proposes_secretariat_approves_public_sees_it(journey, browser) -> None:
    base, _db, _proc = journey
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    _goto(page, base)  # the entry page first: it sets up the navigation for deep links

    # 1. The focal point signs in; the sign-in survives a reload (signed cookie).
    _sign_in(page, base, FOCAL)
    page.wait_for_function("() => document.cookie.includes('cta_session=')", timeout=15_000)
    page.reload()
    wait_for_app(page)
    page.get_by_role("button", name="Sign out").first.wait_for(timeout=30_000)  # still signed in
    wait_for_app(page)
    screenshot(page, "journey-1-focal-point-signed-in")

    # 2. They correct India's 2024 EV share and submit it for review.
    _goto(page, f"{base}/my_country")
    page.get_by_role("tab", name="Observation").click()
    panel = page.get_by_role("tabpanel", name="Observation")
    panel.get_by_role("combobox", name="Observation", exact=True).click()
    page.keyboard.type("all vehicles · 2024: 7.7")
    page.get_by_role("option", name=re.compile(r"EV share of new vehicle sales .* all vehicles · 2024: 7\.7")).click()
    value = panel.get_by_label("Value, in the indicator's unit")
    expect(value).to_have_value("7.7")  # the form redrawn for the chosen record (a redraw after typing undoes it)
    wait_for_app(page)
    value.fill(NEW_VALUE)
    panel.get_by_label("Note for the reviewer (optional)").fill("NITI Aayog update, 2025")
    panel.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted for review").wait_for(timeout=30_000)
    wait_for_app(page)
    page.get_by_text("Submitted for review").scroll_into_view_if_needed()
    screenshot(page, "journey-2-observation-submitted")

    # 3. Signing out ends the session and clears the cookie, also after a reload.
    _sign_out(page, base)
    page.wait_for_function("() => !document.cookie.includes('cta_session=')", timeout=15_000)
    page.reload()
    wait_for_app(page)
    page.get_by_role("heading", name="Sign in").wait_for(timeout=30_000)

    # 4. The secretariat signs in and approves it.
    _sign_in(page, base, SECRETARIAT)
    _goto(page, f"{base}/review_queue")
    page.get_by_text("1 submission waiting").wait_for(timeout=30_000)
    page.get_by_text("NITI Aayog update, 2025").wait_for(timeout=30_000)
    screenshot(page, "journey-3-review-queue")
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_text("Approved: 1 record changed and published").wait_for(timeout=30_000)
    wait_for_app(page)
    screenshot(page, "journey-4-approved")
    _sign_out(page, base)

    # 5. A viewer (signed out) sees the new value on the public progress page.
    _goto(page, f"{base}/progress?indicator=ev_sales_share&mode=all_vehicles&countries=IND")
    page.get_by_text("Plotted data").wait_for(timeout=30_000)
    page.get_by_text("Plotted data").scroll_into_view_if_needed()
    wait_for_app(page)
    screenshot(page, "journey-5-public-progress-page")
    # the grid is drawn on a canvas; its accessible table carries the cell text
    grid_text = page.locator("[data-testid='stDataFrame'] table").last.text_content(timeout=30_000)
    context.close()

    assert f"India2024{NEW_VALUE}" in grid_text.replace(" ", "") and "Value (%)" in grid_text, grid_text[:500]


def test_secretariat_builds_and_downloads_a_briefing_pack(journey, browser, tmp_path: Path) -> None:
    from pptx import Presentation

    base, _db, _proc = journey
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    _goto(page, base)
    _goto(page, f"{base}/briefing")
    page.get_by_text("Sign in to use it").wait_for(timeout=30_000)  # not for anonymous viewers
    _sign_in(page, base, SECRETARIAT)
    _goto(page, f"{base}/briefing")
    page.get_by_text("Key messages (preview)").wait_for(timeout=30_000)
    page.get_by_role("combobox", name="Countries").click()
    page.keyboard.type("Sri Lanka")
    page.get_by_role("option", name="Sri Lanka").click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    page.get_by_role("button", name="Generate the pack").click()
    page.get_by_text("Pack for COP32 (Sri Lanka)").wait_for(timeout=120_000)  # the next upcoming event
    wait_for_app(page)
    screenshot(page, "journey-6-briefing-pack-built")
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Deck (.pptx)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    context.close()

    assert saved.name == f"cta-briefing-cop32-sri-lanka-{dt.date.today():%Y-%m-%d}.pptx"  # event, country, day
    slides = list(Presentation(str(saved)).slides)
    titles = [s.shapes.title.text for s in slides if s.shapes.title is not None]
    assert 10 <= len(slides) <= 30
    assert all("Sri Lanka" in t for t in titles[:8])  # the country in every main slide's title
    assert sum(1 for s in slides for sh in s.shapes if sh.shape_type == 13) >= 3  # figures drawn by kaleido


def test_the_approved_value_is_in_the_database_with_its_audit_entry(journey) -> None:
    """Runs after the journey; stops the app to read the file (the app is the only process that may open it)."""
    _base, db, proc = journey
    stop(proc)
    con = connect(db)
    try:
        assert current_record(con, Observation, KEY)["value"] == float(NEW_VALUE)
        entry = con.execute("SELECT actor, reason, new_values FROM audit_log WHERE reason LIKE 'submission %' "
                            "ORDER BY changed_at DESC").fetchall()[0]
        assert entry[0] == SECRETARIAT and json.loads(entry[2])["value"] == float(NEW_VALUE)
    finally:
        con.close()
