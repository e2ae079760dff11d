"""The grammar of key messages: a message, the figures it states, and a sentence builder that records each.

Every number in a message is written through `_Sentence.num` or `_Sentence.year`, which records it as a
`Figure` (its value, what it is, the sources behind it and the year of the data).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

EV_SHARE = "ev_sales_share"
SCOPE_WORDS = {
    "all_vehicles": "all-vehicle", "cars": "car", "two_wheelers": "two-wheeler", "three_wheelers": "three-wheeler",
    "two_three_wheelers": "two- and three-wheeler", "buses": "bus", "trucks": "truck", "vans": "van",
    "light_duty": "light-duty vehicle", "heavy_duty": "heavy-duty vehicle", "passenger_vehicles": "passenger vehicle",
}
"""Vehicle scope as an adjective: 'an x% EV share of car sales', 'all-vehicle EV sales share data'."""
CLASS_WORDS = {"heavy_duty": "heavy-duty", "light_duty": "light-duty"}


@dataclass(frozen=True)
class Figure:
    """One number stated in a message: its value, the text written, what it is, its sources and data year."""

    key: str
    value: float
    text: str
    label: str
    source_ids: tuple[str, ...] = ()
    year: int | None = None


@dataclass(frozen=True)
class KeyMessage:
    """A sentence for a briefing and every number it states."""

    topic: str
    text: str
    figures: tuple[Figure, ...] = ()
    country_iso3: str | None = None
    action_area: str | None = None

    @property
    def source_ids(self) -> tuple[str, ...]:
        """Every source behind the message's numbers, sorted."""
        return tuple(sorted({s for f in self.figures for s in f.source_ids}))

    def figure(self, key: str) -> Figure:
        """The figure recorded under `key` (KeyError if none)."""
        for fig in self.figures:
            if fig.key == key:
                return fig
        raise KeyError(key)


def number(value: float) -> str:
    """A value as written in a sentence: whole numbers with thousands separators, one decimal from 1 up,
    two significant digits below 1."""
    v = float(value)
    if v.is_integer():
        return f"{int(v):,}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 1:
        return f"{v:.1f}".rstrip("0").rstrip(".")
    return f"{v:.2g}"


def _ids(text: Any) -> tuple[str, ...]:
    """Source ids from a 'a; b' cell, a list or a tuple."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ()
    parts = text.split(";") if isinstance(text, str) else list(text)
    return tuple(sorted({str(p).strip() for p in parts if str(p).strip()}))


def _union(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(sorted({i for v in values for i in _ids(v)}))


def _present(v: Any) -> bool:
    return v is not None and not pd.isna(v)


def _names(names: Sequence[str], limit: int = 6) -> str:
    """' (A, B and C)' for a short list of names, '' for a long or empty one."""
    names = list(names)
    if not names or len(names) > limit:
        return ""
    return " (" + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]) + ")"


def _article(text: str) -> str:
    """'an' before a number read aloud with a vowel sound (8, 11, 18, 80...), else 'a'."""
    whole = text.split(".")[0].replace(",", "")
    return "an" if whole.startswith("8") or whole in ("11", "18") else "a"


def _has(n: int) -> str:
    return "has" if n == 1 else "have"


def _is(n: int) -> str:
    return "is" if n == 1 else "are"


class _Sentence:
    """Writes numbers into a sentence and records each one as a Figure."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []

    def num(self, key: str, value: float, label: str, sources: Iterable[str] = (), year: int | None = None) -> str:
        text = number(value)
        self.figures.append(Figure(key, float(value), text, label, tuple(sorted(set(sources))), year))
        return text

    def year(self, key: str, value: float, label: str, sources: Iterable[str] = ()) -> str:
        self.figures.append(Figure(key, float(int(value)), str(int(value)), label, tuple(sorted(set(sources))),
                                   int(value)))
        return str(int(value))

    def done(self, topic: str, text: str, *, country: str | None = None, area: str | None = None) -> KeyMessage:
        return KeyMessage(topic, text, tuple(self.figures), country, area)


# ---------------------------------------------------------------- Euro VI
