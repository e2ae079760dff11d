"""Findings rendered for the pages: the communique answered in words, who stands where, the largest gaps without
support. Every sentence comes from `ctatracker.findings`; this module only lays them out."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from ctatracker.findings.model import Finding, Findings, RegionalFinding
from ctatracker.findings.read import findings
from dashboard.data import load
from dashboard.safe_text import md


def current() -> Findings:
    """The findings of the data version the app reads (computed once for every session)."""
    return load(findings)


def with_findings(rows: pd.DataFrame) -> pd.DataFrame:
    """Gap-table rows with the status, its label, its explanation and the plain sentence (`finding`) their
    findings give (the same for every target, except the transport CO₂ one, whose findings follow the CO₂
    assessment), so a table never says other than the findings."""
    found = current()
    said = {(f.country_iso3, f.target_id): f for f in (*found.ev30, *found.targets)}
    hits = [said.get(k) for k in zip(rows["country_iso3"], rows["target_id"], strict=True)]

    def pick(column: str, value: Callable[[Finding], object]) -> list:
        return [value(f) if f is not None else v for f, v in zip(hits, rows[column], strict=True)]

    return rows.assign(status=pick("status", lambda f: f.status.value), status_label=pick(
        "status_label", lambda f: f.status_label), explanation=pick("explanation", lambda f: f.technical),
        finding=[f.plain if f is not None else None for f in hits])


def regional(r: RegionalFinding, *, heading_level: int = 2) -> None:
    """One ambition: its title, the countries in each group by name, and its regional figure with coverage."""
    st.markdown(f"{'#' * heading_level} {md(r.title)}")
    groups(r)


def groups(r: RegionalFinding) -> None:
    """The countries in each group of one ambition by name, then its regional figure with coverage."""
    st.markdown("\n".join(f"- **{md(label)}:** {md(', '.join(members))}" for label, members in r.named_groups()))
    for line in r.details:
        st.markdown(md(line))


def answer(found: Findings) -> None:
    """The communique answered: who is on track, off track, indicative only or without a figure for each 2030
    ambition, and the three largest gaps without support."""
    for r in found.regional:
        regional(r)
    unsupported(found)


def unsupported(found: Findings) -> None:
    """The largest gaps with no activity under way (or a line saying every gap has support)."""
    st.markdown("## Largest gaps without support")
    if found.unsupported:
        st.markdown("\n".join(f"- {md(line)}" for line in found.unsupported))
        st.caption("Off-track countries with no cooperation or technical assistance activity under way in that "
                   "action area, the largest gap first. [Cooperation](/cooperation) lists what could be offered.")
    else:
        st.markdown("Every off-track country has an activity under way in that action area.")
