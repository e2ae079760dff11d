"""The packs as a reader sees them: a regional pack and a one-country pack for Sri Lanka, figures through kaleido,
rendered by LibreOffice to PDF. One page per slide, no text outside its page, every chart's categories labelled
(checked on the figures before export), at most two reference slides, a Word brief of two to four pages whose
tables repeat their header rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from pptx import Presentation

from ctatracker.briefing import figure_check, pack
from ctatracker.store.database import connect
from pipelines import render_check
from tests.conftest import kaleido_browser_missing, render_tools_missing, require

pytestmark = pytest.mark.xdist_group("pack_render")  # each pack is rendered once, for all the tests reading it
AS_OF = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def con(built_db: Path) -> Iterator[Any]:
    connection = connect(built_db, read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module", params=[("regional", None), ("sri-lanka", ["LKA"])], ids=["regional", "LKA"])
def rendered(request: pytest.FixtureRequest, con: Any, tmp_path_factory: pytest.TempPathFactory):
    require(render_tools_missing())
    require(kaleido_browser_missing())
    stem, countries = request.param
    out = tmp_path_factory.mktemp(stem)
    result = pack.build_pack(con, countries=countries, action_areas=None, out_pptx=out / f"{stem}.pptx",
                                 out_docx=out / f"{stem}.docx", as_of=AS_OF)
    deck_pdf = render_check.to_pdf(result.pptx, out / "deck")
    brief_pdf = render_check.to_pdf(result.docx, out / "brief")
    return result, render_check.pages(deck_pdf), render_check.pages(brief_pdf)


def test_one_page_per_slide_and_no_text_outside_its_page(rendered) -> None:
    result, deck_pages, _ = rendered
    assert len(deck_pages) == len(result.slide_titles)
    for page, title in zip(deck_pages, result.slide_titles, strict=True):
        assert page.width > page.height  # 16:9
        assert not page.outside(), (title, [w.text for w in page.outside()][:10])
        assert title.split(":")[0].split(" ")[0] in page.text(), title  # the slide drawn is the slide meant


def test_the_title_slide_names_an_upcoming_event_and_the_data_date(rendered) -> None:
    result, deck_pages, _ = rendered
    first = deck_pages[0].text()
    assert result.slide_titles[:2] == ["COP32", "Agenda"]  # COP31 ended on 20 Nov 2026: COP32 is next
    assert "Addis Ababa, Ethiopia" in first and "Data as of" in first


def test_every_chart_has_all_its_labels_and_no_overlapping_markers(rendered) -> None:
    result, _, _ = rendered
    assert result.figure_problems == []


def test_at_most_two_reference_slides_and_footnotes_on_the_slides(rendered) -> None:
    result, _, _ = rendered
    assert 1 <= sum(t.startswith("References") for t in result.slide_titles) <= 2
    deck = Presentation(str(result.pptx))
    for slide, title in zip(list(deck.slides)[2:], result.slide_titles[2:], strict=True):
        if title.startswith("References"):
            continue
        assert "data as of" in " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_the_brief_is_two_to_four_pages_with_repeated_table_headers(rendered) -> None:
    result, _, brief_pages = rendered
    assert 2 <= len(brief_pages) <= 4
    assert not any(p.outside() for p in brief_pages)
    doc = Document(str(result.docx))
    assert doc.tables
    for table in doc.tables:
        header = table.rows[0]._tr
        assert header.find(qn("w:trPr")) is not None and header.trPr.find(qn("w:tblHeader")) is not None


def test_the_checks_catch_an_unlabelled_axis_and_overlapping_markers(con) -> None:
    """The figure checks themselves can fail: a category axis left to Plotly and markers too big for their rows."""
    import plotly.graph_objects as go

    names = [f"Country {i}" for i in range(17)]
    fig = go.Figure(go.Heatmap(z=[[1]] * 17, y=names, x=["a"]))
    assert any("unlabelled" in p for p in figure_check.problems(fig, 400, "scorecard"))
    assert figure_check.problems(figure_check.label_every_category(fig), 400, "scorecard") == []
    crowded = go.Figure([go.Scatter(x=[2020] * 17, y=names, offsetgroup=g, marker={"size": 20}) for g in "ab"])
    figure_check.label_every_category(crowded)
    assert any("overlap" in p for p in figure_check.problems(crowded, 500, "euro"))
