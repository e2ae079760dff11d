"""The Gap analysis page's first answer: who is on track for 30% EV sales, on what basis."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ctatracker.analysis import derived, ev_share
from ctatracker.analysis.gaps import ACHIEVED, OFF_TRACK, ProgressStatus
from ctatracker.charts.ev30 import ev30_chart
from ctatracker.charts.style import CHART_CONFIG, STATUS_COLOURS
from ctatracker.io.exports import ExportMeta, as_shown, file_name
from ctatracker.store import queries
from dashboard import chart_panel, components
from dashboard.data import figure, load

COLUMNS = {"country_name": "Country", "status_label": "Status", "basis": "Basis",
           "latest_value": "Latest share (%)", "latest_year": "Year",
           "projected_value": "Straight line to the target year (%)", "scenario_value": "IEA scenario (%)",
           "scenario_label": "Scenario", "explanation": "How the status was set",
           "other_figures": "More recent figures not used"}
BASIS_WORDS = {"reported": "all vehicles, as reported", "derived": "all vehicles, derived from mode data",
               "proxy": "a single mode as a proxy", "none": "no data"}


def _count_line(ev30: pd.DataFrame) -> str:
    """'On track or achieved: 3 · Off track: 5 · Cannot be assessed: 9' with the bases used."""
    status = ev30["status"]
    good = int(status.isin([s.value for s in (*ACHIEVED, ProgressStatus.ON_TRACK)]).sum())
    off = int(status.isin([s.value for s in OFF_TRACK]).sum())
    unknown = int((status == ProgressStatus.INSUFFICIENT_DATA.value).sum())
    basis = ev30.loc[status != ProgressStatus.INSUFFICIENT_DATA.value, "basis_kind"].value_counts()
    how = ", ".join(f"{n} on {BASIS_WORDS[k]}" for k, n in basis.items()) or "none assessed"
    return (f"**On track or achieved: {good}** · **Off track: {off}** · **Cannot be assessed: {unknown}** "
            f"of {len(ev30)} countries ({how}).")


def _regional_line(region: dict) -> str | None:
    if region.get("value") is None:
        return None
    text = (f"Across the countries with sales by mode ({region['coverage']}), electric vehicles were "
            f"**{region['value']:.1f}%** of new vehicle sales in {region['year']}, sales-weighted. This is not a "
            "figure for the whole region: countries without such data are left out.")
    if region.get("largest") and region.get("without_largest") is not None:
        big = load(queries.countries).set_index("iso3")["name"].get(region["largest"], region["largest"])
        text += (f" {big} makes {region['largest_share']:.0f}% of these sales; without it the share is "
                 f"{region['without_largest']:.1f}%.")
    return text


def render() -> None:
    """The 30% question: status per country with its basis, the chart, the table and its sources."""
    ev30 = load(derived.ev30_table)
    st.subheader("Who is on track for 30% EV sales by 2030?")
    if ev30.empty:
        components.no_data("the regional EV sales ambition", "No regional EV sales share target is recorded.")
        return
    target = float(ev30["target_value"].dropna().iloc[0]) if ev30["target_value"].notna().any() else 30.0
    year = int(ev30["target_year"].dropna().iloc[0]) if ev30["target_year"].notna().any() else None
    st.markdown(_count_line(ev30))
    st.caption("Each country is assessed on the EV share of all its new vehicle sales where a source gives it, "
               "or where the tracker can derive it from EV sales and shares by vehicle type; otherwise on one "
               "vehicle type as a named proxy (cars, or its largest type), shown as an open circle. The IEA "
               "scenario is a projection: it is shown beside the status, never used to set it.")
    regional = _regional_line(load(derived.regional_ev_share))
    if regional:
        st.markdown(regional)
    st.plotly_chart(figure(ev30_chart, ev30=ev30, target=target, target_year=year), config=CHART_CONFIG,
                    key="ev30_chart")
    missing = ev30.loc[ev30["latest_value"].isna(), "country_name"]
    if not missing.empty:
        st.caption(f"Not drawn, no EV sales share figure of any kind: {', '.join(missing)}.")
    colours = {label: STATUS_COLOURS[s] for label, s in zip(ev30["status_label"], ev30["status"], strict=True)}
    frame = ev_share.in_status_order(ev30)[list(COLUMNS)].rename(columns=COLUMNS)
    st.dataframe(frame.style.map(lambda v: _paint(colours.get(v)), subset=["Status"]), hide_index=True,
                 width="stretch", placeholder="–", column_config={
                     "Country": st.column_config.TextColumn(pinned=True),
                     "Basis": st.column_config.TextColumn(width="large"),
                     "Year": st.column_config.NumberColumn(format="%d"),
                     **{c: st.column_config.NumberColumn(format="%.1f") for c in
                        ("Latest share (%)", "Straight line to the target year (%)", "IEA scenario (%)")},
                     "How the status was set": st.column_config.TextColumn(width="large")})
    ids = {i.strip() for text in ev30["source_ids"].dropna() for i in str(text).split(";") if i.strip()}
    src = load(queries.sources)
    cited = src[src["id"].isin(ids)].rename(
        columns={c: f"source_{c}" for c in ("title", "publisher", "year", "url", "licence")})
    as_of = load(queries.last_update)
    meta = ExportMeta(title="Who is on track for 30% EV sales by 2030", as_of=(as_of or pd.Timestamp.today()).date(),
                      indicator="EV share of new vehicle sales", unit="% of new vehicle sales",
                      target=f"{target:g}% EV share of new vehicle sales by {year or 2030} (communique, regional)",
                      sources=components.sources_meta(cited),
                      notes=("Basis: the figure each status rests on (all vehicles reported or derived, or one "
                             "vehicle type as a named proxy). The IEA scenario is a projection, never used to set "
                             "a status.",))
    components.downloads(as_shown(frame, years=["Year"], decimals=dict.fromkeys(
        ["Latest share (%)", "Straight line to the target year (%)", "IEA scenario (%)"], 1)),
        file_name("gap", f"{target:g}%", "ev-sales-share"), "ev30", meta)
    components.source_note(cited, ev30["latest_year"])
    st.caption(chart_panel.terms_line(cited))
    chart_panel.copy_link()


def _paint(background: str | None) -> str:
    from ctatracker.charts.gaps import text_colour

    bg = background or "#FFFFFF"
    return f"background-color: {bg}; color: {text_colour(bg)}"
