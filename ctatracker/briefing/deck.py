"""The briefing deck (python-pptx), 16:9: title, agenda, one slide per key message with its chart beside the
sentences, the 30% question country by country, the scorecard, one slide per country, what support exists, the
activities and at most two reference slides. Every slide carries short numbered footnotes; its speaker notes give
each number with what it is, its year and its full references.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
from pptx.util import Inches, Pt

from ctatracker.briefing import country_slides, ev30_slides
from ctatracker.briefing.content import BOTTOM, INNER, LEFT, TOP, PackData
from ctatracker.briefing.key_messages import KeyMessage
from ctatracker.briefing.layout import DARK, GREY, NAVY, Deck, _text, chart_slide
from ctatracker.charts import activities as ac
from ctatracker.charts.style import STAGE_LABELS

# ---------------------------------------------------------------- slides


EURO_TOPICS = ("regional_euro_hdv", "regional_euro_ldv")
"""The key messages of the Euro VI slide (the findings' regional answers)."""


def _lines(messages: Sequence[KeyMessage], chars: int) -> float:
    return sum(math.ceil(len(m.text) / chars) + 0.4 for m in messages)


def _pages(messages: Sequence[KeyMessage], chars: int, lines: float) -> list[list[KeyMessage]]:
    """Messages split over as few slides as keep each from overflowing, in balanced portions."""
    n = max(1, math.ceil(_lines(messages, chars) / lines))
    while True:
        target = _lines(messages, chars) / n
        pages: list[list[KeyMessage]] = [[]]
        for m in messages:
            if pages[-1] and _lines([*pages[-1], m], chars) > target + 1.5 and len(pages) < n:
                pages.append([])
            pages[-1].append(m)
        if all(_lines(p, chars) <= lines for p in pages):
            return pages
        n += 1


def _message_ids(messages: Sequence[KeyMessage]) -> list[str]:
    return sorted({s for m in messages for s in m.source_ids})


def title_slide(deck: Deck) -> None:
    d = deck.data
    data_date = f"{d.data_as_of:%d %B %Y}" if d.data_as_of is not None else "not recorded"
    slide = deck.slide(d.event.name, [], ["Title slide: no figures.",
                                          f"Assessment date: {d.as_of:%d %b %Y}; data as of {data_date}, the last "
                                          "change recorded in the tracker."], cover=True)
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(0.8), Inches(1.6), Inches(11.7), Inches(1.3)
    for run in title.text_frame.paragraphs[0].runs:
        run.font.size = Pt(40)
    countries = ("all covered countries" if len(d.selected) == len(d.countries)
                 else ", ".join(d.name(c) for c in d.selected))
    _text(slide, (0.8, 3.0, 11.7, 0.6), [(d.event.line(), {"size": 22, "colour": DARK})])
    _text(slide, (0.8, 4.0, 11.7, 2.4), [
        ("Clean Transport Asia: where the region stands", {"size": 20, "bold": True, "colour": NAVY}),
        (f"Data as of {data_date}", {"size": 16}),
        (f"Countries: {countries}", {"size": 14, "colour": GREY}),
        ("Every number comes with its source and year in the speaker notes; where data is missing the slides "
         "say so.", {"size": 12, "colour": GREY}),
    ])


def agenda_slide(deck: Deck, sections: Sequence[str]) -> None:
    slide = deck.slide("Agenda", [], ["The sections of this briefing."])
    _text(slide, (LEFT + 0.3, TOP + 0.2, INNER - 0.6, BOTTOM - TOP - 0.2),
          [(f"{i}.  {s}", {"size": 22, "after": 14}) for i, s in enumerate(sections, start=1)])


def scorecard_slide(deck: Deck) -> None:
    d = deck.data
    ids = sorted(set(d.commitments["source_id"]))
    notes = [f"Implementation stage of each country in each action area, as recorded by the secretariat with its "
             f"evidence ({len(d.commitments)} assessments). Grey cells: no data, no stage recorded."]
    notes += [f"{r['country_name']}, {r['action_area_name']}: {STAGE_LABELS[str(r['stage'])]}, as of "
              f"{pd.Timestamp(r['as_of']):%d %b %Y}; source {d.refs.ref([r['source_id']])}"
              for r in d.commitments.to_dict("records")]
    slide = deck.slide("Implementation stage by action area", ids, notes)
    deck.picture(slide, "scorecard", (LEFT, TOP, INNER, BOTTOM - TOP - 0.35))
    _text(slide, (LEFT, BOTTOM - 0.3, INNER, 0.35), ["Grey: no data, no stage recorded yet. Stages as recorded by "
                                                     "the secretariat with their evidence; dates and sources in the "
                                                     "notes."], size=11, colour=GREY)




def euro_slide(deck: Deck) -> None:
    d = deck.data
    msgs = [m for m in d.regional if m.topic in EURO_TOPICS]
    notes = ["Chart: each recorded standard step for light- and heavy-duty vehicles (Euro-equivalent level) by the "
             "year it applies to new vehicles; filled: in force, open circle: adopted for a future date, open "
             "diamond: pledged only. Steps for two- and three-wheelers are listed here, not drawn.", ""]
    notes += [f"{r['country_name']}, {r['vehicle_class'].replace('_', ' ')}: Euro {r['euro_level']} "
              f"({r['status']}) from {r['effective_year']}; source {d.refs.ref([r['source_id']])}"
              for r in d.standards.to_dict("records")]
    missing = sorted(set(d.countries["name"]) - set(d.standards["country_name"]))
    lead = f"No standard recorded: {', '.join(missing)}." if missing else None
    chart_slide(deck, "Euro VI vehicle emission standards by 2030", "euro_timeline", msgs, notes,
                sorted(set(d.standards["source_id"])), lead)


def other_goals_slide(deck: Deck) -> None:
    msgs = [m for m in deck.data.regional if m.topic.startswith(("regional_", "national_targets"))
            and m.topic not in (*EURO_TOPICS, "regional_ev30")]
    if msgs:
        chart_slide(deck, "Other regional goals and countries' own targets", "", msgs, [], [])


def activities_slide(deck: Deck) -> None:
    d = deck.data
    msgs = [m for m in d.regional if m.topic in ("unsupported", "activities")]
    dated = ac.spans(d.activities, d.as_of)
    notes = ["Chart: activities with a start date, coloured by status; year-only dates drawn as whole years."]
    notes += [f"{r['title']}: {r['dating']}; source {d.refs.ref([r['source_id']])}" for r in dated.to_dict("records")]
    chart_slide(deck, "Cooperation activities", "activities", msgs, notes, sorted(set(dated["source_id"])))


def compose(data: PackData, planned: Sequence[str], template: Any = None) -> Deck:
    """Every slide of the deck, with places kept for the `planned` figures (see `briefing.figures`); built on the
    secretariat's `template` (a .pptx path or bytes) when given."""
    deck = Deck(data, planned, template)
    indicator_names = {r["indicator_code"]: r["indicator_name"] for r in data.targets.to_dict("records")}
    ev = data.has_area("electric_vehicles") and not data.ev30.empty
    euro = data.has_area("standards")
    sections = ["Key messages for the region"] + (["The 30% EV sales ambition, country by country"] if ev else [])
    sections += ["Implementation stage by action area"] if "scorecard" in deck.planned else []
    names = [data.name(c) for c in data.selected]
    sections += [f"Countries: {', '.join(names)}" if len(names) <= 4 else f"Country pages ({len(names)} countries)"]
    sections += ["What support exists", "Cooperation activities", "References (appendix)"]
    title_slide(deck)
    agenda_slide(deck, sections)
    if ev:
        ev30_slides.ev30_message_slide(deck)
    if euro:
        euro_slide(deck)
    other_goals_slide(deck)
    if ev:
        ev30_slides.ev30_table_slide(deck)
    if "scorecard" in deck.planned:
        scorecard_slide(deck)
    for iso in data.selected:
        country_slides.country_slide(deck, iso, indicator_names)
    country_slides.support_slides(deck)
    activities_slide(deck)
    country_slides.activities_slides(deck)
    country_slides.sources_slides(deck)
    return deck
