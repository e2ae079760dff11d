"""The briefing note (python-docx), A4: a title naming the event (and the country), a summary of a few lines, one
section per 2030 ambition with its chart and the findings' sentences, where support is needed, the asks, where each
country stands (a country's brief: its place in the region), and the sources as a numbered list at full width.
Every number is followed by its sources as [n]."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ctatracker.analysis.co2 import BASE_YEAR
from ctatracker.briefing import country_story as cs
from ctatracker.briefing import storyline as story
from ctatracker.briefing.content import Chart, PackData, SourceIndex
from ctatracker.briefing.key_messages import KeyMessage
from ctatracker.briefing.layout import set_properties, word_count

GREY = RGBColor(0x55, 0x55, 0x55)
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
CHART_CM = 15.0
"""Width of a chart on the page."""
SUMMARY_WORDS = 120


def _shade(cell: Any, hex_colour: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), hex_colour.lstrip("#"))
    props.append(shading)


def _row_props(row: Any, header: bool) -> None:
    """Keep a row on one page; the header row repeats at the top of every page the table runs onto."""
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))
    if header:
        props.append(OxmlElement("w:tblHeader"))


def _table(doc: Any, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
           size: float = 9, bold_rows: Sequence[int] = ()) -> Any:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, values in enumerate([header, *rows]):
        row = table.rows[0] if i == 0 else table.add_row()
        _row_props(row, header=i == 0)
        for cell, value, width in zip(row.cells, values, widths, strict=True):
            cell.width = Cm(width)
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(value))
            run.font.size = Pt(size)
            run.font.bold = i == 0 or (i - 1) in bold_rows
            if i == 0:
                _shade(cell, "DCE6F0")
    return table


def _caption(doc: Any, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(10)
    run = p.add_run(text)
    run.font.size, run.font.italic, run.font.color.rgb = Pt(9), True, GREY


def _para(doc: Any, text: str, ref: str = "", style: str | None = None) -> None:
    p = doc.add_paragraph(style=style)
    p.add_run(text)
    if ref:
        tail = p.add_run(f" {ref}")
        tail.font.color.rgb = GREY
    p.paragraph_format.space_after = Pt(4)


def _messages(doc: Any, messages: Sequence[KeyMessage], refs: SourceIndex) -> None:
    for m in messages:
        _para(doc, m.text, refs.ref(m.source_ids), "List Bullet")


def _chart(doc: Any, data: PackData, chart: Chart | None, refs: SourceIndex) -> None:
    """A chart at the page's width with its alt text, and a caption saying what it shows and its sources."""
    png = data.images.get(chart.key) if chart else None
    if chart is None or not png:
        return
    doc.add_picture(io.BytesIO(png), width=Cm(CHART_CM))
    cited = "; ".join(dict.fromkeys(refs.short(s) for s in chart.source_ids if refs.number(s)))
    doc.inline_shapes[-1]._inline.docPr.set("descr", f"Chart: {chart.title}." + (f" Source: {cited}." if cited
                                                                                 else ""))
    ref = refs.ref(chart.source_ids)
    _caption(doc, f"{chart.title[0].upper()}{chart.title[1:]}." + (f" Sources {ref}." if ref else ""))


def ev_cell(f: Any, refs: SourceIndex) -> str:
    """A country's 30% finding in a table cell: '2.2% in 2024 (all vehicles, derived ...) [3]', 'indicative: ...',
    'no figure'."""
    if f is None:
        return "no figure"
    if f.basis.has_figure:
        mark = ", indicative" if f.indicative else ""
        return f"{f.figure} ({f.basis.words}{mark}) {refs.ref(list(f.source_ids))}".rstrip()
    if f.evidence:
        return f"indicative: {f.evidence[0].text} {refs.ref(list(f.evidence[0].source_ids))}".rstrip()
    return "no figure"


def _countries_table(doc: Any, data: PackData, refs: SourceIndex) -> None:
    """Where each country stands: Euro VI by class, the 30% finding, transport CO2 against 2019."""
    found = data.findings
    rows, bold = [], []
    for i, (iso, name) in enumerate(zip(data.countries["iso3"], data.countries["name"], strict=True)):
        euro = {e.vehicle_class: e for e in found.euro_of(iso)}
        cells = [name]
        for vc in ("heavy_duty", "light_duty"):
            e = euro.get(vc)
            cells.append(f"{e.status_label} ({e.level}) {refs.ref(list(e.source_ids))}".strip() if e else "no data")
        cells.append(ev_cell(found.ev30_of(iso), refs))
        c = found.co2_of(iso)
        change = story.co2_change(c.latest_value, c.base_value) if c else None
        cells.append(f"{c.status_label}: {c.figure}" + (f", {story.signed(change)} against {BASE_YEAR}"
                                                        if change is not None else "")
                     + f" {refs.ref(list(c.source_ids))}" if c else "no figure")
        rows.append(cells)
        if iso == data.focus:
            bold.append(i)
    _table(doc, ["Country", "Euro VI, heavy duty", "Euro VI, light duty", "EV share of new vehicle sales",
                 f"Transport CO₂ against {BASE_YEAR}"], rows, [2.4, 3.1, 3.1, 4.4, 4.0], size=8, bold_rows=bold)
    _caption(doc, f"Status on {data.as_of:%d %b %Y}. Euro VI: the standard in force and whether Euro VI applies by "
             "2030. EV share: the latest figure with what it counts (all vehicles, or one vehicle type marked "
             f"indicative), or indicative evidence of a narrower basis. Transport CO₂: the latest figure against "
             f"{BASE_YEAR}.")


