"""The deck's page layout (python-pptx), for reading from the back of a room: titles at 28 pt, body text at 16 pt
(never below 14), tables at 14 pt (never below 12) with at most eight rows, no text shrunk to fit, charts placed in
their boxes with their alt text, and on every slide a short numbered source line, the tracker and the data date.
The slides themselves are written by `regional_slides`, `country_slides` and `appendix_slides`."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from ctatracker.briefing import template_check
from ctatracker.briefing.content import (
    AUTHOR,
    BOTTOM,
    INNER,
    LEFT,
    TOP,
    Chart,
    PackData,
    PackRefused,
    ranges,
)
from ctatracker.charts import gaps as gc

WIDTH, HEIGHT = 13.333, 7.5  # inches, 16:9
NAVY, GREY, DARK = RGBColor(0x1F, 0x3A, 0x5F), RGBColor(0x55, 0x55, 0x55), RGBColor(0x22, 0x22, 0x22)
BODY_PT, MIN_BODY_PT, TABLE_PT, MIN_TABLE_PT, TITLE_PT, FOOT_PT = 18, 14, 14, 12, 28, 10
MAX_TABLE_ROWS = 8
FOOTNOTE_CHARS = 175
"""Longest source line (10 pt across the slide); a slide citing more gives its numbers only."""
FOOTER = "Footer"
"""Name of the shapes that are the footer (sources line, tracker and date, slide number): not body text."""

Paragraph = str | tuple[str, dict]
"""A paragraph: its text, or (text, {"size": 16, "bold": True, "colour": NAVY, "bullet": True, "after": 6})."""


def text_box(slide: Any, box: tuple[float, float, float, float], paragraphs: Sequence[Paragraph],
             size: float = BODY_PT, colour: RGBColor = DARK, name: str = "Body",
             anchor: MSO_ANCHOR = MSO_ANCHOR.TOP) -> Any:
    """A text box of paragraphs at a fixed size (never shrunk to fit); a paragraph given as (text, style)."""
    shape = slide.shapes.add_textbox(*(Inches(v) for v in box))
    shape.name = name
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    for i, item in enumerate(paragraphs):
        text, style = (item, {}) if isinstance(item, str) else item
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        for j, part in enumerate(text.split("**")):  # **bold** runs
            if not part:
                continue
            run = p.add_run()
            run.text = part
            run.font.size = Pt(style.get("size", size))
            run.font.bold = style.get("bold", False) or j % 2 == 1
            run.font.color.rgb = style.get("colour", colour)
        p.space_after = Pt(style.get("after", 8))
        if style.get("bullet"):
            ppr = p._p.get_or_add_pPr()
            ppr.set("marL", str(Inches(0.3)))
            ppr.set("indent", str(-Inches(0.3)))
            ppr.append(ppr.makeelement(qn("a:buChar"), {"char": "•"}))
    return shape


def _title(slide: Any, text: str, branded: bool, size: float = TITLE_PT) -> None:
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(LEFT), Inches(0.3), Inches(INNER), Inches(0.9)
    title.text = text
    frame = title.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    for p in frame.paragraphs:
        p.alignment = PP_ALIGN.LEFT
        for r in p.runs:
            r.font.size, r.font.bold = Pt(size), True
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


def set_properties(props: Any, title: str, subject: str, keywords: str, when: dt.datetime) -> None:
    """Document properties of a deck or a brief: title, subject, the secretariat as author and last editor."""
    props.title, props.subject, props.keywords = title, subject, keywords
    props.author = props.last_modified_by = AUTHOR
    props.category, props.comments = "Briefing", "Drafted from the Clean Transport Asia Tracker's data."
    props.created = props.modified = when
    props.last_printed = when
    props.revision = 1


class Deck:
    """A 16:9 presentation with the pack's footer and notes on every slide; slides before the first appendix
    slide are the main slides."""

    def __init__(self, data: PackData, charts: dict[str, Chart], template: Path | str | bytes | None = None) -> None:
        self.data = data
        self.charts = charts
        self.slots: list[tuple[Any, Chart, tuple[float, float, float, float]]] = []
        self.prs = open_template(template)
        self.branded = template is not None
        self.prs.slide_width, self.prs.slide_height = Inches(WIDTH), Inches(HEIGHT)
        self.layout = _layout(self.prs, ("Title Only", "Title only"))
        self.cover = _layout(self.prs, ("Title Slide", "Title slide"))
        self.titles: list[str] = []
        self.main = 0
        """How many main slides there are (set when the first appendix slide is added)."""

    def slide(self, title: str, source_ids: Sequence[str], notes: Sequence[str], cover: bool = False,
              appendix: bool = False) -> Any:
        """A new slide with title, footer (sources as [n], tracker, data date, slide number) and notes."""
        if appendix and not self.main:
            self.main = len(self.titles)
        slide = self.prs.slides.add_slide(self.cover if cover else self.layout)
        for ph in list(slide.placeholders):  # only the title is used: empty placeholders would show
            if ph.placeholder_format.idx != 0:
                ph._element.getparent().remove(ph._element)
        self.titles.append(title)
        _title(slide, title, self.branded)
        refs = sorted({n for i in source_ids if (n := self.data.refs.number(i)) is not None})
        order = self.data.refs.order
        foot = "Sources: " + "   ".join(f"[{n}] {self.data.refs.short(order[n - 1])}" for n in refs)
        if len(foot) > FOOTNOTE_CHARS:
            foot = f"Sources [{ranges(refs)}]: listed under Sources at the end"
        if refs:
            text_box(slide, (LEFT, 6.82, INNER, 0.3), [foot], size=FOOT_PT, colour=GREY, name=FOOTER)
        data_date = f"{self.data.data_as_of:%d %b %Y}" if self.data.data_as_of is not None else "not recorded"
        text_box(slide, (LEFT, 7.1, 11.2, 0.3), [f"Clean Transport Asia Tracker · data as of {data_date}"],
                 size=FOOT_PT, colour=GREY, name=FOOTER)
        text_box(slide, (12.2, 7.1, 0.63, 0.3), [str(len(self.titles))], size=FOOT_PT, colour=GREY, name=FOOTER)
        head = [f"Sources and years for the slide “{title}”.", ""]
        tail = ["", "References:"] + [f"[{n}] {self.data.refs.cite(order[n - 1])}" for n in refs]
        slide.notes_slide.notes_text_frame.text = "\n".join([*head, *notes, *(tail if refs else [])])
        return slide

    def chart(self, slide: Any, key: str, box: tuple[float, float, float, float] | None = None) -> bool:
        """Keep a place for a drawn chart (filled by `finish`); False when there is no such chart."""
        chart = self.charts.get(key)
        if chart is None:
            return False
        self.slots.append((slide, chart, box or chart.box))
        return True

    def alt_text(self, chart: Chart) -> str:
        """What a chart shows and its sources, for a reader who cannot see it."""
        refs = self.data.refs
        cited = "; ".join(dict.fromkeys(refs.short(s) for s in chart.source_ids if refs.number(s)))
        return f"Chart: {chart.title}." + (f" Source: {cited}." if cited else "")

    def finish(self, path: Path) -> list[str]:
        """Put each drawn chart in its place, fitted to its box with its proportions kept and its alt text; set the
        document properties; save the deck."""
        for slide, chart, (left, top, width, height) in self.slots:
            png = self.data.images.get(chart.key)
            if not png:
                text_box(slide, (left, top, width, 0.6), [f"The chart ({chart.title}) could not be drawn."])
                continue
            pic = slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(top))
            ratio = min(Inches(width) / pic.width, Inches(height) / pic.height)
            pic.width, pic.height = Emu(int(pic.width * ratio)), Emu(int(pic.height * ratio))
            pic.name = f"Chart: {chart.title}"[:250]
            pic._element.nvPicPr.cNvPr.set("descr", self.alt_text(chart))
        d = self.data
        set_properties(self.prs.core_properties, d.pack_title(), d.pack_subject(), d.keywords(),
                       dt.datetime.combine(d.as_of, dt.time(12)))
        path.parent.mkdir(parents=True, exist_ok=True)
        self.prs.save(str(path))
        if not self.main:
            self.main = len(self.titles)
        return self.titles

    def table(self, slide: Any, header: Sequence[str], rows: Sequence[Sequence[str]],
              box: tuple[float, float, float], widths: Sequence[float], size: float = TABLE_PT,
              fills: dict[tuple[int, int], str] | None = None, row_height: float = 0.5) -> float:
        """A table at (left, top, width) of at most eight rows; `fills` colours cells (row, column) of the body.
        Returns its height in inches."""
        if len(rows) > MAX_TABLE_ROWS or size < MIN_TABLE_PT:
            raise ValueError(f"a slide table holds at most {MAX_TABLE_ROWS} rows at {MIN_TABLE_PT} pt or more")
        left, top, width = box
        height = row_height * (len(rows) + 1)
        shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(left), Inches(top), Inches(width),
                                       Inches(height))
        shape.name = "Table"
        table = shape.table
        for c, w in enumerate(widths):
            table.columns[c].width = Inches(w)
        for r, values in enumerate([header, *rows]):
            table.rows[r].height = Inches(row_height)
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.margin_top = cell.margin_bottom = Inches(0.04)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
                cell.text = str(value)
                cell.text_frame.word_wrap = True
                cell.text_frame.auto_size = MSO_AUTO_SIZE.NONE
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
        return height


def card(slide: Any, box: tuple[float, float, float, float], label: str, value: str, status: str,
         colour: str) -> None:
    """A key figure: what it answers, its value large, its status on a band of its group's colour."""
    left, top, width, height = box
    frame = slide.shapes.add_shape(1, *(Inches(v) for v in box))  # MSO_SHAPE.RECTANGLE
    frame.name = "Card"
    frame.fill.solid()
    frame.fill.fore_color.rgb = RGBColor(0xF4, 0xF6, 0xF9)
    frame.line.color.rgb = RGBColor(0xC8, 0xD0, 0xDA)
    frame.text_frame.text = ""
    text_box(slide, (left + 0.15, top + 0.1, width - 0.3, 0.85), [(label, {"size": 16, "colour": GREY})],
             name="Body")
    text_box(slide, (left + 0.15, top + 0.95, width - 0.3, height - 1.65), [(value, {"size": 24, "bold": True})],
             name="Body", anchor=MSO_ANCHOR.MIDDLE)
    band = slide.shapes.add_shape(1, Inches(left), Inches(top + height - 0.65), Inches(width), Inches(0.65))
    band.name = "Status"
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
    band.line.fill.background()
    tf = band.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = MSO_ANCHOR.MIDDLE
    tf.text = status
    for p in tf.paragraphs:
        for run in p.runs:
            run.font.size, run.font.bold = Pt(16), True
            run.font.color.rgb = RGBColor.from_string(gc.text_colour(colour).lstrip("#"))


