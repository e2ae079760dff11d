"""The briefing note (python-docx): two to four pages with the same key messages and tables as the deck, every
number followed by its sources as [n], the references listed at the end."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ctatracker.analysis.euro import EURO_STATUS_LABELS, EuroStatus
from ctatracker.briefing.content import PackData, SourceIndex
from ctatracker.briefing.key_messages import KeyMessage
from ctatracker.charts import activities as ac
from ctatracker.charts.style import STAGE_LABELS

GREY = RGBColor(0x66, 0x66, 0x66)
SHORT_STAGE = {"no_action": "None", "proposed": "Proposed", "pledged": "Pledged", "in_policy": "Policy",
               "in_law": "Law", "achieved": "Achieved"}
ENDNOTE_CHARS = 62
"""One line of a source note in a third of the page (7 pt)."""
MAX_COUNTRY_NOTES = 3
"""Above this many selected countries the brief leaves country notes to the deck (one slide each)."""


def _shade(cell: Any, hex_colour: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), hex_colour.lstrip("#"))
    props.append(shading)


def _table(doc: Any, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
           size: float = 8.5) -> Any:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for values in [header, *rows]:
        row = table.rows[0] if values is header else table.add_row()
        _row_props(row, header=values is header)
        cells = row.cells
        for cell, value, width in zip(cells, values, widths, strict=True):
            cell.width = Cm(width)
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(value))
            run.font.size = Pt(size)
            run.font.bold = values is header
            if values is header:
                _shade(cell, "DCE6F0")
    return table


def _row_props(row: Any, header: bool) -> None:
    """Keep a row on one page; the header row repeats at the top of every page the table runs onto."""
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))
    if header:
        props.append(OxmlElement("w:tblHeader"))


def _columns(section: Any, n: int) -> None:
    """Set a section's text in n columns."""
    cols = section._sectPr.find(qn("w:cols"))
    if cols is None:
        cols = OxmlElement("w:cols")
        section._sectPr.append(cols)
    cols.set(qn("w:num"), str(n))
    cols.set(qn("w:space"), "340")


