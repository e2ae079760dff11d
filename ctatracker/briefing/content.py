"""What a briefing pack holds: its data read once (`PackData`), its numbered sources (`SourceIndex`), the event
it is for, and the slide geometry the deck's modules share. No I/O: `pack.gather` fills it."""

from __future__ import annotations

import datetime as dt
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
LEFT, TOP, INNER, BOTTOM = 0.5, 1.3, 12.33, 6.85
"""Content area of a slide, in inches: left edge, top (below the title), width, bottom (above the footer)."""
PX = 80
"""Layout pixels per inch of slide: a 13 px chart font shows at about 12 pt."""
EURO_PX = 100
"""The Euro VI chart is drawn denser (a 13 px font at about 9 pt): its rows need room for two markers each."""
CHART_W = 7.9
"""Width of a chart beside its key message, in inches; the sentences take the rest of the slide."""


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
    images: dict[str, bytes] = field(default_factory=dict)

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
