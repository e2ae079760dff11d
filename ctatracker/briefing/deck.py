"""The briefing deck (python-pptx), 16:9, a storyline of at most a dozen main slides and an appendix.

Regional pack: the title with the event, the answer on the three 2030 ambitions, 30% EV sales, Euro VI and
transport CO2 each with its chart, where support is needed, every country on one slide, the asks and next steps
(`regional_slides`). One-country pack: the country named in every title, at a glance, its EV sales, Euro VI and
transport CO2 charts, its gaps and support, its place in the region, its asks (`country_slides`). Then the
appendix: one-page summaries of the countries asked for and the sources (`appendix_slides`). Every slide carries
short numbered sources; its speaker notes give the findings' full sentences and every number's source and year.
"""

from __future__ import annotations

from typing import Any

from pptx.util import Inches, Pt

from ctatracker.briefing import appendix_slides, country_slides, regional_slides
from ctatracker.briefing.content import Chart, PackData
from ctatracker.briefing.layout import DARK, GREY, NAVY, Deck, text_box


def title_slide(deck: Deck) -> None:
    """The pack's title (the event, and the country for a one-country pack), dates and place, data date."""
    d = deck.data
    data_date = f"{d.data_as_of:%d %B %Y}" if d.data_as_of is not None else "not recorded"
    who = f"{d.name(d.focus)}'s progress" if d.focus else "Progress of the region"
    slide = deck.slide(d.pack_title(), [], ["Title slide: no figures.",
                                            f"Assessment date: {d.as_of:%d %b %Y}; data as of {data_date}, the last "
                                            "change recorded in the tracker."], cover=True)
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(0.8), Inches(1.3), Inches(11.7), Inches(1.6)
    for run in title.text_frame.paragraphs[0].runs:
        run.font.size = Pt(40)
    text_box(slide, (0.8, 3.05, 11.7, 0.7), [(d.event.line(), {"size": 24, "colour": DARK})])
    text_box(slide, (0.8, 3.9, 11.7, 2.6), [
        (f"{who} towards the 2030 ambitions of the Leadership Group for Clean Transport in Asia",
         {"size": 22, "bold": True, "colour": NAVY}),
        ("Asia LEDS Partnership secretariat", {"size": 18}),
        (f"Data as of {data_date}", {"size": 18, "colour": GREY}),
    ])


def compose(data: PackData, charts: dict[str, Chart], template: Any = None) -> Deck:
    """Every slide of the deck, with places kept for the `charts` (filled when they are drawn); built on the
    secretariat's `template` (a .pptx path or bytes) when given."""
    deck = Deck(data, charts, template)
    title_slide(deck)
    if data.focus:
        country_slides.compose(deck, data.focus)
    else:
        regional_slides.compose(deck)
    appendix_slides.compose(deck)
    return deck