def _caption(doc: Any, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(10)
    run = p.add_run(text)
    run.font.size, run.font.italic, run.font.color.rgb = Pt(8.5), True, GREY


def _euro_cell(row: dict) -> str:
    """'In force since 2021', 'Pledged for 2030 (Euro 4 now)', 'Not by 2030 (Euro 4 now)' or 'no data'."""
    status = EuroStatus(str(row["status"]))
    now = f" (Euro {int(row['current_level'])} now)" if pd.notna(row.get("current_level")) else ""
    if status is EuroStatus.NO_DATA:
        return "no data"
    if status is EuroStatus.IN_FORCE:
        return f"In force since {int(row['current_since'])}"
    if status in (EuroStatus.SCHEDULED, EuroStatus.PLEDGED) and pd.notna(row["goal_year"]):
        return f"{'Adopted' if status is EuroStatus.SCHEDULED else 'Pledged'} for {int(row['goal_year'])}{now}"
    if status is EuroStatus.NOT_SCHEDULED:
        return f"Not by {int(row['deadline_year'])}{now}"
    return EURO_STATUS_LABELS[status] + now


def _bullets(doc: Any, messages: Sequence[KeyMessage], refs: SourceIndex, size: float | None = None) -> None:
    for m in messages:
        p = doc.add_paragraph(style="List Bullet")
        run = p.add_run(m.text)
        if size:
            run.font.size = Pt(size)
        ref = refs.ref(m.source_ids)
        if ref:
            tail = p.add_run(f" {ref}")
            tail.font.color.rgb = GREY
            if size:
                tail.font.size = Pt(size)
        p.paragraph_format.space_after = Pt(3)


def _overview_table(doc: Any, data: PackData, refs: SourceIndex) -> None:
    euro = data.euro.set_index(["country_iso3", "vehicle_class"])
    rows, ids = [], set()
    for iso, name in zip(data.countries["iso3"], data.countries["name"], strict=True):
        cells = [name]
        for vc in ("heavy_duty", "light_duty"):
            row = euro.loc[(iso, vc)].to_dict() if (iso, vc) in euro.index else {"status": "no_data"}
            cells.append(_euro_cell(row))
            ids |= {s.strip() for s in str(row.get("source_ids") or "").split(";") if s.strip()}
        cells.append(ev_cell(data.findings.ev30_of(iso), refs))
        rows.append(cells)
    _table(doc, ["Country", "Euro VI, heavy duty", "Euro VI, light duty", "EV share of new vehicle sales"], rows,
           [3.6, 4.4, 4.4, 4.6])
    _caption(doc, f"Euro VI status on {data.as_of:%d %b %Y} (goal: Euro VI by 2030) and the latest EV share of new "
             "vehicle sales with what it counts: all vehicles, or one vehicle type marked indicative, or indicative "
             f"evidence of a narrower basis. Standards: sources {refs.ref(sorted(ids))}.")


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


def _ev30_table(doc: Any, data: PackData, refs: SourceIndex) -> None:
    found = [f for f in data.findings.ev30]
    shown = [f for f in found if f.basis.has_figure]
    rows = [[f.country_name, f.status_label, f.basis.words, f"{f.figure} {refs.ref(list(f.source_ids))}".rstrip(),
             f.pace or "–", f.scenario or "none on the same vehicle types"] for f in shown]
    if rows:
        _table(doc, ["Country", "Status", "What the figure counts", "Latest", "Pace", "IEA STEPS, 2030"], rows,
               [2.4, 2.4, 4.2, 2.6, 2.8, 2.6])
    rest = [f for f in found if not f.basis.has_figure]
    evidence = "; ".join(f"{f.country_name}: {f.evidence[0].text}" for f in rest if f.evidence)
    none = ", ".join(f.country_name for f in rest if not f.evidence)
    _caption(doc, "The 30% EV sales ambition by 2030, country by country: the status on each country's basis (all "
             "vehicles reported or derived from sales by vehicle type, else a named proxy marked indicative); the "
             "IEA scenario is a projection shown beside the status only on the same vehicle types, never in it."
             + (f" Indicative evidence only: {evidence}." if evidence else "")
             + (f" No figure: {none}." if none else ""))


def _stage_table(doc: Any, data: PackData, refs: SourceIndex) -> None:
    stages = data.commitments.set_index(["country_iso3", "action_area_code"])
    codes = list(data.areas["code"])
    rows = [[name] + [SHORT_STAGE[str(stages.loc[(iso, c), "stage"])] if (iso, c) in stages.index else "no data"
                      for c in codes]
            for iso, name in zip(data.countries["iso3"], data.countries["name"], strict=True)]
    header = ["Country"] + [n.split(" and ")[0] for n in data.areas["name"]]
    width = 13.4 / max(len(codes), 1)
    _table(doc, header, rows, [3.6] + [width] * len(codes), size=8)
    _caption(doc, "Implementation stage by action area as recorded by the secretariat "
             f"({', '.join(f'{v}: {STAGE_LABELS[k].lower()}' for k, v in SHORT_STAGE.items())}); no data: no "
             f"stage recorded. Sources {refs.ref(sorted(set(data.commitments['source_id'])))}.")


def _activities_table(doc: Any, data: PackData, refs: SourceIndex) -> None:
    acts = data.activities
    ongoing = acts[acts["status"].map(ac.status_label).isin(("implementation", "pipeline"))]
    if ongoing.empty:
        doc.add_paragraph("No activity under way or in the pipeline is recorded for these countries and action "
                          "areas.")
        return
    rows = [[r["country_name"], str(r["title"]), ac.status_label(r["status"]),
             ac._when(r) if pd.notna(r.get("start_year")) or pd.notna(r.get("start_date")) else "not recorded",
             refs.ref([r["source_id"]])] for r in ongoing.head(12).to_dict("records")]
    _table(doc, ["Country", "Activity", "Status", "Dates", "Source"], rows, [2.6, 8.4, 2.4, 2.4, 1.2])
    more = f" and {len(ongoing) - 12} more in the deck" if len(ongoing) > 12 else ""
    _caption(doc, f"Cooperation activities under way (implementation) or in the pipeline{more}.")


def write_brief(data: PackData, path: Path) -> None:
    """Write the Word brief (its own source numbering, in order of first citation)."""
    refs = SourceIndex(data.refs.bibliography)
    doc = Document()
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(1.6)
        footer = section.footer.paragraphs[0]
        footer.text = f"Clean Transport Asia Tracker · briefing note for {data.event.name}"
        footer.runs[0].font.size, footer.runs[0].font.color.rgb = Pt(8), GREY
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(10)
    doc.add_heading(data.event.name, level=0)
    data_date = f"{data.data_as_of:%d %B %Y}" if data.data_as_of is not None else "not recorded"
    p = doc.add_paragraph()
    p.add_run(f"{data.event.line()}. ").bold = True
    p.add_run(f"Briefing note drafted by the Clean Transport Asia Tracker from its data as of {data_date}; progress "
              f"assessed on {data.as_of:%d %B %Y}. Numbers in square brackets refer to the sources listed at the "
              "end; where data is missing, the text says so.")
    doc.add_heading("Summary", level=1)
    headline = [m for m in data.regional if m.topic in ("euro_heavy_duty", "regional_share")
                or m.topic.startswith("ev_ambition")]
    doc.add_paragraph(" ".join(m.text for m in headline) or "No regional figure is recorded yet.")
    doc.add_heading("Key messages", level=1)
    _bullets(doc, [m for m in data.regional if m.topic != "pace" and m not in headline], refs)
    doc.add_heading("Target by target", level=1)
    doc.add_heading("Euro VI by 2030", level=2)
    _overview_table(doc, data, refs)
    if data.has_area("electric_vehicles") and not data.ev30.empty:
        doc.add_heading("30% EV sales by 2030", level=2)
        _ev30_table(doc, data, refs)
        _bullets(doc, [m for m in data.regional if m.topic == "pace"], refs, size=8.5)
    if not data.areas.empty:
        doc.add_heading("Implementation stage by action area", level=2)
        _stage_table(doc, data, refs)
    doc.add_heading("Countries", level=1)
    if len(data.selected) > MAX_COUNTRY_NOTES:
        doc.add_paragraph(f"Country notes for the {len(data.selected)} selected countries are in the deck, one slide "
                          "per country.")
    else:
        for iso in data.selected:
            doc.add_heading(data.name(iso), level=2)
            _bullets(doc, data.by_country[iso], refs)
    doc.add_heading("Cooperation under way", level=1)
    _activities_table(doc, data, refs)
    doc.add_heading("Notes: sources", level=1)
    doc.add_paragraph("Each note gives the publisher, year and title; the slide notes of the deck give every link."
                      ).runs[0].font.size = Pt(8)
    _columns(doc.add_section(WD_SECTION.CONTINUOUS), 3)
    titles = refs.bibliography.set_index("id")["title"]
    for n, sid in enumerate(refs.order, start=1):
        p = doc.add_paragraph()
        run = p.add_run(textwrap.shorten(f"[{n}] {refs.short(sid)}. {titles[sid]}", ENDNOTE_CHARS, placeholder="…"))
        run.font.size = Pt(7)
        p.paragraph_format.space_after = Pt(0.5)
        p.paragraph_format.line_spacing = 1.0
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