def chart_with_panel(deck: Deck, title: str, key: str, panel: Sequence[Paragraph], notes: Sequence[str],
                     source_ids: Sequence[str]) -> Any:
    """A chart on the left and a few lines beside it (the whole width for the lines when there is no chart)."""
    chart = deck.charts.get(key)
    ids = sorted(set(source_ids) | set(chart.source_ids if chart else ()))
    slide = deck.slide(title, ids, notes)
    drawn = deck.chart(slide, key)
    x = chart.box[0] + chart.box[2] + 0.3 if drawn and chart else LEFT
    text_box(slide, (x, TOP, LEFT + INNER - x, BOTTOM - TOP), panel)
    return slide


MAX_WORDS = 60
"""Words a main slide carries at most, besides its title, notes and source line."""


def word_count(text: str) -> int:
    """Words in a text: tokens with a letter in them (a number alone in a table cell is not a word)."""
    return sum(1 for token in text.split() if any(ch.isalpha() for ch in token))


def within(paragraphs: Sequence[Paragraph], budget: int, more: str = "{n} more in the speaker notes.",
           keep_last: bool = False) -> list[Paragraph]:
    """The paragraphs, in order, that fit in `budget` words, the last one kept whatever if `keep_last`; `more` (in
    grey, '{n}' the number left out) in place of those left out."""
    sizes = [word_count(p if isinstance(p, str) else p[0]) for p in paragraphs]
    if sum(sizes) <= budget:
        return list(paragraphs)
    last = list(paragraphs[-1:]) if keep_last else []
    out: list[Paragraph] = []
    used = word_count(more) + (sizes[-1] if keep_last else 0)
    for p, n in zip(paragraphs[:len(paragraphs) - len(last)], sizes, strict=False):
        if used + n <= budget:
            out.append(p)
            used += n
    left_out = len(paragraphs) - len(out) - len(last)
    return [*out, *last, (more.format(n=left_out), {"colour": GREY, "size": 16})]
