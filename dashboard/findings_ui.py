"""Findings rendered for the pages: the communique answered in words, who stands where, the largest gaps without
support. Every sentence comes from `ctatracker.findings`; this module only lays them out."""

from __future__ import annotations

import streamlit as st

from ctatracker.findings.model import Findings, RegionalFinding
from ctatracker.findings.read import findings
from dashboard.data import load
from dashboard.safe_text import md


def current() -> Findings:
    """The findings of the data version the app reads (computed once for every session)."""
    return load(findings)


def regional(r: RegionalFinding, *, heading_level: int = 3) -> None:
    """One ambition: its title, the countries in each group by name, and its regional figure with coverage."""
    st.markdown(f"{'#' * heading_level} {md(r.title)}")
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
    st.markdown("### Largest gaps without support")
    if found.unsupported:
        st.markdown("\n".join(f"- {md(line)}" for line in found.unsupported))
        st.caption("Off-track countries with no cooperation or technical assistance activity under way in that "
                   "action area, the largest gap first. [Cooperation](/cooperation) lists what could be offered.")
    else:
        st.markdown("Every off-track country has an activity under way in that action area.")
