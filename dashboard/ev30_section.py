"""The Gap analysis page's first answer: who is on track for 30% EV sales, on what basis."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ctatracker.analysis import derived
from ctatracker.charts.ev30 import ev30_chart
from ctatracker.charts.style import STATUS_COLOURS
from ctatracker.findings.model import Group
from ctatracker.io.exports import ExportMeta, as_shown, file_name
from ctatracker.store import queries
from dashboard import chart_panel, chart_view, components, findings_ui
from dashboard.data import load
from dashboard.safe_text import md


def _table(found: list) -> pd.DataFrame:
    """One row per country from its finding: status, figure, what it counts, pace, scenario, support."""
    return pd.DataFrame([{
        "Country": f.country_name, "Status": f.status_label,
        "Figure": f.figure if f.basis.has_figure else "; ".join(e.text for e in f.evidence) or "no figure",
        "What the figure counts": f.basis.words or ("indicative evidence only" if f.evidence else "–"),
        "Pace": f.pace, "IEA scenario": f.scenario, "Support under way": "; ".join(f.support) or "none recorded",
        "_status": f.status.value} for f in found])


def render() -> None:
    """The 30% question: status per country with its basis, the chart, the table and its sources."""
    ev30 = load(derived.ev30_table)
    st.header("Who is on track for 30% EV sales by 2030?")
    if ev30.empty:
        components.no_data("the regional EV sales ambition", "No regional EV sales share target is recorded.")
        return
    target = float(ev30["target_value"].dropna().iloc[0]) if ev30["target_value"].notna().any() else 30.0
    year = int(ev30["target_year"].dropna().iloc[0]) if ev30["target_year"].notna().any() else None
    found = findings_ui.current()
    region = found.regional_of("ev30")
    if region is not None:
        findings_ui.groups(region)
    st.caption("Each country is assessed on the EV share of all its new vehicle sales where a source gives it, "
               "or where the tracker can derive it from EV sales and shares by vehicle type; otherwise on one "
               "vehicle type as a named proxy, marked indicative. The IEA scenario is a projection: it is shown "
               "beside the status only on the same vehicle types, never used to set it.")
    ids = {i.strip() for text in ev30["source_ids"].dropna() for i in str(text).split(";") if i.strip()}
    src = load(queries.sources)
    cited = src[src["id"].isin(ids)].rename(
        columns={c: f"source_{c}" for c in ("title", "publisher", "year", "url", "licence")})
    uses = ev30["source_ids"].dropna().str.split(";").explode().str.strip()  # each source as often as it is cited
    chart_view.show(ev30_chart, title=f"EV share of new vehicle sales: each country's latest figure against "
                    f"{target:g}% by {year or 2030}", sources=cited.set_index("id").loc[uses[uses.isin(ids)]]
                    .reset_index(), name=f"ev share against {target:g}% by {year}",
                    key="ev30_chart", ev30=ev30, target=target, target_year=year)
    ordered = sorted(found.ev30, key=lambda f: (list(Group).index(f.group), -(f.basis.value or -1), f.country_name))
    missing = [f for f in ordered if not f.basis.has_figure]
    if missing:
        st.caption("Not drawn, no yearly figure to draw: " + md("; ".join(
            f"{f.country_name} (indicative evidence: {f.evidence[0].text})" if f.evidence else
            f"{f.country_name} (no figure)" for f in missing)) + ".")
    table = _table(ordered)
    colours = dict(zip(table["Status"], table["_status"].map(STATUS_COLOURS), strict=True))
    frame = table.drop(columns="_status")
    st.dataframe(frame.style.map(lambda v: _paint(colours.get(v)), subset=["Status"]), hide_index=True,
                 width="stretch", placeholder="–", column_config={
                     "Country": st.column_config.TextColumn(pinned=True),
                     "What the figure counts": st.column_config.TextColumn(width="medium")})
    with st.expander("How each status was computed"):
        st.markdown("\n".join(f"- **{md(f.country_name)}**: {md(f.technical)}" for f in ordered))
    as_of = load(queries.last_update)
    meta = ExportMeta(title="Who is on track for 30% EV sales by 2030", as_of=(as_of or pd.Timestamp.today()).date(),
                      indicator="EV share of new vehicle sales", unit="% of new vehicle sales",
                      target=f"{target:g}% EV share of new vehicle sales by {year or 2030} (communique, regional)",
                      sources=components.sources_meta(cited),
                      notes=("What the figure counts: the basis each status rests on (all vehicles reported or "
                             "derived, or one vehicle type as a named proxy, marked indicative). The IEA scenario is "
                             "a projection, never used to set a status.",))
    components.downloads(as_shown(frame), file_name("on track for", f"{target:g}%", "ev sales by", year or 2030),
                         "ev30", meta)
    components.source_note(cited, ev30["latest_year"])
    st.caption(chart_panel.terms_line(cited))
    chart_panel.copy_link()


def _paint(background: str | None) -> str:
    from ctatracker.charts.gaps import text_colour

    bg = background or "#FFFFFF"
    return f"background-color: {bg}; color: {text_colour(bg)}"
