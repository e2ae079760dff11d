"""Country profile: the country's one-page story (stages, key figures, charts, areas with content), or, with no
country chosen, every country in one table linking to its profile."""

import pandas as pd
import streamlit as st

from ctatracker.charts.activities import status_label
from ctatracker.charts.co2 import co2_chart
from ctatracker.charts.country import drawn_targets, ev_share_chart
from ctatracker.charts.gaps import euro_timeline_compact
from ctatracker.charts.progress import progress_chart
from ctatracker.findings import profile
from ctatracker.findings.model import Finding
from ctatracker.store import queries
from dashboard import chart_view, components, findings_ui, profile_ui, state
from dashboard.data import load
from dashboard.safe_text import link, md

GROUPING_LABELS = {"lg_cta": "LG-CTA", "alp_clean_mobility_cop": "ALP Clean Mobility Community of Practice",
                   "ndc_tia_peer_network": "NDC Transport Initiative for Asia peer network"}
ALL = ""
FIGURE_HEADERS = {"indicator": "Indicator", "scope": "Vehicles", "value": "Latest value", "year": "Year",
                  "source": "Source", "other_sources": "Other sources (latest figure of each)"}


def _cite(row: dict) -> str:
    """'Publisher 2024 (domain)' as Markdown: the text escaped, only the checked URL's domain a link."""
    year = f" {int(row['source_year'])}" if pd.notna(row.get("source_year")) else ""
    return link(row.get("source_url"), f"{row['source_publisher']}{year}") or md(f"{row['source_publisher']}{year}")


def _years(row: dict) -> str:
    """'2023–2024' from the dates or years of an activity; 'dates not recorded' when there are none."""
    parts = []
    for day, year in ((row["start_date"], row["start_year"]), (row["end_date"], row["end_year"])):
        if pd.notna(day):
            parts.append(str(pd.Timestamp(day).year))
        elif pd.notna(year):
            parts.append(str(int(year)))
    return "–".join(dict.fromkeys(parts)) or "dates not recorded"


def _activities(frame: pd.DataFrame, heading: str) -> None:
    if not frame.empty:
        st.markdown(f"**{heading}**  \n" + "  \n".join(
            f"- {md(r['title'])} ({md(status_label(r['status']))}, {_years(r)})" for r in frame.to_dict("records")))


def _target_line(f: Finding) -> str:
    """'- **Status** · the finding's plain sentence', its pace and caveats after it."""
    extra = " ".join(x for x in (f.pace, *f.caveats) if x)
    return f"- **{md(f.status_label)}** · {md(f.plain)}" + (f" {md(extra)}" if extra else "")


def _area(p: profile.Profile, area: dict) -> None:
    """One action area with content: stage and evidence, policies, latest figures, targets, support, needs."""
    code, f = area["code"], p.frames
    stage = f["commitments"][f["commitments"]["action_area_code"] == code]
    strip = p.stages[p.stages["code"] == code]
    label = str(strip["stage_label"].iloc[0]) if not stage.empty and not strip.empty else "No stage recorded"
    with st.expander(f"{area['number']}. {md(area['name'])}: {md(label)}", expanded=True):
        st.caption(f"Communique: {md(area['communique_wording'])}")
        if not stage.empty:
            s = stage.iloc[0]
            evidence = link(s["evidence_url"], "evidence")
            st.markdown(f"**Stage: {md(label)}.** {md(s['summary'], lines=True)}" + (f"  \n{evidence}" if evidence
                        else "") + f"  \nAs of {pd.Timestamp(s['as_of']):%d %b %Y} · source: {_cite(s)}")
        mine = f["policies"][f["policies"]["action_area_code"] == code]
        if not mine.empty:
            st.markdown("**Policies**  \n" + "  \n".join(
                f"- {md(r['name'])} ({md(r['kind'])}, {md(str(r['status']).replace('_', ' '))}"
                f"{', ' + str(int(r['year'])) if pd.notna(r['year']) else ''}) {link(r['url'])}".rstrip()
                for r in mine.to_dict("records")))
        figures = p.latest[p.latest["area"] == code]
        if not figures.empty:
            shown = figures[list(FIGURE_HEADERS)].assign(year=pd.to_numeric(figures["year"]).astype("Int64"))
            profile_ui.stacked_table(shown.rename(columns=FIGURE_HEADERS), f"Latest figures, {area['name']}")
        mine = [x for x in p.findings if x.action_area == code and (x.target_scope == "national" or
                                                                    x.basis.has_figure)]
        if mine:
            st.markdown("**Targets**  \n" + "  \n".join(_target_line(x) for x in mine))
        acts = f["activities"]
        _activities(acts[acts["action_area_code"] == code], "Activities supporting it")
        needs = f["needs"][f["needs"]["action_area_code"] == code]
        for need in needs.to_dict("records"):
            cite = f" Source: {_cite(need)}." if isinstance(need.get("source_title"), str) else ""
            st.markdown(f"**Needs and challenges, as the country states them:** {md(need['need'], lines=True)}  \n"
                        f"*Recorded by its focal point or the secretariat; every change is reviewed and kept in "
                        f"the history.{cite}*")


