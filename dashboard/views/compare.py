"""Compare countries: two to four side by side (key figures, stages, charts); the choice lives in the URL."""

import streamlit as st

from ctatracker.charts.gaps import euro_timeline_compact
from ctatracker.charts.progress import progress_chart
from ctatracker.findings import compare, profile
from ctatracker.store import queries
from dashboard import chart_view, components, profile_ui, state
from dashboard.data import load
from dashboard.safe_text import md

DEFAULT = ["THA", "VNM", "IND"]
DERIVED = "derived"
VEHICLES = {DERIVED: "All vehicles, derived by the tracker", "all_vehicles": "All vehicles, as reported",
            "cars": "Cars", "two_three_wheelers": "Two/three-wheelers", "buses": "Buses", "vans": "Vans",
            "trucks": "Trucks"}

st.title("Compare countries")
countries = load(queries.countries)
names = dict(zip(countries["iso3"], countries["name"], strict=True))
chosen = state.url_multiselect("Countries (two to four)", list(names), "compare",
                               default=[c for c in DEFAULT if c in names], max_selections=4,
                               format_func=lambda c: names.get(c, c))
if len(chosen) < 2:
    st.info("Choose two to four countries to compare them side by side.", icon=":material/info:")
    st.stop()

profiles = load(profile.country_profiles, countries=list(chosen))
st.header("Key figures")
profile_ui.figures_side_by_side(compare.compare_table(profiles))
st.caption("Each figure with its year; the status says where the country stands against the regional goal. "
           "Open a country's profile for the basis and the source of each figure.")

st.header("Stage of each action area")
profile_ui.stages_side_by_side(profiles)

st.header("EV share of new vehicle sales")
kinds = [k for k in VEHICLES if k == DERIVED or any(k in set(p.share_series["mode"]) for p in profiles
                                                      if not p.share_series.empty)]
kind = state.url_selectbox("Vehicles", kinds, "vehicles", format_func=VEHICLES.get)
series = compare.derived_as_series(profiles) if kind == DERIVED else compare.share_series_of(profiles, kind)
targets = compare.targets_of(profiles)
if series.empty:
    components.no_data(f"{VEHICLES[kind].lower()} in these countries", "Choose other vehicles or countries.")
else:
    mode = "all_vehicles" if kind == DERIVED else kind
    missing = [p.name for p in profiles if p.iso3 not in set(series["country_iso3"])]
    chart_view.show(progress_chart, title=f"EV share of new vehicle sales, {VEHICLES[kind].lower()}",
                    sources=series, name=f"compare ev share {kind} {' '.join(chosen)}", key="compare_share",
                    note=f"No figure for {', '.join(missing)}." if missing else None, series=series,
                    targets=targets[targets["mode"].map(str) == mode],
                    y_title=f"{VEHICLES[kind]}: share of new sales (%)")
    components.source_note(series, series["year"])
    if kind == DERIVED:
        st.caption("Derived by the tracker from the sales of each vehicle type; each point's coverage is in its "
                   "hover. Targets: white markers with a dark outline.")
    if missing:
        st.caption("No figure for " + ", ".join(md(m) for m in missing) + ".")

standards = compare.standards_of(profiles)
st.header("Emission standards: Euro level by the year it applies to new vehicles")
if standards.empty:
    components.no_data("emission standards in these countries", "The secretariat records them with a source.")
else:
    chart_view.show(euro_timeline_compact, title="Euro emission standard level, by the year it applies",
                    sources=standards, name=f"compare euro levels {' '.join(chosen)}", key="compare_euro",
                    standards=standards)
    components.source_note(standards)
st.header("Country profiles")
for p in profiles:
    st.page_link("views/country.py", label=md(p.name), query_params={"country": p.iso3}, icon=":material/flag:")