def _summary(doc: Any, lead: str, lines: Sequence[str]) -> None:
    doc.add_heading("Summary", level=1)
    budget = SUMMARY_WORDS - word_count(lead)
    _para(doc, lead)
    for line in lines:
        if word_count(line) > budget:
            break
        budget -= word_count(line)
        _para(doc, line, style="List Bullet")


def _asks(doc: Any, asks: Sequence[story.Ask]) -> None:
    doc.add_heading("Asks and next steps", level=1)
    for a in asks:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(a.lead + " ").bold = True
        p.add_run(a.text)


def _regional(doc: Any, data: PackData, charts: dict[str, Chart], refs: SourceIndex) -> None:
    found = data.findings
    by_topic = {m.topic: m for m in data.regional}
    _summary(doc, f"Where the {len(data.countries)} countries stand on the 2030 ambitions:",
             story.summary_lines(found))
    for heading, chart, topics in (
            ("30% EV sales by 2030", "ev30", ["regional_ev30"]),
            ("Euro VI by 2030", "euro", ["regional_euro_hdv", "regional_euro_ldv"]),
            (f"Transport CO₂ below {BASE_YEAR}", "co2", ["regional_co2"])):
        msgs = [by_topic[t] for t in topics if t in by_topic]
        if not msgs:
            continue
        doc.add_heading(heading, level=1)
        _chart(doc, data, charts.get(chart), refs)
        _messages(doc, msgs, refs)
    doc.add_heading("Where support is needed", level=1)
    _messages(doc, [m for m in data.regional if m.topic in story.SUPPORT_TOPICS], refs)
    _asks(doc, story.regional_asks(found, len(data.countries)))
    for iso in data.one_pagers:
        doc.add_heading(data.name(iso), level=2)
        _messages(doc, data.by_country[iso], refs)


def _country(doc: Any, data: PackData, charts: dict[str, Chart], refs: SourceIndex) -> None:
    iso = data.focus or ""
    name = data.name(iso)
    found = data.findings
    msgs = data.by_country[iso]
    _summary(doc, f"{name} on the 2030 ambitions:", cs.summary_lines(found, iso, data.euro))
    for heading, chart, topics in (("30% EV sales by 2030", "ev", ("ev_country",)),
                                   ("Euro VI by 2030", "euro", ("euro_country",)),
                                   (f"Transport CO₂ below {BASE_YEAR}", "co2", ("co2_country",))):
        doc.add_heading(heading, level=1)
        _chart(doc, data, charts.get(chart), refs)
        _messages(doc, [m for m in msgs if m.topic in topics], refs)
    doc.add_heading("Gaps and support", level=1)
    _messages(doc, [m for m in msgs if m.topic not in ("ev_country", "euro_country", "co2_country")], refs)
    for area, offered in cs.offers(data.matching, iso):
        _para(doc, f"On offer for {area[0].lower()}{area[1:]} (technical-assistance catalogue): "
                   f"{', '.join(offered)}.", style="List Bullet")
    doc.add_heading(f"{name} in the region", level=1)
    for short, label, n in cs.place(found, iso, len(data.countries)):
        _para(doc, f"{short}: {label.lower()} ({n} of {len(data.countries)} countries).", style="List Bullet")
    _asks(doc, cs.asks(found, iso, name, data.matching))


def _sources(doc: Any, refs: SourceIndex) -> None:
    """The sources as a numbered list at the page's full width: publisher, year, title, link; nothing cut."""
    doc.add_heading("Sources", level=1)
    for n, sid in enumerate(refs.order, start=1):
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Cm(0.9)
        p.paragraph_format.first_line_indent = Cm(-0.9)
        p.paragraph_format.space_after = Pt(2)
        run = p.add_run(f"[{n}]\t{refs.cite(sid)}")
        run.font.size = Pt(9)
        p.paragraph_format.tab_stops.add_tab_stop(Cm(0.9))


def write_brief(data: PackData, charts: dict[str, Chart], path: Path) -> None:
    """Write the Word brief (its own source numbering, in order of first citation)."""
    refs = SourceIndex(data.refs.bibliography)
    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)
        footer = section.footer.paragraphs[0]
        footer.text = f"Clean Transport Asia Tracker · {data.pack_title()}"
        footer.runs[0].font.size, footer.runs[0].font.color.rgb = Pt(8), GREY
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(11)
    for level in (1, 2):
        doc.styles[f"Heading {level}"].font.color.rgb = NAVY
    doc.add_heading(data.pack_title(), level=0)
    data_date = f"{data.data_as_of:%d %B %Y}" if data.data_as_of is not None else "not recorded"
    p = doc.add_paragraph()
    p.add_run(f"{data.event.line()}. ").bold = True
    p.add_run(f"Briefing note of the Asia LEDS Partnership secretariat for the Leadership Group for Clean Transport "
              f"in Asia, from the Clean Transport Asia Tracker's data as of {data_date}; progress assessed on "
              f"{data.as_of:%d %B %Y}. Numbers in square brackets refer to the sources at the end.")
    if data.focus:
        _country(doc, data, charts, refs)
    else:
        _regional(doc, data, charts, refs)
    if not data.focus:  # a country's brief gives its place in the region in a line per ambition instead
        doc.add_heading("Where each country stands", level=1)
        _countries_table(doc, data, refs)
    _sources(doc, refs)
    set_properties(doc.core_properties, data.pack_title(), data.pack_subject(), data.keywords(),
                   dt.datetime.combine(data.as_of, dt.time(12)))
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