def _charts(p: profile.Profile) -> None:
    """EV sales share by vehicle type, the Euro-level timeline, public charging: each when it has data."""
    drawn = 0
    if not p.share_series.empty or not p.derived.empty:
        st.subheader("EV share of new vehicle sales, by vehicle type")
        chart_view.show(ev_share_chart, title=f"{p.name}: EV share of new vehicle sales, by vehicle type",
                        sources=pd.concat([p.share_series, p.scenarios, p.targets]), name=f"{p.name} ev share",
                        key="chart_ev_share", series=p.share_series, targets=p.targets, scenarios=p.scenarios,
                        derived=p.derived, iso3=p.iso3, derived_source=p.derived_source or "IEA data")
        _, later = drawn_targets(p.targets)
        later_words = "; ".join(md(str(w).rstrip(".")) for w in later["wording"])
        components.source_note(p.share_series, p.share_series["year"])
        st.caption("Each line is one measure from one source family (newest edition for each year, yearly figures "
                   "only). The dotted line is derived by the tracker; dashed lines are IEA's scenario, a projection."
                   + (f" Later targets, not drawn: {later_words}." if later_words else ""))
        drawn += 1
    if not p.standards.empty:
        st.subheader("Emission standards: Euro level by the year it applies to new vehicles")
        chart_view.show(euro_timeline_compact, title=f"{p.name}: Euro emission standard level, by the year it applies",
                        sources=p.standards, name=f"{p.name} euro levels", key="chart_euro", standards=p.standards)
        components.source_note(p.standards)
        drawn += 1
    series = p.charging_series
    if not series.empty:
        st.subheader("Public EV charging points")
        chart_view.show(progress_chart, title=f"{p.name}: public EV charging points", sources=series,
                        name=f"{p.name} public charging points", key="chart_charging", series=series)
        components.source_note(series, series["year"])
        drawn += 1
    drawn += _co2_chart(p.iso3)
    if not drawn:
        st.caption("No chart: no EV sales share, emission standard, charging or transport CO₂ figure is recorded "
                   "yet.")


def _co2_chart(iso3: str) -> int:
    """Transport CO₂ since 2010 against the 2019 level, from the country's CO₂ finding (1 when drawn)."""
    found = findings_ui.current().co2_of(iso3)
    if found is None or not found.points:
        return 0
    st.subheader("Transport CO₂ against its 2019 level")
    chart_view.show(co2_chart, title=None, sources=None, name=f"{found.country_name} transport co2 against 2019",
                    key="chart_co2", finding=found)  # its title and credit line are the finding's own
    st.caption("One source family, the newest edition for each year. Dashed: the 2019 level. Shaded: the pandemic "
               "years 2020–2021, never used alone for a trend. [How it is assessed](/methodology)")
    return 1


def _story(p: profile.Profile, areas: pd.DataFrame) -> None:
    st.header(md(p.name))
    lines = [f"{md(p.subregion)}"]
    for row in p.frames["memberships"].to_dict("records"):
        since = f" since {int(row['since_year'])}" if pd.notna(row["since_year"]) else ""
        lines.append(f"{md(GROUPING_LABELS.get(row['grouping'], row['grouping']))}: {md(row['status'])}{since}, "
                     f"source: {_cite(row)}")
    if "lg_cta" not in set(p.frames["memberships"]["grouping"]):
        lines.append("LG-CTA membership not recorded")
    lines.append(f"Focal institution: {md(p.focal_institution) if p.focal_institution else 'not recorded'}")
    st.markdown(" · ".join(lines) + f"  \n**Last updated:** {md(p.updated)}")
    profile_ui.stage_strip(p.stages)
    profile_ui.key_cards(p.key_figures)
    _charts(p)
    st.subheader("Action areas")
    for area in areas[areas["code"].isin(p.areas_with_content)].to_dict("records"):
        _area(p, area)
    if p.areas_without_data:
        st.markdown("**No data yet for:** " + ", ".join(md(n) for n in p.areas_without_data) + ".")
    acts = p.frames["activities"]
    _activities(acts[acts["action_area_code"].isna()], "Cross-cutting activities")
    st.subheader("Sources used on this page")
    cited = p.sources_cited()
    if cited.empty:
        st.caption("No source: nothing is recorded for this country yet.")
    else:
        st.markdown("\n".join(f"- {_cite(r)}, {md(r['source_title'])}" for r in
                              cited.to_dict("records")))


st.title("Country profiles")
countries = load(queries.countries)
names = {ALL: "All countries", **dict(zip(countries["iso3"], countries["name"], strict=True))}
iso = state.url_selectbox("Country", list(names), "country", format_func=lambda c: names.get(c, c))
areas = load(queries.action_areas)
if len(names) == 1:
    components.no_data("any country", "The secretariat adds the countries the tracker covers.")
elif iso == ALL:
    st.caption("Each country's stage in the communique's seven action areas and where it stands on 30% "
               "electric vehicle sales by 2030. Choose a country for its profile.")
    profile_ui.countries_table(load(profile.all_countries), areas)
else:
    _story(load(profile.country_profile, country=iso), areas)
