"""The Gap analysis page's answer on the communique's third ambition: is transport CO₂ below its 2019 level? Every
sentence and figure comes from the CO₂ findings (`ctatracker.findings.co2`); this module only lays them out."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ctatracker.charts.gaps import text_colour
from ctatracker.charts.overview import CO2_COLOURS
from ctatracker.findings.model import CO2_GROUP_LABELS, Co2Finding, Group
from ctatracker.io.exports import ExportMeta, as_shown, file_name
from ctatracker.store import queries
from dashboard import components, findings_ui
from dashboard.data import load
from dashboard.safe_text import md


def table(found: list[Co2Finding]) -> pd.DataFrame:
    """One row per country, as its finding says it."""
    return pd.DataFrame([{
        "Country": f.country_name, "Against 2019": f.status_label, "Latest figure": f.figure,
        "Change since 2019": f.change, "Direction after the pandemic years": f.trend, "Needed by 2030": f.pace,
        "Source": f.source or None, "Other sources": "; ".join(f.others) or None,
        "_colour": CO2_COLOURS[CO2_GROUP_LABELS[f.group]]} for f in found])


def _paint(colour: str | None) -> str:
    bg = colour or "#FFFFFF"
    return f"background-color: {bg}; color: {text_colour(bg)}"


def render(countries: list[str] | None = None) -> None:
    """Who is below, about or above 2019 (by name), the regional total, a table of every country (or of
    `countries`), the method's figures behind an expander, the sources and the credit line their licence asks
    for."""
    found = findings_ui.current()
    region = found.regional_of("co2")
    st.header("Is transport CO₂ below its 2019 level?")
    if region is None or not found.co2:
        components.no_data("transport CO₂", "No transport CO₂ figure is recorded; the secretariat's import of "
                           "EDGAR's workbook (*Import IEA data* page) would fill it.")
        return
    st.markdown("\n".join(f"- **{md(label)}:** {md(', '.join(members))}" for label, members in
                          region.named_groups()))
    for line in region.details:
        st.markdown(md(line))
    ordered = sorted((f for f in found.co2 if not countries or f.country_iso3 in countries),
                     key=lambda f: (list(Group).index(f.group), f.country_name))
    if not ordered:
        return
    frame = table(ordered)
    colours = dict(zip(frame["Against 2019"], frame.pop("_colour"), strict=True))
    st.dataframe(frame.style.map(lambda v: _paint(colours.get(v)), subset=["Against 2019"]), hide_index=True,
                 width="stretch", placeholder="–", key="co2_table",
                 column_config={"Country": st.column_config.TextColumn(pinned=True)})
    st.caption("Each country's latest yearly figure against its 2019 figure from the same source family; within "
               "2% either way counts as about the 2019 level. The pandemic years 2020–2021 are never used alone "
               "for a direction. See [methodology](/methodology).")
    with st.expander("How each was computed"):
        st.markdown("\n".join(f"- **{md(f.country_name)}**: {md(f.technical)}" for f in ordered))
        if region.technical:
            st.markdown(f"- **Regional total**: {md(region.technical)}")
    src = load(queries.sources)
    cited = src[src["id"].isin(set(region.source_ids))].rename(
        columns={c: f"source_{c}" for c in ("title", "publisher", "year", "url", "licence")})
    credits = tuple(dict.fromkeys(c for f in ordered for c in f.attribution))
    as_of = load(queries.last_update)
    meta = ExportMeta(title="Transport CO₂ against the 2019 level", as_of=(as_of or pd.Timestamp.today()).date(),
                      indicator="Transport CO₂ emissions", unit="Mt CO₂ a year",
                      target="Transport CO₂ emissions below 2019 levels (communique, regional)",
                      sources=components.sources_meta(cited), notes=credits)
    components.downloads(as_shown(frame), file_name("gap", "transport-co2-below-2019"), "co2", meta)
    components.source_note(cited)
    st.caption(md(" · ".join(credits)))
