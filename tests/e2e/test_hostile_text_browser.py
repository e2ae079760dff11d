"""In a real browser: a need full of markup shows as its text, and nothing from it is fetched, linked or coloured."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ctatracker.model.enums import Role
from ctatracker.model.schema import Need
from ctatracker.store.database import connect, write_rows
from ctatracker.store.permissions import Actor
from tests.e2e.conftest import screenshot, serve, stop, wait_for_app

pytestmark = pytest.mark.e2e

CORPUS = Path(__file__).parent.parent / "fixtures" / "hostile_text.txt"
HOSTILE = [line.replace("\\n", "\n") for line in CORPUS.read_text(encoding="utf-8").splitlines()
           if line and not line.startswith("# ")]
NEED = "\n".join(HOSTILE)


@pytest.fixture()
def hostile_db(seed_copy: Path) -> Path:
    path = seed_copy
    con = connect(path)
    write_rows(con, [Need(country_iso3="IND", action_area_code="charging_grid", need=NEED,
                          submitted_by="sec@alp.example")], Actor(name="sec@alp.example", role=Role.SECRETARIAT))
    con.close()
    return path


@pytest.mark.parametrize("path", ["country", "cooperation"])
def test_a_hostile_need_is_shown_as_text(browser, hostile_db: Path, path: str) -> None:
    proc, url = serve(hostile_db)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url) if "evil" in r.url else None)
        page.goto(f"{url}/{path}?country=IND")
        wait_for_app(page)
        page.get_by_text("Call this number").first.wait_for(timeout=30_000)
        assert fetched == []  # the beacon image was never requested
        assert page.locator("img[src*='evil'], a[href*='evil'], a[href^='javascript'], script:not([src])"
                            ).filter(has_text="alert").count() == 0
        assert page.locator("img[src*='evil']").count() == 0 and page.locator("a[href*='evil']").count() == 0
        assert page.locator("a[href^='mailto'], a[href^='javascript']").count() == 0
        assert page.locator(".stMarkdownColoredText, .stMarkdownColoredBackground").filter(
            has_text=re.compile("Call this number|urgent|of")).count() == 0
        text = page.locator("[data-testid='stMain']").inner_text().replace("\u2060", "")
        flat = " ".join(text.split())
        for line in HOSTILE:
            for part in re.split(r"\r\n|\r|\n", line):
                assert " ".join(part.split()) in flat, part
        screenshot(page, f"hostile-text-{path}")
        page.close()
    finally:
        stop(proc)
