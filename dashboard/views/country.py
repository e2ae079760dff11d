"""Country profile: groupings, then per action area the stage, policies, indicators, gaps and activities."""

import pandas as pd
import streamlit as st

from ctatracker import analysis, queries
from ctatracker.charts.activities import status_label
from ctatracker.charts.progress import mode_label
from ctatracker.charts.style import STAGE_LABELS
from dashboard import components, state
from dashboard.data import load
from dashboard.safe_text import link, md

GROUPING_LABELS = {"lg_cta": "LG-CTA", "alp_clean_mobility_cop": "ALP Clean Mobility Community of Practice",
                   "ndc_tia_peer_network": "NDC Transport Initiative for Asia peer network"}
UNITS = {"percent": "%", "mt_co2": " Mt CO2", "mt_co2e": " Mt CO2e"}
CLASS_LABELS = {"light_duty": "Light-duty vehicles", "heavy_duty": "Heavy-duty vehicles"}


def _cite(row: pd.Series) -> str:
    """'Publisher 2024 (domain)' as Markdown: the text escaped, only the checked URL's domain a link."""
    year = f" {int(row['source_year'])}" if pd.notna(row.get("source_year")) else ""
    return link(row.get("source_url"), f"{row['source_publisher']}{year}")


def _years(row: dict) -> str:
    """'2023–2024' from the dates or years of an activity; 'dates not recorded' when there are none."""
    parts = []
    for day, year in ((row["start_date"], row["start_year"]), (row["end_date"], row["end_year"])):
        if pd.notna(day):
            parts.append(str(pd.Timestamp(day).year))
        elif pd.notna(year):
            parts.append(str(int(year)))
    return "–".join(dict.fromkeys(parts)) or "dates not recorded"


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def _indicator_table(obs: pd.DataFrame) -> pd.DataFrame:
    """Key indicators of one area: latest value, year, source and a sparkline of every year (one source each)."""
    rows = []
    for (_code, mode, _src), part in obs.sort_values("year").groupby(["indicator_code", "mode", "source_id"]):
        last = part.iloc[-1]
        unit = UNITS.get(last["unit"], " " + str(last["unit"]).replace("_", " ")).strip()
        rows.append({"indicator": last["indicator_name"],
                     "scope": "" if mode == "not_applicable" else mode_label(mode),
                     "latest": _num(last["value"]) + (unit if unit == "%" else f" {unit}"), "year": last["year"],
                     "trend": part["value"].tolist() if len(part) > 1 else None,
                     "source": f"{last['source_publisher']} ({_cite_year(last)})", "note": last["note"]})
    return pd.DataFrame(rows)


def _cite_year(row: pd.Series) -> str:
    return str(int(row["source_year"])) if pd.notna(row.get("source_year")) else "undated"


def _activity_list(frame: pd.DataFrame, heading: str) -> None:
    if not frame.empty:
        st.markdown(f"**{heading}**  \n" + "  \n".join(
            f"- {md(r['title'])} ({md(status_label(r['status']))}, {_years(r)})" for r in frame.to_dict("records")))


st.title("Country profiles")
countries = load(queries.countries)
names = dict(zip(countries["iso3"], countries["name"], strict=True))
iso = state.url_selectbox("Country", list(names), "country", format_func=lambda c: names.get(c, c))
if iso is None:
    components.no_data("any country", "Countries are added to data/seed/countries.csv.")
    st.stop()
country = countries.set_index("iso3").loc[iso]
used: list[pd.DataFrame] = []

st.header(md(country["name"]))
members = load(queries.memberships, country=iso)
used.append(members)
lines = [f"**Subregion:** {md(country['subregion'])}"]
for row in members.to_dict("records"):
    since = f" since {int(row['since_year'])}" if pd.notna(row["since_year"]) else ""
    lines.append(f"**{md(GROUPING_LABELS.get(row['grouping'], row['grouping']))}:** {md(row['status'])}{since} "
                 f"(source: {_cite(row)})")
if "lg_cta" not in set(members["grouping"]):
    lines.append("**LG-CTA membership:** not recorded (the secretariat maintains membership)")
focal = country["focal_institution"]
lines.append(f"**Focal institution:** {md(focal) if isinstance(focal, str) and focal else 'not recorded'}")
updated = load(queries.last_update, country=iso)
lines.append(f"**Last update:** {updated:%d %b %Y}" if updated is not None else "**Last update:** not recorded")
st.markdown("  \n".join(lines))

