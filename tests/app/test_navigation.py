"""AppTest: the navigation shows anonymous readers the public pages and Sign in only; a signed-in person sees the
Contribute pages their role may use; every page still opens from its address and says who it is for."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from ctatracker.config import settings
from ctatracker.store import auth
from ctatracker.store.database import connect
from tests.app.conftest import open_signed_in

PUBLIC = ["Regional overview", "Progress charts", "Country profiles", "Compare countries", "Gap analysis",
          "Activities", "Cooperation", "Technical assistance catalogue", "Reporting status", "What changed",
          "Methodology and sources", "Download all data", "Suggest a correction"]
PASSWORD = "a long enough password"


@pytest.fixture()
def accounts(seed_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    con = connect(seed_copy)
    auth.add_user(con, "fp@lka.example", "focal_point", country="LKA", password=PASSWORD)
    auth.add_user(con, "sec@alp.example", "secretariat", password=PASSWORD)
    con.close()
    monkeypatch.setenv("CTA_DB_PATH", str(seed_copy))
    settings.cache_clear()
    yield seed_copy
    settings.cache_clear()


@pytest.fixture()
def shown(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The titles st.navigation shows on each run (hidden pages left out)."""
    seen: list[list[str]] = []
    real = st.navigation

    def spy(pages, **kwargs):
        seen.append([p.title for p in pages if p.visibility != "hidden"])
        return real(pages, **kwargs)

    monkeypatch.setattr(st, "navigation", spy)
    return seen


def test_anonymous_readers_see_the_public_pages_and_sign_in(accounts: Path, shown: list[list[str]]) -> None:
    at = open_signed_in("views/review_queue.py", None)  # opens from its address, and says who it is for
    assert shown[-1] == [*PUBLIC, "Sign in"]
    assert any("Sign in to use it" in i.value for i in at.info)


@pytest.mark.parametrize(("email", "contribute"), [
    ("fp@lka.example", ["Sign in", "My country's data", "Bulk upload", "History"]),
    ("sec@alp.example", ["Sign in", "My country's data", "Bulk upload", "Review queue", "Public suggestions",
                         "Import IEA data", "Briefing pack", "History"]),
])
def test_signed_in_people_see_the_pages_of_their_role(accounts: Path, shown: list[list[str]], email: str,
                                                      contribute: list[str]) -> None:
    open_signed_in("views/overview.py", email)
    assert shown[-1] == [*PUBLIC, *contribute]
