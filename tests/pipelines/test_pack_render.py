"""The packs as a reader sees them: a regional pack and a one-country pack for Sri Lanka, charts through kaleido,
rendered by LibreOffice to PDF. One page per slide, no text outside its page; at most twelve main slides, the
one-country pack naming its country in every main title; body text of 14 pt or more (12 pt in tables), nothing
shrunk to fit, about sixty words a slide at most; every chart with alt text saying what it shows and its source;
document properties set; an A4 brief with a short summary, a chart per ambition and the sources in full."""

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
from ctatracker.briefing.content import AUTHOR
from ctatracker.briefing.layout import word_count
from ctatracker.store.database import connect
from pipelines import render_check
from tests.conftest import kaleido_browser_missing, render_tools_missing, require

pytestmark = pytest.mark.xdist_group("pack_render")  # each pack is rendered once, for all the tests reading it
AS_OF = dt.date(2026, 11, 30)
GENERIC = ("image.png", "picture", "image", "")


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
    return result, render_check.pages(deck_pdf), render_check.pages(brief_pdf), render_check.measure_deck(result.pptx)


def test_one_page_per_slide_and_no_text_outside_its_page(rendered) -> None:
    result, deck_pages, _, _ = rendered
    assert len(deck_pages) == len(result.slide_titles)
    for page, title in zip(deck_pages, result.slide_titles, strict=True):
        assert page.width > page.height  # 16:9
        assert not page.outside(), (title, [w.text for w in page.outside()][:10])
        assert title.split(":")[0].split(" ")[0] in page.text(), title  # the slide drawn is the slide meant


def test_a_storyline_of_at_most_twelve_main_slides_then_the_appendix(rendered) -> None:
    result, deck_pages, _, measured = rendered
    main = [m for m in measured if m.main]
    assert 6 <= len(main) == result.main_slides <= 12
    assert all(not m.main for m in measured[len(main):])  # the appendix follows the main slides
    assert measured[-1].title.startswith("Sources")
    first = deck_pages[0].text()
    assert "COP32" in result.slide_titles[0] and "Addis Ababa, Ethiopia" in first and "Data as of" in first
    if result.pptx.stem == "sri-lanka":  # the country in every main title, never 'where the region stands'
        assert all("Sri Lanka" in m.title for m in main), [m.title for m in main]
        assert "region stands" not in " ".join(p.text() for p in deck_pages)
    else:
        assert [m.title for m in main][1].startswith("The answer")
        assert sum("countries" in m.title for m in main) >= 1 and not any("where it stands" in t
                                                                            for t in result.slide_titles)


def test_slides_read_from_the_back_of_the_room(rendered) -> None:
    """Body text 14 pt or more, tables 12 pt or more, no text shrunk to fit, sixty words at most a main slide."""
    _, _, _, measured = rendered
    for m in measured:
        assert m.body_pt is None or m.body_pt >= 14, (m.title, m.body_pt)
        assert m.table_pt is None or m.table_pt >= 12, (m.title, m.table_pt)
        assert not m.shrinks, m.title
        if m.main:
            assert m.words <= 60, (m.title, m.words, m.text)


def test_every_chart_has_alt_text_naming_what_it_shows_and_its_source(rendered) -> None:
    result, _, _, measured = rendered
    alts = [a for m in measured for a in m.alt_texts]
    assert len(alts) >= 4  # a chart for each ambition and more
    for alt in alts:
        assert alt.strip().lower() not in GENERIC and alt.startswith("Chart: ") and len(alt) > 60, alt
        assert "Source: " in alt, alt
    if result.pptx.stem == "sri-lanka":
        charted = [m.title for m in measured if m.alt_texts]
        assert all("Sri Lanka" in a for m in measured for a in m.alt_texts), alts  # the country on every chart
        assert len(charted) >= 4


def test_every_chart_has_all_its_labels_and_no_overlapping_markers(rendered) -> None:
    result, _, _, _ = rendered
    assert result.figure_problems == []


def test_sources_on_every_slide_and_in_full_in_the_appendix(rendered) -> None:
    result, _, _, measured = rendered
    deck = Presentation(str(result.pptx))
    for slide in list(deck.slides)[1:]:
        footer = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert "data as of" in footer
    sources = [m for m in measured if m.title.startswith("Sources")]
    listed = "\n".join(m.text for m in sources)
    assert "…" not in listed and listed.count("[1] ") == 1
    assert all(m.body_pt == 14 for m in sources)


def test_document_properties_name_the_pack_and_the_secretariat(rendered) -> None:
    result, _, _, _ = rendered
    for props in (Presentation(str(result.pptx)).core_properties, Document(str(result.docx)).core_properties):
        assert "COP32" in props.title and props.subject and props.keywords
        assert props.author == props.last_modified_by == AUTHOR
        if result.pptx.stem == "sri-lanka":
            assert "Sri Lanka" in props.title


def test_the_brief_is_a4_with_a_short_summary_a_chart_per_ambition_and_full_sources(rendered) -> None:
    result, _, brief_pages, _ = rendered
    assert all(abs(p.width - 595.3) < 2 and abs(p.height - 841.9) < 2 for p in brief_pages)  # A4 in points
    assert 3 <= len(brief_pages) <= 8 and not any(p.outside() for p in brief_pages)
    doc = Document(str(result.docx))
    title = next(p.text for p in doc.paragraphs if p.style.name == "Title")
    assert "COP32" in title and ("Sri Lanka" in title if result.pptx.stem == "sri-lanka" else "Asia" in title)
    paragraphs = [p for p in doc.paragraphs]
    heads = [i for i, p in enumerate(paragraphs) if p.style.name.startswith("Heading")]
    start = next(i for i in heads if paragraphs[i].text == "Summary")
    end = heads[heads.index(start) + 1]
    assert word_count(" ".join(p.text for p in paragraphs[start + 1:end])) <= 120
    pictures = doc.inline_shapes
    assert len(pictures) >= 3
    assert all(s._inline.docPr.get("descr", "").startswith("Chart: ") for s in pictures)
    sources = [p.text for p in paragraphs[heads[-1] + 1:]]
    assert paragraphs[heads[-1]].text == "Sources" and sources[0].startswith("[1]\t")
    assert not any("…" in s for s in sources) and all("http" in s or "(" in s for s in sources)
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


def test_the_deck_measures_catch_small_text_shrinking_many_words_and_a_generic_alt_text(tmp_path: Path) -> None:
    """The measures the checks above rely on can fail: a deck made badly on purpose is caught on every count."""
    import io

    from PIL import Image
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Inches, Pt

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "A crowded slide"
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(3))
    box.text_frame.text = " ".join(["word"] * 70)
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(10)
    box.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    table = slide.shapes.add_table(2, 1, Inches(1), Inches(5), Inches(3), Inches(1)).table
    table.cell(0, 0).text = "cell"
    table.cell(0, 0).text_frame.paragraphs[0].runs[0].font.size = Pt(9)
    png = io.BytesIO()
    Image.new("RGB", (10, 10)).save(png, "PNG")
    slide.shapes.add_picture(io.BytesIO(png.getvalue()), Inches(9), Inches(2))
    path = tmp_path / "bad.pptx"
    prs.save(str(path))
    m = render_check.measure_deck(path)[0]
    assert m.words > 60 and m.body_pt == 10 and m.table_pt == 9 and m.shrinks
    assert m.alt_texts and not m.alt_texts[0].startswith("Chart: ")