areas = load(queries.action_areas)
stages = load(queries.commitments, country=iso).set_index("action_area_code")
policies = load(queries.policies, country=iso)
obs = load(queries.observations, countries=[iso])
indicators = load(queries.indicators).set_index("code")
obs["area"] = obs["indicator_code"].map(indicators["action_area_code"])
gap = load(analysis.gap_table)
gap = gap[gap["country_iso3"] == iso].copy()
gap["area"] = gap["indicator_code"].map(indicators["action_area_code"])
euro = load(analysis.euro_table)
euro = euro[euro["country_iso3"] == iso]
activities = load(queries.activities, countries=[iso], include_regional=False)
needs = load(queries.needs, countries=[iso]).set_index("action_area_code")
used += [stages.reset_index(), policies, obs, activities, load(queries.targets, country=iso), needs]

for area in areas.to_dict("records"):
    code = area["code"]
    stage = stages.loc[code] if code in stages.index else None
    label = STAGE_LABELS.get(stage["stage"], stage["stage"]) if stage is not None else "no data"
    with st.expander(f"{area['number']}. {md(area['name'])} — {md(label)}", expanded=True):
        st.caption(f"Communique: {md(area['communique_wording'])}")
        if stage is None:
            st.markdown("**Stage:** no data: no implementation stage recorded "
                        "(the secretariat records stages with their evidence).")
        else:
            evidence = link(stage["evidence_url"], "evidence")
            st.markdown(f"**Stage: {md(label)}.** {md(stage['summary'], lines=True)}"
                        + (f"  \n{evidence}" if evidence else "") + "  \n"
                        f"As of {pd.Timestamp(stage['as_of']):%d %b %Y} · source: {_cite(stage)}")
        mine = policies[policies["action_area_code"] == code]
        if not mine.empty:
            st.markdown("**Policies**  \n" + "  \n".join(
                f"- {md(r['name'])} ({md(r['kind'])}, {md(r['status'].replace('_', ' '))}"
                f"{', ' + str(int(r['year'])) if pd.notna(r['year']) else ''}) {link(r['url'])}".rstrip()
                for r in mine.to_dict("records")))
        figures = _indicator_table(obs[obs["area"] == code])
        if not figures.empty:
            st.dataframe(figures, hide_index=True, width="stretch", key=f"figures_{code}", column_config={
                "trend": st.column_config.LineChartColumn("Trend (all years)", width="small"),
                "year": st.column_config.NumberColumn(format="%d")})
        missing = [c for c in indicators.index[indicators["action_area_code"] == code]
                   if c not in set(obs["indicator_code"])]
        if missing:
            st.caption("No data for " + ", ".join(md(indicators.loc[c, "name"]) for c in missing)
                       + ": a sourced figure in data/seed/observations.csv would fill it.")
        for r in gap[gap["area"] == code].to_dict("records"):
            latest = (f" Latest {_num(r['latest_value'])} ({int(r['latest_year'])})."
                      if pd.notna(r["latest_value"]) else "")
            scope = "" if r["mode"] == "not_applicable" else f", {mode_label(r['mode'])}"
            wording = str(r["wording"]).rstrip(".")
            st.markdown(f"**{md(r['status_label'])}** · {md(r['target_scope'])} target{md(scope)}: {md(wording)}."
                        f"{md(latest)}  \n{md(r['explanation'])}")
        if code == "standards":
            for r in euro.to_dict("records"):
                st.markdown(f"**Euro VI, {md(CLASS_LABELS.get(r['vehicle_class'], r['vehicle_class']))}:** "
                            f"{md(r['explanation'])}")
            used.append(load(queries.emission_standards, countries=[iso]))
        _activity_list(activities[activities["action_area_code"] == code], "Activities supporting it")
        if code in needs.index:
            need = needs.loc[code]
            cite = f" Source: {_cite(need)}." if isinstance(need["source_title"], str) else ""
            st.markdown(f"**Needs and challenges, as the country states them:** {md(need['need'], lines=True)}  \n"
                        f"*Recorded in the tracker by its focal point or the secretariat; every change is reviewed "
                        f"and kept in the history.{cite}*")

_activity_list(activities[activities["action_area_code"].isna()], "Cross-cutting activities")

st.subheader("Sources used on this page")
cited = pd.concat([f for f in used if not f.empty and "source_title" in f])
if cited.empty:
    st.caption("No source: nothing is recorded for this country yet.")
else:
    cited = cited[["source_publisher", "source_year", "source_title", "source_url"]].drop_duplicates()
    st.markdown("\n".join(f"- {_cite(r)}, {md(r['source_title'])}" for r in
                          cited.sort_values(["source_publisher", "source_title"]).to_dict("records")))
