"""Text a focal point typed is shown as text on the review queue and the public pages: no Markdown, HTML, images,
colours, icons or links from it (tests/fixtures/hostile_text.txt holds the cases)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ctatracker.model.enums import Role
from ctatracker.model.schema import Need, Source
from ctatracker.store import auth, review
from ctatracker.store.database import connect
from ctatracker.store.permissions import Actor
from dashboard.safe_text import JOINER, as_shown
from tests.app.conftest import open_signed_in
from tests.app.test_contribute_pages import FOCAL, PASSWORD, SECRETARIAT

CORPUS = Path(__file__).parent.parent / "fixtures" / "hostile_text.txt"
HOSTILE = [line.replace("\\n", "\n") for line in CORPUS.read_text(encoding="utf-8").splitlines()
           if line and not line.startswith("# ")]
NEED = "\n".join(HOSTILE)
TITLE = "Report ![x](http://evil.example/t.png) :red[Call +1 555 0100] <img src=http://evil.example/i.png>"
LINES = [" ".join(line.split()) for line in re.split(r"\r\n|\r|\n", NEED) if line.strip()]


def _active_markup(source: str) -> list[str]:
    """Markup from the corpus that a Markdown renderer (GitHub autolinks, Streamlit directives) would act on.

    The pages' own markup (e.g. the cooperation page's red 'needs support' flag) is not looked for."""
    bare = re.sub(r"\\.", "", source)  # escaped characters are shown as they are
    patterns = [r"!\[", r"<\s*(img|script)", r":[\w-]+\[(Call|urgent|of|tiny|\?|glow|x\]|escaped)",
                r"\]\((?:https?://)?[^)]*evil", r"https?://evil", r"www\.evil", r"\w@evil", r":material[/_]",
                r":(warning|streamlit):", r"\$x\^2\$", r"\*\*bold\*\*"]
    return [p for p in patterns if re.search(p, bare.replace(JOINER, "\x00"), re.IGNORECASE)]


def _markdown_sources(at: AppTest) -> list[str]:
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "header", "subheader")
    return [str(e.value) for kind in kinds for e in getattr(at, kind)] + [e.label for e in at.expander]


def _assert_inert_and_shown(at: AppTest, lines: list[str]) -> None:
    sources = _markdown_sources(at)
    for source in sources:
        assert _active_markup(source) == [], source
    shown = as_shown("\n".join(sources)).replace("  \n", "\n")
    for line in lines:
        assert line in shown, line


@pytest.fixture()
def db(seed_copy: Path, point_at) -> Path:
    """A copy of the seed database with accounts and a pending need full of markup, citing a new source."""
    path = seed_copy
    con = connect(path)
    auth.add_user(con, FOCAL, "focal_point", country="IND", password=PASSWORD, name="India focal point")
    auth.add_user(con, SECRETARIAT, "secretariat", password=PASSWORD)
    source = Source(id="hostile-2025", title=TITLE, publisher="Ministry :blue[of] Truth", year=2025,
                    url="https://reports.example.org/a(b)")
    need = Need(country_iso3="IND", action_area_code="charging_grid", need=NEED, source_id=source.id,
                submitted_by=FOCAL)
    actor = Actor(name=FOCAL, role=Role.FOCAL_POINT, country_iso3="IND")
    review.propose(con, actor, [review.change_now(con, source), review.change_now(con, need)],
                   note="see ![x](http://evil.example/n.png)")
    con.close()
    point_at(path)
    return path


@pytest.fixture()
def approved(db: Path) -> Path:
    """The hostile need approved through the review queue."""
    at = open_signed_in("views/review_queue.py", SECRETARIAT)
    at.button(key="review_approve").click().run()
    assert "Approved: 2 records" in "\n".join(str(s.value) for s in at.success)
    return db


def test_the_reviewer_sees_the_full_text_as_text_before_approving(db: Path) -> None:
    at = open_signed_in("views/review_queue.py", SECRETARIAT)
    _assert_inert_and_shown(at, [*LINES, " ".join(TITLE.split())])
    table = at.dataframe[0].value
    proposed = "\n".join(table["proposed change"])
    assert NEED in proposed and "..." not in proposed  # nothing cut at 77 characters


@pytest.mark.parametrize(("page", "params"), [("views/country.py", {"country": "IND"}),
                                              ("views/cooperation.py", {"country": "IND"})])
def test_public_pages_show_the_approved_need_as_text(approved: Path, page: str, params: dict) -> None:
    at = open_signed_in(page, None, params)
    if page.endswith("cooperation.py"):  # a need sits in one list item: its lines are joined by spaces
        _assert_inert_and_shown(at, [" ".join(NEED.split())])
    else:
        _assert_inert_and_shown(at, LINES)
    sources = "\n".join(_markdown_sources(at))
    if page.endswith("country.py"):
        assert "[reports.example.org](https://reports.example.org/a%28b%29)" in sources  # linked by its domain
        assert " ".join(TITLE.split()) in as_shown(sources)


def test_a_need_shown_escaped_is_not_the_raw_text(approved: Path) -> None:
    """Without escaping, the page source would hold the raw markup: the check above would have caught it."""
    at = open_signed_in("views/country.py", None, {"country": "IND"})
    assert all(NEED not in s for s in _markdown_sources(at))
    assert _active_markup(NEED)  # the corpus itself is live markup
