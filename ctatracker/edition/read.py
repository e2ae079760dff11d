"""Everything the edition shows, read once from the published data: the findings, every country's profile, and the
tables the pages lay out (each computed by its own domain function; the derived tables shared within one read)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ctatracker.analysis import changes, derived, reporting
from ctatracker.analysis.headline import HeadlineFigure, overview_headline
from ctatracker.config import settings
from ctatracker.findings import profile
from ctatracker.findings.model import Findings
from ctatracker.findings.profile import Profile
from ctatracker.findings.read import findings
from ctatracker.io.open_data import data_date
from ctatracker.store import queries
from ctatracker.store.queries import Cursor

RECENT_CHANGES = 100
"""Approved changes the 'What changed' page lists, newest first."""


@dataclass(frozen=True)
class Published:
    """The published data as the edition lays it out."""

    found: Findings
    profiles: tuple[Profile, ...]
    countries: pd.DataFrame
    areas: pd.DataFrame
    commitments: pd.DataFrame
    sources: pd.DataFrame
    headline: tuple[HeadlineFigure, ...]
    ev30: pd.DataFrame
    euro: pd.DataFrame
    standards: pd.DataFrame
    rollup: pd.DataFrame
    matching: pd.DataFrame
    activities: pd.DataFrame
    charging: pd.DataFrame
    indicator_status: pd.DataFrame
    stage_status: pd.DataFrame
    changes: pd.DataFrame
    all_countries: pd.DataFrame
    as_of: dt.date
    """The date of the data: when published data last changed."""
    today: dt.date
    stale_after_years: int

    def profile(self, iso3: str) -> Profile:
        """One country's profile."""
        return next(p for p in self.profiles if p.iso3 == iso3)


def read(cur: Cursor, today: dt.date | None = None, shared: dict | None = None) -> Published:
    """Read the published data once (the gap, 30%, Euro VI and matching tables computed once and shared; in
    `shared` when given, e.g. the app's tables of the current data version)."""
    day = today or dt.date.today()
    years = settings().stale_after_years
    with derived.sharing({} if shared is None else shared):
        found = findings(cur, day)
        countries = queries.countries(cur)
        return Published(
            found=found, profiles=tuple(profile.country_profiles(cur, list(countries["iso3"]), day)),
            countries=countries, areas=queries.action_areas(cur), commitments=queries.commitments(cur),
            sources=queries.sources(cur), headline=tuple(overview_headline(cur)), ev30=derived.ev30_table(cur, day),
            euro=derived.euro_table(cur, day), standards=queries.emission_standards(cur),
            rollup=derived.rollup(cur, day), matching=derived.matching_table(cur, day),
            activities=queries.activities(cur),
            charging=queries.observations(cur, indicator_code="public_charging_points", mode="not_applicable"),
            indicator_status=reporting.indicator_status(cur, stale_after_years=years, today=day),
            stage_status=reporting.stage_status(cur), changes=changes.changes(cur, limit=RECENT_CHANGES),
            all_countries=profile.all_countries(cur, day), as_of=data_date(cur), today=day,
            stale_after_years=years)
