"""Briefing packs: one real end-to-end build (kaleido with Debian's chromium), then the deck, the brief and the
command line checked against the gap analysis of the same database."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import itertools
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE_TYPE

from ctatracker.analysis import derived
from ctatracker.briefing import pack, storyline
from ctatracker.findings import read
from ctatracker.store import queries
from ctatracker.store.database import connect
from pipelines import briefing_cli
from tests.conftest import kaleido_browser_missing, require
from tests.unit.test_key_messages import NUMBER, assert_traced

AS_OF = dt.date(2026, 1, 15)
REF_LINE = re.compile(r"^\[\d+\] .+ \((\d{4}|undated)\)\. ", re.MULTILINE)


class FakeExporter:
    """Stands in for kaleido: a plain PNG of the requested size, no browser."""

    warmed = 0

    def __init__(self, keep: bool = False) -> None:
        self.keep = keep

    @classmethod
    def warm_up(cls) -> None:
        cls.warmed += 1

    def __enter__(self) -> FakeExporter:
        return self

    def png(self, fig: Any, width: int, height: int) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (width // 4, height // 4), "white").save(out, "PNG")
        return out.getvalue()

    def __exit__(self, *exc: object) -> None:
        return None


@pytest.fixture(scope="module")
def con(built_db: Path) -> Iterator[Any]:
    connection = connect(built_db, read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def real_pack(con: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[pack.PackResult, list[tuple]]:
    """The one real build: two countries, every action area, figures exported by kaleido."""
    require(kaleido_browser_missing())
    out = tmp_path_factory.mktemp("pack")
    steps: list[tuple] = []
    result = pack.build_pack(con, event_name="COP30", event_date="2025-11-10", event_end="2025-11-21",
                                 event_place="Belém, Brazil", countries=["LKA", "IND"], action_areas=None,
                                 out_pptx=out / "cop30.pptx", out_docx=out / "cop30.docx",
                                 progress=lambda f, text: steps.append((f, text)), as_of=AS_OF)
    return result, steps


@pytest.fixture()
def fake_images(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack, "Exporter", FakeExporter)


def _notes(slide: Any) -> str:
    return slide.notes_slide.notes_text_frame.text


def _texts(slide: Any) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def test_real_pack_has_the_expected_slides_in_order(real_pack) -> None:
    """Two countries chosen: the regional storyline, then their one-page summaries and the sources."""
    result, steps = real_pack
    deck = Presentation(str(result.pptx))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles == result.slide_titles
    assert titles[:result.main_slides] == [
        "COP30: clean transport in Asia", "The answer: who is on track for the 2030 ambitions",
        "30% EV sales by 2030: where countries stand", "Euro VI by 2030: where countries stand",
        "Transport CO₂ against 2019: where countries stand", "Where support is needed",
        "All 17 countries on the 2030 ambitions", "Asks for COP30 and next steps"]
    assert titles[result.main_slides:result.main_slides + 2] == [
        "Appendix: India at a glance: the 2030 ambitions", "Appendix: Sri Lanka at a glance: the 2030 ambitions"]
    assert all(t.startswith("Sources") for t in titles[result.main_slides + 2:])
    assert deck.slide_width > deck.slide_height  # 16:9
    assert steps[-1][0] == 1.0 and all(a[0] <= b[0] for a, b in itertools.pairwise(steps))
    assert len({text for _f, text in steps}) == len(steps)  # each step reported once


def test_real_pack_figures_are_kaleido_pngs(real_pack) -> None:
    deck = Presentation(str(real_pack[0].pptx))
    by_title = {s.shapes.title.text: s for s in deck.slides}
    for title in ("30% EV sales by 2030: where countries stand", "Euro VI by 2030: where countries stand",
                  "Transport CO₂ against 2019: where countries stand", "Where support is needed",
                  "All 17 countries on the 2030 ambitions"):
        pictures = [s for s in by_title[title].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1, title
        image = Image.open(io.BytesIO(pictures[0].image.blob))
        assert image.format == "PNG" and image.width >= 800  # exported at scale 2
        assert pictures[0].left + pictures[0].width <= deck.slide_width
        assert pictures[0].top + pictures[0].height <= deck.slide_height


def test_every_slide_notes_name_sources_with_years(real_pack) -> None:
    deck = Presentation(str(real_pack[0].pptx))
    for slide in list(deck.slides)[1:]:
        notes, footer = _notes(slide), _texts(slide)
        assert "data as of" in footer
        cited = re.search(r"Sources \[([^\]]+)\]", footer)
        numbers = re.findall(r"\[(\d+)\] [^\[]+ \((?:\d{4}|undated)\)", footer)  # short footnotes
        if slide.shapes.title.text.startswith(("Asks", "Sources")):  # no figures: no sources
            continue
        assert REF_LINE.search(notes), slide.shapes.title.text
        for first in numbers:
            assert re.search(rf"^\[{first}\] ", notes, re.MULTILINE)
        if cited:  # every number in the footer has its reference in the notes
            for part in cited.group(1).split(", "):
                first = part.split("–")[0]
                assert re.search(rf"^\[{first}\] ", notes, re.MULTILINE)


def test_key_messages_match_the_gap_analysis(real_pack, con) -> None:
    result, _ = real_pack
    gap = derived.gap_table(con, AS_OF)
    rollup, share = derived.rollup(con, AS_OF), derived.latest_regional_share(con)
    acts = queries.activities(con)
    for msg in result.messages:
        assert_traced(msg)
        for token in NUMBER.findall(msg.text):
            assert token in {f.text for f in msg.figures}
    regional = {m.topic: m for m in result.messages if m.country_iso3 is None}
    found = read.findings(con, AS_OF)
    for key in ("euro_hdv", "euro_ldv", "ev30"):  # the overview's answers, word for word
        r = found.regional_of(key)
        assert regional[f"regional_{key}"].text == " ".join((r.plain, *r.details))
    assert f"{share['value']:.1f}%" in regional["regional_ev30"].text
    ev = gap[(gap["target_scope"] == "regional") & (gap["indicator_code"] == "ev_sales_share")].set_index(
        "country_iso3")
    for msg in (m for m in result.messages if m.topic == "ev_country"):
        f = found.ev30_of(msg.country_iso3)
        assert msg.text.startswith(f.plain)
        if f.basis.has_figure:
            assert msg.figure("latest_value").value == pytest.approx(ev.loc[msg.country_iso3, "latest_value"])
    national = rollup[rollup["target_scope"] == "national"]
    assert regional["national_targets"].figure("targets").value == len(national)
    assert regional["national_targets"].figure("on_track").value == national["on_track"].sum()
    assert regional["activities"].figure("activities").value == len(acts)


def test_deck_and_brief_carry_the_same_key_messages(real_pack) -> None:
    result, _ = real_pack
    deck = Presentation(str(result.pptx))
    slides = "\n".join(_texts(s) + _notes(s) for s in deck.slides)  # the findings' sentences: in the notes
    brief = Document(str(result.docx))
    body = "\n".join(p.text for p in brief.paragraphs)
    shown = ("unsupported", "activities", *(f"regional_{key}" for key, _ in storyline.AMBITIONS))
    regional = [m for m in result.messages if m.country_iso3 is None and m.topic in shown]
    assert len(regional) == 6  # the answers on 30%, Euro VI (two classes) and CO2, gaps without support, activities
    for msg in regional:
        assert msg.text in slides and msg.text in body
    for msg in (m for m in result.messages if m.country_iso3 is not None):  # the one-page summaries'
        assert msg.text in body
    headings = [p.text for p in brief.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:4] == ["Summary", "30% EV sales by 2030", "Euro VI by 2030", "Transport CO₂ below 2019"]
    assert headings[-2:] == ["Where each country stands", "Sources"] and "India" in headings
    assert len(brief.tables) == 1 and len(brief.inline_shapes) == 3  # every country; a chart per ambition
    assert re.search(r"\[1\]\t.+ \((\d{4}|undated)\)\.", body)


def _slide(result: pack.PackResult, start: str) -> Any:
    return next(s for s in Presentation(str(result.pptx)).slides if s.shapes.title.text.startswith(start))


def test_missing_data_is_said_on_the_country_slides(con, tmp_path, fake_images) -> None:
    result = pack.build_pack(con, event_name="16th Regional EST Forum", event_date=dt.date(2024, 12, 10),
                             countries=["MDV"], action_areas=None, out_pptx=tmp_path / "p.pptx",
                             out_docx=tmp_path / "p.docx", as_of=AS_OF)
    assert all("Maldives" in t for t in result.slide_titles[:result.main_slides])
    glance = _texts(_slide(result, "Maldives at a glance"))
    assert "4.0% of the vehicle fleet (2022)" in glance and "Indicative evidence only" in glance  # never "no figure"
    assert "no data" in glance  # Euro VI: no standard recorded
    gaps = _texts(_slide(result, "Maldives: gaps and support"))
    assert "Needs recorded: none." in gaps
    assert "no standard recorded" in _texts(_slide(result, "Maldives: Euro VI"))


def test_recorded_needs_appear_on_the_country_slide(built_db, tmp_path, fake_images) -> None:
    db = tmp_path / "needs.duckdb"
    shutil.copy(built_db, db)
    writable = connect(db)
    try:
        writable.execute("INSERT INTO needs (country_iso3, action_area_code, need, source_id, submitted_by) "
                         "VALUES ('LKA', 'electric_vehicles', 'Finance for a pilot of electric buses in Colombo.', "
                         "NULL, 'focal@example.org')")
        result = pack.build_pack(writable, event_name="COP30", event_date="2025-11-10", countries=["LKA"],
                                 action_areas=None, out_pptx=tmp_path / "n.pptx", out_docx=tmp_path / "n.docx",
                                 as_of=AS_OF)
    finally:
        writable.close()
    text = _texts(_slide(result, "Sri Lanka: gaps and support"))
    assert "Electric vehicles: Finance for a pilot of electric buses in Colombo." in text
    assert "Needs recorded: none." not in text


def test_action_areas_decide_the_topics(con, tmp_path, fake_images) -> None:
    result = pack.build_pack(con, event_name="ALP Forum", event_date="2024-08-20", countries=["NPL"],
                             action_areas=["standards"], out_pptx=tmp_path / "s.pptx", out_docx=tmp_path / "s.docx",
                             as_of=AS_OF)
    assert "Nepal: Euro VI by 2030" in result.slide_titles
    assert not any("EV sales" in t for t in result.slide_titles)
    assert not any(m.topic.startswith("ev_") for m in result.messages)


def test_cli_writes_deck_and_brief_and_refuses_unknown_codes(built_db, tmp_path, fake_images, capsys) -> None:
    parser = argparse.ArgumentParser()
    briefing_cli.add_parser(parser.add_subparsers(dest="command"))
    out = tmp_path / "cop.pptx"
    args = parser.parse_args(["briefing", "--event", "cop30", "--countries", "LKA", "--areas",
                              "electric_vehicles,standards", "--out", str(out), "--db", str(built_db)])
    assert args.func(args) == 0
    assert out.exists() and out.with_suffix(".docx").exists()
    printed = capsys.readouterr().out.splitlines()
    assert "slides" in printed[-1]
    steps = [line for line in printed if line.startswith("[")]
    assert len(steps) == len(set(steps)) >= 5  # each step printed once
    bad = parser.parse_args(["briefing", "--event", "X", "--date", "2025-01-01", "--countries", "ZZZ",
                             "--out", str(tmp_path / "bad.pptx"), "--db", str(built_db)])
    assert bad.func(bad) == 1
    assert not (tmp_path / "bad.pptx").exists()
    assert "ZZZ" in capsys.readouterr().err


def test_cli_names_each_pack_by_event_kind_country_and_day(built_db, tmp_path, fake_images, capsys,
                                                           monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    parser = argparse.ArgumentParser()
    briefing_cli.add_parser(parser.add_subparsers(dest="command"))
    day = f"{dt.date.today():%Y-%m-%d}"
    for codes, stem in (("LKA", f"cta-briefing-cop30-sri-lanka-{day}"), (None, f"cta-briefing-cop30-region-{day}")):
        args = parser.parse_args(["briefing", "--event", "cop30", "--db", str(built_db),
                                  *(["--countries", codes] if codes else [])])
        assert args.func(args) == 0
        assert (tmp_path / f"{stem}.pptx").exists() and (tmp_path / f"{stem}.docx").exists()
    capsys.readouterr()


def test_event_dates_read_naturally() -> None:
    assert pack.Event("COP30", dt.date(2025, 11, 10), dt.date(2025, 11, 21), "Belém, Brazil").line() == (
        "10–21 November 2025, Belém, Brazil")
    assert pack.Event("X", dt.date(2024, 11, 28), dt.date(2024, 12, 2)).when() == "28 November – 2 December 2024"
    assert pack.Event("X", dt.date(2024, 12, 10)).when() == "10 December 2024"


def _template(path: Path) -> Path:
    """A secretariat template: a brand colour on the slide master and one sample slide that must not reach the
    deck."""
    prs = Presentation()
    fill = prs.slide_masters[0].background.fill
    fill.solid()
    fill.fore_color.rgb = RGBColor(0xE6, 0xF0, 0xE6)
    sample = prs.slides.add_slide(prs.slide_layouts[5])
    sample.shapes.title.text = "Sample slide of the template"
    prs.save(str(path))
    return path


def test_a_template_gives_its_masters_and_none_of_its_slides(con, tmp_path, fake_images) -> None:
    result = pack.build_pack(con, countries=["LKA"], action_areas=None, out_pptx=tmp_path / "t.pptx",
                                 out_docx=tmp_path / "t.docx", as_of=AS_OF, template=_template(tmp_path / "b.pptx"))
    deck = Presentation(str(result.pptx))
    assert deck.slide_masters[0].background.fill.fore_color.rgb == RGBColor(0xE6, 0xF0, 0xE6)
    assert "Sample slide of the template" not in "\n".join(_texts(s) for s in deck.slides)
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.001


def test_a_template_that_is_not_a_presentation_is_refused(con, tmp_path, fake_images) -> None:
    with pytest.raises(pack.PackRefused, match="not a PowerPoint presentation"):
        pack.build_pack(con, countries=["LKA"], action_areas=None, out_pptx=tmp_path / "t.pptx",
                            out_docx=tmp_path / "t.docx", as_of=AS_OF, template=b"%PDF-1.4 not a deck")
    assert not list(tmp_path.iterdir())


def test_cli_lists_events_upcoming_first_and_uses_the_next_one(built_db, tmp_path, fake_images, capsys) -> None:
    parser = argparse.ArgumentParser()
    briefing_cli.add_parser(parser.add_subparsers(dest="command"))
    listing = parser.parse_args(["briefing", "--list-events", "--db", str(built_db)])
    assert listing.func(listing) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["cop32", "upcoming"] and lines[1].split()[:2] == ["cop31", "past"]
    args = parser.parse_args(["briefing", "--countries", "LKA", "--out", str(tmp_path / "next.pptx"),
                              "--db", str(built_db)])
    assert args.func(args) == 0
    assert "for COP32, 2027 (dates not yet announced), Addis Ababa, Ethiopia" in capsys.readouterr().out
    bad = parser.parse_args(["briefing", "--event", "Unknown forum", "--out", str(tmp_path / "x.pptx"),
                             "--db", str(built_db)])
    assert bad.func(bad) == 1
    assert "give its first day with --date" in capsys.readouterr().err
