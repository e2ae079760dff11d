"""The appendix of a deck: a one-page summary of each country asked for (regional pack) and the full list of
sources, numbered as on the slides, at a readable size over as many slides as it takes."""

from __future__ import annotations

import math

from ctatracker.briefing.content import BOTTOM, INNER, LEFT, TOP
from ctatracker.briefing.country_slides import glance_slide
from ctatracker.briefing.layout import Deck, text_box

SOURCE_PT = 14
LINE_CHARS = 135
"""Characters of one line of a reference at 14 pt across the slide (a little under what fits)."""
LINES_PER_SLIDE = 20
"""Lines of references a slide holds at 14 pt, with the space between references."""


def pages(entries: list[str], chars: int = LINE_CHARS, lines: int = LINES_PER_SLIDE) -> list[list[str]]:
    """The references split over slides, each slide holding whole references within its lines."""
    out: list[list[str]] = [[]]
    used = 0
    for entry in entries:
        need = math.ceil(len(entry) / chars)
        if out[-1] and used + need > lines:
            out.append([])
            used = 0
        out[-1].append(entry)
        used += need
    return out


def sources_slides(deck: Deck) -> None:
    """Every source cited in the deck, '[n] Publisher (year). Title. Link', numbered in order of first citation."""
    refs = deck.data.refs
    entries = [f"[{n}] {refs.cite(sid)}" for n, sid in enumerate(refs.order, start=1)]
    chunks = pages(entries) if entries else [["No source is cited."]]
    for i, chunk in enumerate(chunks):
        title = "Sources" if len(chunks) == 1 else f"Sources ({i + 1} of {len(chunks)})"
        slide = deck.slide(title, [], ["The pack's sources, numbered in order of first citation; the tracker's "
                                       "methodology page explains how each status is worked out.", *chunk],
                           appendix=True)
        text_box(slide, (LEFT, TOP, INNER, BOTTOM - TOP), [(e, {"after": 4}) for e in chunk], size=SOURCE_PT,
                 name="Sources")


def compose(deck: Deck) -> None:
    """The appendix: the one-page summaries asked for, then the sources."""
    for iso in deck.data.one_pagers:
        glance_slide(deck, iso, appendix=True)
    sources_slides(deck)
