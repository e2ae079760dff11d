"""Every surface tells the same answer: for all 17 countries and both regional ambitions, the overview, the gap
page, the country profile, compare, the deck and the brief agree on status, figure, what it counts and support."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation

from ctatracker.analysis import derived
from ctatracker.briefing import pack
from ctatracker.briefing.content import SourceIndex
from ctatracker.briefing.note import ev_cell
from ctatracker.findings import profile, read
from ctatracker.findings.model import Group
from ctatracker.store import queries
from ctatracker.store.database import connect
from dashboard.safe_text import as_shown
from tests.pipelines.test_briefing import FakeExporter, _notes, _texts

AS_OF = dt.date.today()


@pytest.fixture(scope="module")
def found(built_db: Path):
    con = connect(built_db, read_only=True)
    try:
        with derived.sharing({}):  # the derived tables computed once for findings and profiles, as the app does
            found = read.findings(con.cursor(), AS_OF), profile.country_profiles(
                con.cursor(), list(read.frames(con.cursor(), AS_OF).countries["iso3"]), AS_OF)
        yield found
    finally:
        con.close()


def test_every_country_has_one_30_percent_finding_and_the_regional_answers_name_them_all(found) -> None:
    findings, _ = found
    assert len(findings.ev30) == 17 == len({f.country_iso3 for f in findings.ev30})
    for key in ("ev30", "euro_hdv", "euro_ldv"):
        r = findings.regional_of(key)
        named = sorted(n for members in r.groups.values() for n in members)
        assert len(named) == 17 == len(set(named)), key
    ev = findings.regional_of("ev30")
    for f in findings.ev30:
        assert f.country_name in ev.groups[f.group]


def test_no_car_share_is_called_all_vehicles_and_no_evidence_is_called_no_figure(found) -> None:
    findings, _ = found
    for f in findings.ev30:
        if f.basis.kind == "proxy":
            assert f.indicative and "only" in f.basis.words and "all vehicles" not in f.basis.words
        if f.evidence:
            assert "no figure" not in f.plain.lower()
            assert f.group is Group.INDICATIVE
        if f.group is Group.NO_DATA:
            assert not f.evidence and not f.basis.has_figure


def test_overview_gap_page_profile_and_compare_agree(open_page, found) -> None:
    findings, profiles = found
    overview = as_shown("\n".join(m.value for m in open_page("views/overview.py").markdown))
    gaps = open_page("views/gaps.py").dataframe[0].value.set_index("Country")
    by_iso = {p.iso3: p for p in profiles}
    for f in findings.ev30:
        label = findings.regional_of("ev30").labels[f.group]
        line = next(x for x in overview.splitlines() if x.startswith(f"- **{label}:**"))
        assert f.country_name in line
        row = gaps.loc[f.country_name]
        assert row["Status"] == f.status_label
        shown = f.figure if f.basis.has_figure else "; ".join(e.text for e in f.evidence) or "no figure"
        assert row["Figure"] == shown
        if f.basis.has_figure:
            assert row["What the figure counts"] == f.basis.words
        assert row["Support under way"] == ("; ".join(f.support) or "none recorded")
        card = by_iso[f.country_iso3].key_figures[0]
        if f.basis.has_figure:
            assert (card.value, card.status) == (f.figure, f.status_label)
            assert card.notes[0] == f"Basis: {f.basis.words}."
        elif f.evidence:
            assert card.value == f.evidence[0].text and card.status == "Indicative evidence only"
        else:
            assert card.value == "no figure"
    countries = [f.country_iso3 for f in findings.ev30]
    for start in range(0, len(countries), 4):
        chunk = countries[start:start + 4]
        if len(chunk) < 2:
            chunk = countries[-2:]
        at = open_page("views/compare.py", params={"compare": chunk})
        page = "\n".join(h.value for h in at.html)
        for iso in chunk:
            card = by_iso[iso].key_figures[0]
            cell = card.value if card.value in profile.NO_FIGURE else f"{card.value} · {card.status}"
            assert as_shown(cell) in as_shown(page.replace("&#x27;", "'").replace("&amp;", "&"))


def test_deck_and_brief_agree_with_the_findings(built_db: Path, found, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack, "Exporter", FakeExporter)
    findings, _ = found
    con = connect(built_db, read_only=True)
    try:
        result = pack.build_pack(con, event_name="COP32", event_date="2027-11-08", countries=None, action_areas=None,
                                 out_pptx=tmp_path / "p.pptx", out_docx=tmp_path / "p.docx", as_of=AS_OF)
        refs = SourceIndex(queries.sources(con))
    finally:
        con.close()
    deck = Presentation(str(result.pptx))
    slides = {s.shapes.title.text: _texts(s) + "\n" + _notes(s) for s in deck.slides if s.shapes.title is not None}
    everything = "\n".join(slides.values())
    brief = Document(str(result.docx))
    cells = [c.text for t in brief.tables for row in t.rows for c in row.cells]
    body = "\n".join(p.text for p in brief.paragraphs) + "\n" + "\n".join(cells)
    for r in (findings.regional_of(k) for k in ("ev30", "euro_hdv", "euro_ldv")):
        assert r.plain in everything and r.plain in body
    for f in findings.ev30:  # each country's 30% message is the finding's sentence
        assert f.plain in everything, f.country_name
        msg = next(m for m in result.messages if m.topic == "ev_country" and m.country_iso3 == f.country_iso3)
        assert msg.text.startswith(f.plain)
        assert ev_cell(f, refs).split(" [")[0] in body
        # no slide says a country has no support while the findings list some
        country_slide = slides.get(f"{f.country_name}: where it stands", "")
        if f.support:
            assert "No activity under way" not in country_slide
