"""Activities: technical assistance and cooperation, filtered, on a timeline and in a downloadable table."""

import datetime as dt

import pandas as pd
import streamlit as st

from ctatracker.charts.activities import status_label, timeline
from ctatracker.io.iati import activities_xml
from ctatracker.model.enums import ActivityStatus
from ctatracker.store import queries
from ctatracker.store.cooperation import activity_participants
from dashboard import chart_panel, chart_view, components, state
from dashboard.data import load

st.title("Activities")
st.caption("Technical assistance, workshops, study visits and other cooperation supporting the communique.")
countries = load(queries.countries)
names = dict(zip(countries["iso3"], countries["name"], strict=True))
areas = load(queries.action_areas)
area_names = dict(zip(areas["code"], areas["name"], strict=True))
statuses = [s.value for s in ActivityStatus] + ["not stated"]

top = st.columns(3)
with top[0]:
    chosen = state.url_multiselect("Countries", list(names), "countries", default=[],
                                   format_func=lambda c: names.get(c, c), placeholder="All countries")
with top[1]:
    area = state.url_multiselect("Action area", list(area_names), "area", default=[],
                                 format_func=lambda c: area_names.get(c, c), placeholder="All areas")
with top[2]:
    status = state.url_multiselect("Status", statuses, "status", default=[],
                                   format_func=lambda s: s.capitalize(), placeholder="Any status")
low = st.columns([2, 1])
partner = low[0].text_input("Partner (implementer or funder)", value=st.query_params.get("partner", ""),
                            key="w_partner", placeholder="e.g. GIZ, ADB, ICLEI")
if partner:
    st.query_params["partner"] = partner
elif "partner" in st.query_params:
    del st.query_params["partner"]
alp_only = low[1].toggle("ALP-supported only", key="alp_only")
if chosen:
    st.caption("With a country filter, regional activities (no single country) are still listed.")

frame = load(queries.activities, countries=chosen, action_areas=area)
frame["status"] = frame["status"].map(status_label)
if status:
    frame = frame[frame["status"].isin(status)]
if partner:
    partners = frame[["implementers", "funders"]].fillna("").agg(" ".join, axis=1)
    frame = frame[partners.str.contains(partner, case=False, regex=False)]
if alp_only:
    frame = frame[frame["alp_supported"].fillna(False).astype(bool)]

if frame.empty:
    st.info("No activity matches these filters. Clear a filter above to see more.", icon=":material/filter_alt_off:")
    st.stop()

TIMELINE_LIMIT = 80
on_chart = frame.head(TIMELINE_LIMIT)  # the query lists the most recent first
chart_view.show(timeline, title="Cooperation and technical assistance activities over time", sources=on_chart,
                name="activities timeline", key="activities_timeline", activities=on_chart, today=dt.date.today())
undated = int((frame["start_date"].isna() & frame["start_year"].isna()).sum())
st.caption("Bars use exact dates where recorded; year-only dates are drawn as whole years and ongoing activities "
           "without an end run to today (hover for details)."
           + (f" The timeline shows the {TIMELINE_LIMIT} most recent of {len(frame)} activities: filter above to "
              "see others; the table lists them all." if len(frame) > TIMELINE_LIMIT else "")
           + (f" {undated} activit{'y has' if undated == 1 else 'ies have'} no start date and appear only in the "
              "table." if undated else ""))

view = frame.assign(
    start=[pd.Timestamp(d).date() if pd.notna(d) else (int(y) if pd.notna(y) else None)
           for d, y in zip(frame["start_date"], frame["start_year"], strict=True)],
    end=[pd.Timestamp(d).date() if pd.notna(d) else (int(y) if pd.notna(y) else None)
         for d, y in zip(frame["end_date"], frame["end_year"], strict=True)],
    source=[f"{p} ({int(y)})" if pd.notna(y) else f"{p} (undated)"
            for p, y in zip(frame["source_publisher"], frame["source_year"], strict=True)],
)
view["kind"] = view["kind"].str.replace("_", " ")
view["start"] = view["start"].map(lambda v: "" if v is None else str(v))
view["end"] = view["end"].map(lambda v: "not recorded" if v is None else str(v))
columns = ["title", "country_name", "action_area_name", "kind", "status", "alp_supported", "implementers",
           "funders", "start", "end", "outputs", "url", "source"]
components.table(view[columns], "activities", "activities", column_config={
    "url": components.link_column("Report"), "country_name": "Country", "action_area_name": "Action area",
    "alp_supported": st.column_config.CheckboxColumn("ALP")}, sources=frame)
st.download_button("IATI-style XML", lambda: activities_xml(
                       frame, load(activity_participants, activity_ids=list(frame["id"]))),
                   f"activities-iati-2.03-{load(queries.last_update) or pd.Timestamp.today():%Y-%m-%d}.xml",
                   "application/xml", key="iati_xml", icon=":material/download:", on_click="ignore",
                   help="These activities as IATI 2.03 activity XML, valid against the IATI schema (see the "
                   "methodology for the tracker's choices).")
components.source_note(frame)
st.caption(chart_panel.terms_line(frame))
chart_panel.copy_link()
