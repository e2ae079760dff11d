"""Plain words for signed-in people: a focal point (India), the secretariat and an administrator each sign in and
visit every page their navigation shows them at 1400 px, every expander and tab opened and every table's cells
read; none may show developer words (tests/e2e/words.py: snake_case, ids, file paths, 'None', 'nan').

The app runs on its own copy of the database, holding what makes the contributor pages show rows: a pending
submission of the focal point, a rejected one with the secretariat's comment, a reader's suggestion, a bulk
upload whose preview has a change and an IEA file whose import is previewed. A missing value in a table is drawn
on its canvas, out of reach of the walk: tests/unit/test_plain_tables.py checks that every table gives one a
placeholder. Screenshots: tests/e2e/screenshots/words-<role>-<page>-1400*.png.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ctatracker.model.enums import ActionAreaCode, Role
from ctatracker.model.schema import Need, Observation
from ctatracker.store import auth, bulk, review, suggestions
from ctatracker.store.database import connect, current_record
from ctatracker.store.permissions import Actor
from tests.conftest import chromium_missing, require
from tests.e2e.conftest import serve, stop, wait_for_app
from tests.e2e.test_focal_point_journey import PASSWORD, _goto, _sign_in
from tests.e2e.words import developer_words, page_words

pytestmark = pytest.mark.e2e

WIDTH = 1400
FOCAL, SECRETARIAT, ADMIN = "fp@ind.example", "sec@alp.example", "admin@alp.example"
IEA_FILE = Path(__file__).parent.parent / "fixtures" / "iea" / "good.csv"
KEY = ("IND", "ev_sales_share", "all_vehicles", 2024, "business-standard-2025-ind-niti")
FOCAL_PAGES = {"account": "sign_in", "my-country": "my_country", "bulk-upload": "bulk_upload", "history": "history"}
STAFF_PAGES = {"account": "sign_in", "my-country": "my_country", "bulk-upload": "bulk_upload",
               "review-queue": "review_queue", "suggestions": "suggestions", "iea-import": "iea_import",
               "briefing": "briefing", "history": "history"}
ROLES = {"focal-point": (FOCAL, FOCAL_PAGES), "secretariat": (SECRETARIAT, STAFF_PAGES),
         "admin": (ADMIN, {"account": "sign_in", "users": "admin_users"})}
"""Each role: who signs in and the pages their navigation adds to the public ones (name: address); the admin also
sees every page of the secretariat, walked as the secretariat."""
NAVIGATION = {"focal-point": {"My country's data", "Bulk upload", "History"},
              "secretariat": {"My country's data", "Bulk upload", "Review queue", "Public suggestions",
                              "Import IEA data", "Briefing pack", "History"},
              "admin": {"Users"}}
"""What each role's navigation shows beyond the public pages (all of it walked)."""


def _with_a_changed_figure(template: bytes) -> bytes:
    """The bulk template with India's first observation given a new value, so that the preview shows a change."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template))
    sheet = book["observations"]
    column = [c.value for c in sheet[1]].index("value") + 1
    sheet.cell(2, column).value = float(sheet.cell(2, column).value or 0) + 1.5
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def app(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app on its own copy of the database, with an account for each role and rows in every queue; (base URL,
    the bulk file to upload)."""
    require(chromium_missing())
    folder = tmp_path_factory.mktemp("roles")
    db = folder / "tracker.duckdb"
    db.write_bytes(built_db.read_bytes())
    con = connect(db)
    try:
        auth.add_user(con, FOCAL, "focal_point", country="IND", password=PASSWORD)
        auth.add_user(con, SECRETARIAT, "secretariat", password=PASSWORD)
        auth.add_user(con, ADMIN, "admin", password=PASSWORD)
        focal = Actor(name=FOCAL, role=Role.FOCAL_POINT, country_iso3="IND")
        staff = Actor(name=SECRETARIAT, role=Role.SECRETARIAT)
        figure = Observation.model_validate({**current_record(con, Observation, KEY), "value": 8.8})
        review.propose(con, focal, [review.change_now(con, figure)], note="NITI Aayog update, 2025")
        need = Need(country_iso3="IND", action_area_code=next(iter(ActionAreaCode)), submitted_by=FOCAL,
                    need="Charging standards for two-wheelers")
        rejected = review.propose(con, focal, [review.change_now(con, need)])
        review.reject(con, rejected, staff, "Please add the ministry's source")
        suggestions.suggest(con, key=KEY, figure="EV share of new vehicle sales, India, 2024", proposed="7.9",
                            source_url="https://example.org/ev-2024", email="reader@example.org",
                            note="The ministry's figure", session="reader")
        upload = folder / "india.xlsx"
        upload.write_bytes(_with_a_changed_figure(bulk.template(con, "IND")))
    finally:
        con.close()
    proc, url = serve(db)
    yield url, upload
    stop(proc)


def _walk(page, base: str, role: str, name: str, address: str, upload: Path) -> list[str]:
    """Every developer word the page shows, each prefixed with the page it is on."""
    _goto(page, f"{base}/{address}")
    if address == "bulk_upload":  # the preview and its table of changes
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(upload)
        page.get_by_text("3. Check the preview").wait_for()
        wait_for_app(page)
    elif address == "iea_import":  # what an import would change, and the rows it skips
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(IEA_FILE)
        page.get_by_text("What would change").wait_for()
        wait_for_app(page)
    text = page_words(page, f"{role}-{name}", WIDTH, tables=True)
    for own in (upload.name, IEA_FILE.name):  # the name of the file the person chose is theirs
        text = text.replace(own, "the file")
    return [f"{name}: {word}" for word in sorted(set(developer_words(text)))]


@pytest.mark.parametrize("role", list(ROLES))
def test_signed_in_pages_speak_plain_words(app, browser, role: str) -> None:
    base, upload = app
    email, pages = ROLES[role]
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    try:
        _goto(page, base)  # the entry page first: it sets up the navigation for deep links
        _sign_in(page, base, email)
        nav = page.get_by_test_id("stSidebarNav")
        for title in NAVIGATION[role]:
            expect(nav.get_by_role("link", name=title, exact=True)).to_be_visible()
        found = [word for name, address in pages.items() for word in _walk(page, base, role, name, address, upload)]
    finally:
        context.close()
    assert not found, f"the {role} sees developer words:\n" + "\n".join(found)


def test_the_check_catches_empty_values_shown_as_code() -> None:
    assert len(developer_words("Reviewer's comment: None · Value: nan · When: NaT")) == 3
    assert developer_words("None of the countries has a target; no figure yet; Nanjing") == []
