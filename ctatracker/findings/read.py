"""Findings read from the database: every frame read once, then composed (`compose`), once per data version."""

from __future__ import annotations

import datetime as dt

from ctatracker.analysis import derived
from ctatracker.config import settings
from ctatracker.findings.compose import Frames, compose
from ctatracker.findings.model import Findings
from ctatracker.store import queries
from ctatracker.store.queries import Cursor


def frames(cur: Cursor, as_of: dt.date | None = None) -> Frames:
    """Everything findings are made from, read through the shared derived tables."""
    day = as_of or dt.date.today()
    return Frames(
        gap=derived.gap_table(cur, day), ev30=derived.ev30_table(cur, day), euro=derived.euro_table(cur, day),
        matching=derived.matching_table(cur, day), observations=derived.observations(cur),
        targets=queries.targets(cur), indicators=queries.indicators(cur), countries=queries.countries(cur),
        regional_share=derived.latest_regional_share(cur), ev30_target_id=derived.ev30_target_id(cur),
        this_year=day.year, stale_after_years=settings().stale_after_years, sources=queries.sources(cur))


def findings(cur: Cursor, as_of: dt.date | None = None) -> Findings:
    """Every finding of the data version the cursor reads (computed once for all sessions)."""
    day = as_of or dt.date.today()
    with derived.scope():
        return derived.shared(("findings", day), lambda: compose(frames(cur, day)))
