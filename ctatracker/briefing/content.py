"""What a briefing pack holds: its data read once (`PackData`), its numbered sources (`SourceIndex`), the event
it is for, and the slide geometry the deck's modules share. No I/O: `pack.gather` fills it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ctatracker.briefing.events import Meeting
from ctatracker.briefing.key_messages import KeyMessage
from ctatracker.findings.model import Findings

Event = Meeting
"""The meeting a pack is for (`ctatracker.briefing.events.Meeting`)."""

ProgressFn = Callable[[float, str], None]
"""progress(fraction done 0-1, what is being done)."""
LEFT, TOP, INNER, BOTTOM = 0.5, 1.3, 12.33, 6.75
"""Content area of a slide, in inches: left edge, top (below the title), width, bottom (above the footer)."""
PX = 72
"""Layout pixels per inch of slide: a chart's 16 px font shows at 16 pt."""
CHART_W = 8.0
"""Width of a chart beside a few lines, in inches; the lines take the rest of the slide."""
SIDE = (LEFT, TOP, CHART_W, BOTTOM - TOP)
FULL = (LEFT, TOP, INNER, BOTTOM - TOP)
"""Boxes of a chart beside its lines and of a chart across the slide (left, top, width, height in inches)."""
AUTHOR = "ALP secretariat · Clean Transport Asia Tracker"
"""Author and last editor of every pack file."""


@dataclass(frozen=True)
class Chart:
    """A chart of the pack: its figure, where it goes on a slide, what it shows in words (its alt text and the
    brief's caption) and the sources of what it draws."""

    key: str
    figure: Any
    box: tuple[float, float, float, float]
    title: str
    source_ids: tuple[str, ...] = ()

    @property
    def pixels(self) -> tuple[int, int]:
        """Export size in layout pixels: the box at `PX` pixels per inch."""
        return int(self.box[2] * PX), int(self.box[3] * PX)


def slug(text: str) -> str:
    """'COP32' -> 'cop32', 'Sri Lanka' -> 'sri-lanka'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def file_stem(event: str, focus: str | None, chosen: Sequence[str], day: dt.date) -> str:
    """The pack's file name without extension, distinct per event, kind, country and day:
    'cta-briefing-cop32-sri-lanka-2026-12-06', 'cta-briefing-cop32-region-2026-12-06',
    'cta-briefing-cop32-region-india-nepal-2026-12-06'."""
    kind = slug(focus) if focus else "-".join(["region", *(slug(c) for c in chosen[:3])])
    if not focus and len(chosen) > 3:
        kind = f"region-{len(chosen)}-countries"
    return f"cta-briefing-{slug(event)[:40].strip('-') or 'event'}-{kind}-{day:%Y-%m-%d}"


class SourceIndex:
    """The pack's bibliography: sources numbered in order of first citation, cited as [1, 4]."""

    def __init__(self, bibliography: pd.DataFrame) -> None:
        self.bibliography = bibliography.drop_duplicates("id")
        self._bib = {r["id"]: r for r in self.bibliography.to_dict("records")}
        self._numbers: dict[str, int] = {}

    @property
    def order(self) -> list[str]:
        """Source ids in citation order."""
        return list(self._numbers)

    def number(self, source_id: str) -> int | None:
        """The source's number in this pack (given on first use); None for an id not in the bibliography."""
        if source_id not in self._bib:
            return None
        return self._numbers.setdefault(source_id, len(self._numbers) + 1)

    def ref(self, ids: Iterable[str]) -> str:
        """'[1, 4–6]' for the sources' numbers, '' when there are none."""
        numbers = {n for i in ids if (n := self.number(i)) is not None}
        return f"[{ranges(numbers)}]" if numbers else ""

    def short(self, source_id: str) -> str:
        """'Publisher (year)'."""
        row = self._bib[source_id]
        year = f"{int(row['year'])}" if pd.notna(row["year"]) else "undated"
        return f"{row['publisher']} ({year})"

    def cite(self, source_id: str, title_chars: int | None = None) -> str:
        """'Publisher (year). Title. URL', the title shortened to `title_chars` if given."""
        row = self._bib[source_id]
        url = f" {row['url']}" if isinstance(row["url"], str) and row["url"] else ""
        title = str(row["title"])
        if title_chars and len(title) > title_chars:
            title = title[: title_chars - 1].rstrip() + "…"
        return f"{self.short(source_id)}. {title}.{url}"

    def entries(self) -> list[tuple[int, str]]:
        """(number, citation) of every source cited so far."""
        return [(n, self.cite(s)) for s, n in self._numbers.items()]


