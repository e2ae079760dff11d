"""Browser: a reader flags a figure (spam and oversize attempts are refused and write nothing), the secretariat
applies the suggestion, and the new value shows on the public progress page and under What changed; the whole
data package downloads as a zip named with its date.

Screenshots: tests/e2e/screenshots/corrections-*.png.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from ctatracker.model.schema import Observation
from ctatracker.store import auth
from ctatracker.store.database import connect, current_record
from tests.conftest import chromium_missing, require
from tests.e2e.conftest import screenshot, serve, stop, wait_for_app
from tests.e2e.test_focal_point_journey import PASSWORD, _goto, _sign_in

pytestmark = pytest.mark.e2e  # its tests run in order on one worker (ONE_WORKER in tests/conftest.py)

SECRETARIAT = "sec@alp.example"
KEY = ("IND", "ev_sales_share", "all_vehicles", 2024, "business-standard-2025-ind-niti")
NEW_VALUE = "7.95"


@pytest.fixture(scope="module")
def app(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, object]]:
    """The app on its own copy of the database, with a secretariat account."""
    require(chromium_missing())  # the last test reads what the browser journey wrote
    db = tmp_path_factory.mktemp("corrections") / "tracker.duckdb"
    db.write_bytes(built_db.read_bytes())
    con = connect(db)
    auth.add_user(con, SECRETARIAT, "secretariat", password=PASSWORD)
    con.close()
    proc, url = serve(db)
    yield url, db, proc
    stop(proc)


def _sign_out(page, base: str) -> None:
    _goto(page, f"{base}/sign_in")
    page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for(timeout=30_000)
    wait_for_app(page)


def _send(page, proposed: str, website: str = "") -> None:
    page.get_by_role("textbox", name="The correct value or text").fill(proposed)
    page.locator(".st-key-suggest_website input").fill(website, force=True)
    page.get_by_role("button", name="Send to the secretariat").click()
    wait_for_app(page)


def _grid_text(page) -> str:
    """The text of the last table on the page (the grid is drawn on a canvas; its accessible table has the cells)."""
    return page.locator("[data-testid='stDataFrame'] table").last.text_content(timeout=30_000).replace(" ", "")


def test_a_reader_flags_a_figure_and_the_secretariat_applies_it(app, browser, tmp_path: Path) -> None:
    base, _db, _proc = app
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    _goto(page, base)

    # 1. A reader picks India's 2024 EV share and fills the form.
    _goto(page, f"{base}/suggest?country=IND")
    page.get_by_role("combobox", name="The figure").click()
    page.keyboard.type("all vehicles, 2024: 7.7")
    page.get_by_role("option", name=re.compile(r"EV share of new vehicle sales, all vehicles, 2024: 7\.7 ")).click()
    wait_for_app(page)
    page.get_by_role("textbox", name=re.compile("^Where it is published")).fill("https://example.org/niti-2025")
    page.get_by_role("textbox", name=re.compile("^Your email")).fill("reader@example.org")

    # 2. A bot that fills the hidden field is refused; so is an oversize text.
    _send(page, NEW_VALUE, website="https://spam.example")
    page.get_by_text("This suggestion could not be accepted").wait_for(timeout=30_000)
    screenshot(page, "corrections-1-spam-refused")
    _send(page, "9" * 1200)
    page.get_by_text("at most 1000 characters", exact=False).last.wait_for(timeout=30_000)
    screenshot(page, "corrections-2-oversize-refused")

    # 3. The real suggestion goes through.
    _send(page, NEW_VALUE)
    page.get_by_text("Thank you: your suggestion is with the ALP secretariat").wait_for(timeout=30_000)
    screenshot(page, "corrections-3-sent")

    # 4. The secretariat applies it.
    _sign_in(page, base, SECRETARIAT)
    _goto(page, f"{base}/suggestions")
    page.get_by_text("1 suggestion from readers").wait_for(timeout=30_000)
    page.get_by_role("link", name="Answer by email").wait_for(timeout=30_000)
    screenshot(page, "corrections-4-queue")
    page.get_by_role("button", name="Apply and publish").click()
    page.get_by_text("Applied: the figure is updated").wait_for(timeout=30_000)
    _sign_out(page, base)

    # 5. The public sees the new value and the change.
    _goto(page, f"{base}/progress?indicator=ev_sales_share&mode=all_vehicles&countries=IND")
    page.get_by_text("Plotted data").wait_for(timeout=30_000)
    progress = _grid_text(page)
    _goto(page, f"{base}/what_changed")
    page.get_by_text("shown (the latest 1,000 at most)").wait_for(timeout=30_000)
    changed = _grid_text(page)
    screenshot(page, "corrections-5-what-changed")

    # 6. The whole data package downloads, named with its date.
    _goto(page, f"{base}/download")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download all data (zip)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    context.close()

    assert f"India2024{NEW_VALUE}" in progress, progress[:500]
    assert "India" in changed and NEW_VALUE in changed and "7.7" in changed and "@" not in changed
    assert saved.name == f"clean-transport-asia-tracker-data-{dt.date.today().isoformat()}.zip"
    assert any(n.endswith("datapackage.json") for n in zipfile.ZipFile(saved).namelist())


def test_only_the_real_suggestion_was_written_and_applied(app) -> None:
    """Runs after the journey; stops the app to read the file."""
    _base, db, proc = app
    stop(proc)
    con = connect(db)
    try:
        rows = con.execute("SELECT proposed, status, email FROM public_suggestions").fetchall()
        assert rows == [(NEW_VALUE, "applied", "reader@example.org")]
        assert current_record(con, Observation, KEY)["value"] == float(NEW_VALUE)
    finally:
        con.close()
