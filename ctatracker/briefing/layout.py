"""The deck's page layout (python-pptx): text boxes, titles, and the Deck that adds slides with their footers,
notes, pictures and tables. `ctatracker.briefing.deck` writes the slides themselves.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from ctatracker.briefing import template_check
from ctatracker.briefing.content import BOTTOM, CHART_W, INNER, LEFT, TOP, PackData, PackRefused, ranges
from ctatracker.briefing.key_messages import KeyMessage
from ctatracker.charts import gaps as gc

WIDTH, HEIGHT = 13.333, 7.5  # inches, 16:9
NAVY, GREY, DARK = RGBColor(0x1F, 0x3A, 0x5F), RGBColor(0x66, 0x66, 0x66), RGBColor(0x22, 0x22, 0x22)
TEXT_X = LEFT + CHART_W + 0.25
"""Left edge of the sentences beside a chart, in inches."""
FOOTNOTE_CHARS = 190
"""Longest footnote line (8 pt across the slide); a slide citing more lists its numbers only."""



def _text(slide: Any, box: tuple[float, float, float, float], paragraphs: Sequence[str | tuple[str, dict]],
          size: float = 14, bullets: bool = False, colour: RGBColor = DARK, fit: bool = True) -> Any:
    """A text box of paragraphs; a paragraph given as (text, {"bold": True, "size": 12, "colour": ...})."""
    shape = slide.shapes.add_textbox(*(Inches(v) for v in box))
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE if fit else MSO_AUTO_SIZE.NONE  # fit: a safety net
    for i, item in enumerate(paragraphs):
        text, style = (item, {}) if isinstance(item, str) else item
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = p.add_run()
        run.text = text
        run.font.size = Pt(style.get("size", size))
        run.font.bold = style.get("bold", False)
        run.font.color.rgb = style.get("colour", colour)
        p.space_after = Pt(style.get("after", 6 if bullets else 2))
        if bullets and not style.get("plain"):
            ppr = p._p.get_or_add_pPr()
            ppr.set("marL", str(Inches(0.25)))
            ppr.set("indent", str(-Inches(0.25)))
            bullet = ppr.makeelement(qn("a:buChar"), {"char": "•"})
            ppr.append(bullet)
    return shape


def _title(slide: Any, text: str, branded: bool = False) -> None:
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(LEFT), Inches(0.3), Inches(INNER), Inches(0.85)
    title.text = text
    frame = title.text_frame
    frame.word_wrap = True
    for p in frame.paragraphs:
        p.alignment = PP_ALIGN.LEFT
        for r in p.runs:
            r.font.size, r.font.bold = Pt(26), True
            if not branded:  # a template's own title colour and font are kept
                r.font.color.rgb = NAVY


def open_template(template: Path | str | bytes | None) -> Any:
    """The presentation to build on: the secretariat's template with its slides removed (its masters, theme fonts
    and logo kept), or the plain default. A file that is not a PowerPoint presentation raises PackRefused."""
    if template is None:
        return Presentation()
    template_check.check_package(template)  # no macros, embedded objects or outside links go into a pack
    try:
        prs = Presentation(io.BytesIO(template) if isinstance(template, bytes) else str(template))
    except Exception as exc:  # python-pptx raises several kinds for a file that is not a .pptx
        raise PackRefused("The template is not a PowerPoint presentation (.pptx): save it from PowerPoint as "
                          "a .pptx file and try again. Nothing was written.") from exc
    template_check.check_layouts(prs)
    ids = prs.slides._sldIdLst
    for sld in list(ids):
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)
    return prs


def _layout(prs: Any, names: Sequence[str]) -> Any:
    """The slide layout of that name, else the one with a title and the fewest other placeholders."""
    for layout in prs.slide_layouts:
        if layout.name in names:
            return layout
    titled = [lay for lay in prs.slide_layouts
              if any(ph.placeholder_format.type in (1, 3) for ph in lay.placeholders)]  # TITLE, CENTER_TITLE
    if not titled:
        raise PackRefused("The template has no slide layout with a title: add a 'Title Only' layout to its "
                          "slide master and try again. Nothing was written.")
    return min(titled, key=lambda lay: len(lay.placeholders))


class Deck:
    """A 16:9 presentation with the pack's footer and notes on every slide."""

    def __init__(self, data: PackData, planned: Sequence[str], template: Path | str | bytes | None = None) -> None:
        self.data = data
        self.planned = set(planned)
        self.slots: list[tuple[Any, str, tuple[float, float, float, float]]] = []
        self.prs = open_template(template)
        self.branded = template is not None
        self.prs.slide_width, self.prs.slide_height = Inches(WIDTH), Inches(HEIGHT)
        self.layout = _layout(self.prs, ("Title Only", "Title only"))
        self.cover = _layout(self.prs, ("Title Slide", "Title slide"))
        self.titles: list[str] = []

    def slide(self, title: str, source_ids: Sequence[str], notes: Sequence[str], cover: bool = False) -> Any:
        """A new slide with title, footer (sources as [n], tracker, data date, slide number) and notes."""
        slide = self.prs.slides.add_slide(self.cover if cover else self.layout)
        for ph in list(slide.placeholders):  # only the title is used: empty placeholders would show
            if ph.placeholder_format.idx != 0:
                ph._element.getparent().remove(ph._element)
        self.titles.append(title)
        _title(slide, title, self.branded)
        refs = [n for i in source_ids if (n := self.data.refs.number(i)) is not None]
        data_date = f"{self.data.data_as_of:%d %b %Y}" if self.data.data_as_of is not None else "not recorded"
        order = self.data.refs.order
        foot = "   ".join(f"[{n}] {self.data.refs.short(order[n - 1])}" for n in sorted(set(refs)))
        if len(foot) > FOOTNOTE_CHARS:
            foot = f"Sources [{ranges(refs)}]: listed in the speaker notes and in the References appendix"
        if refs:
            _text(slide, (LEFT, 6.88, INNER, 0.27), [foot], size=8, colour=GREY, fit=False)
        _text(slide, (LEFT, 7.13, 11.2, 0.27), [f"Clean Transport Asia Tracker · data as of {data_date}"],
              size=8, colour=GREY, fit=False)
        _text(slide, (12.3, 7.13, 0.53, 0.27), [str(len(self.titles))], size=8, colour=GREY, fit=False)
        head = [f"Sources and years for the slide “{title}”.", ""]
        tail = ["", "References:"] + [f"[{n}] {self.data.refs.cite(order[n - 1])}" for n in sorted(set(refs))]
        slide.notes_slide.notes_text_frame.text = "\n".join([*head, *notes, *(tail if refs else [])])
        return slide

    def picture(self, slide: Any, key: str, box: tuple[float, float, float, float]) -> bool:
        """Keep a place for an exported figure (filled by `finish`); False when the figure is not planned."""
        if key not in self.planned:
            return False
        self.slots.append((slide, key, box))
        return True

    def finish(self, path: Path) -> list[str]:
        """Put each exported figure in its place, fitted to its box with its proportions kept; save the deck."""
        for slide, key, (left, top, width, height) in self.slots:
            png = self.data.images.get(key)
            if not png:
                _text(slide, (left, top, width, 0.5), [f"The figure ({key.replace('_', ' ')}) could not be drawn."])
                continue
            pic = slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(top))
            ratio = min(Inches(width) / pic.width, Inches(height) / pic.height)
            pic.width, pic.height = Emu(int(pic.width * ratio)), Emu(int(pic.height * ratio))
        path.parent.mkdir(parents=True, exist_ok=True)
        self.prs.save(str(path))
        return self.titles

    def table(self, slide: Any, header: Sequence[str], rows: Sequence[Sequence[str]], box: tuple[float, float, float],
              widths: Sequence[float], size: int = 11, fills: dict[tuple[int, int], str] | None = None) -> None:
        """A table at (left, top, width); `fills` colours cells (row, column) of the body."""
        left, top, width = box
        shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(left), Inches(top), Inches(width),
                                       Inches(0.3 * (len(rows) + 1)))
        table = shape.table
        for c, w in enumerate(widths):
            table.columns[c].width = Inches(w)
        for r, values in enumerate([header, *rows]):
            table.rows[r].height = Inches(0.3)
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.margin_top = cell.margin_bottom = Inches(0.03)
                cell.text = str(value)
                for p in cell.text_frame.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(size)
                        run.font.bold = r == 0
                fill = (fills or {}).get((r - 1, c)) if r else None
                if fill:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = RGBColor.from_string(fill.lstrip("#").upper())
                    for run in cell.text_frame.paragraphs[0].runs:
                        run.font.color.rgb = RGBColor.from_string(gc.text_colour(fill).lstrip("#"))


def chart_slide(deck: Deck, title: str, key: str, messages: Sequence[KeyMessage], notes: Sequence[str],
                source_ids: Sequence[str], lead: str | None = None) -> Any:
    """A key message slide: the chart on the left, its sentences beside it (the whole width without a chart)."""
    ids = sorted(set(source_ids) | {s for m in messages for s in m.source_ids})
    slide = deck.slide(title, ids, [*notes, "", *deck.data.figure_notes(messages)])
    drawn = deck.picture(slide, key, (LEFT, TOP, CHART_W, BOTTOM - TOP))
    x, w = (TEXT_X, LEFT + INNER - TEXT_X) if drawn else (LEFT, INNER)
    paras: list[str | tuple[str, dict]] = [(lead, {"size": 12, "colour": GREY, "plain": True, "after": 8})] \
        if lead else []
    paras += [(m.text, {"size": 14 if drawn else 17, "after": 10}) for m in messages]
    _text(slide, (x, TOP, w, BOTTOM - TOP), paras, bullets=True)
    return slide