def ranges(numbers: Iterable[int]) -> str:
    """{1, 2, 3, 7} -> '1–3, 7'."""
    out, nums = [], sorted(set(numbers))
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        out.append(str(nums[i]) if i == j else f"{nums[i]}–{nums[j]}")
        i = j + 1
    return ", ".join(out)


@dataclass
class PackData:
    """Everything a pack shows, read once from the database."""

    event: Event
    as_of: dt.date
    data_as_of: pd.Timestamp | None
    countries: pd.DataFrame
    selected: list[str]
    areas: pd.DataFrame
    gap: pd.DataFrame
    euro: pd.DataFrame
    share: dict[str, Any]
    targets: pd.DataFrame
    commitments: pd.DataFrame
    standards: pd.DataFrame
    ev_obs: pd.DataFrame
    activities: pd.DataFrame
    needs: pd.DataFrame
    regional: list[KeyMessage]
    by_country: dict[str, list[KeyMessage]]
    refs: SourceIndex
    ev30: pd.DataFrame
    matching: pd.DataFrame
    findings: Findings
    focus: str | None = None
    """The country of a one-country pack; None for a regional pack."""
    one_pagers: list[str] = field(default_factory=list)
    """Countries whose one-page summary a regional pack carries in its appendix (those chosen, when several)."""
    profile: Any = None
    """The focus country's profile (`findings.profile.Profile`), for its charts; None for a regional pack."""
    images: dict[str, bytes] = field(default_factory=dict)

    def pack_title(self) -> str:
        """'Sri Lanka: clean transport briefing for COP32', 'COP32: clean transport in Asia'."""
        if self.focus:
            return f"{self.name(self.focus)}: clean transport briefing for {self.event.name}"
        return f"{self.event.name}: clean transport in Asia"

    def pack_subject(self) -> str:
        """What the pack covers, for the document properties."""
        who = self.name(self.focus) if self.focus else f"{len(self.countries)} countries of the region"
        return (f"Progress of {who} towards the 2030 ambitions of the Leadership Group for Clean Transport in "
                f"Asia: 30% EV sales, Euro VI, transport CO2 below 2019. {self.event.name}, {self.event.line()}.")

    def keywords(self) -> str:
        """Keywords of the document properties."""
        return "; ".join(["clean transport", "LG-CTA", "Asia LEDS Partnership", self.event.name,
                          *([self.name(self.focus)] if self.focus else [])])

    def name(self, iso3: str) -> str:
        """Country name from its ISO3 code."""
        return dict(zip(self.countries["iso3"], self.countries["name"], strict=True))[iso3]

    def area_names(self) -> str:
        return ", ".join(self.areas["name"])

    def has_area(self, code: str) -> bool:
        return code in set(self.areas["code"])

    def figure_notes(self, messages: Sequence[KeyMessage]) -> list[str]:
        """Each message, then every number it states with what it is, its year and its sources ([n])."""
        lines = []
        for msg in messages:
            lines.append(f"• {msg.text}")
            for f in msg.figures:
                year = f" ({f.year})" if f.year and f.text != str(f.year) else ""
                ref = self.refs.ref(f.source_ids)
                where = f"source {ref}" if ref else f"counted by the tracker's gap analysis, {self.as_of:%d %b %Y}"
                lines.append(f"    {f.text}: {f.label}{year}; {where}")
        return lines


class PackRefused(ValueError):
    """A pack cannot be built as asked (a template that is not a PowerPoint file, the chart export missing);
    the message says what to do, in one line. Nothing was written."""
