"""Reporting status: which figures and stages each country has, which are stale, which are missing."""

import datetime as dt

import pandas as pd
import streamlit as st

from ctatracker.analysis import reporting
from ctatracker.config import settings
from ctatracker.model.enums import Role
from dashboard import auth_ui, components, data
from dashboard.safe_text import md

FORM_LINKS = {"figure": "/my_country?tab=Observation", "stage": "/my_country?tab=Implementation+stage"}

st.title("Reporting status")
years = settings().stale_after_years
this_year = dt.date.today().year
st.write(f"For each country: the latest year for which the tracker holds a figure of each indicator, and the "
         f"implementation stage of each action area with the date it was assessed. A figure or a stage is "
         f"**stale** when it is more than {years} years old (before {this_year - years}); **no data** means the "
         "tracker holds none: it is never counted as zero.")

actor = auth_ui.current_actor()
own = actor.country_iso3 if actor is not None and actor.role is Role.FOCAL_POINT else None
indicators = data.load(reporting.indicator_status, stale_after_years=years)
stages = data.load(reporting.stage_status)

if own:
    missing, old_stages = data.load(reporting.gaps_of, country=own, stale_after_years=years)
    name = indicators.loc[indicators["country_iso3"] == own, "country_name"].iloc[0]
    with st.container(border=True, key="own_gaps"):
        st.header(f"What {md(name)} can fill")
        if missing.empty and old_stages.empty:
            st.success("Every indicator has a recent figure and every action area a recent stage.")
        lines = [f"- **{md(r['indicator_name'])}**: "
                 + ("no data" if r["status"] == reporting.NO_DATA else f"latest figure for {r['latest_year']}")
                 + f" · [add a figure]({FORM_LINKS['figure']})" for r in missing.to_dict("records")]
        lines += [f"- **{md(r['action_area_name'])}**: "
                  + ("no stage recorded" if not isinstance(r["stage"], str)
                     else f"stage assessed on {pd.Timestamp(r['as_of']):%d %b %Y}")
                  + f" · [record the stage]({FORM_LINKS['stage']})" for r in old_stages.to_dict("records")]
        if lines:
            st.markdown("\n".join(lines))

counts = indicators["status"].value_counts()
left, mid, right = st.columns(3)
left.metric("Figures up to date", int(counts.get(reporting.UP_TO_DATE, 0)))
mid.metric("Stale", int(counts.get(reporting.STALE, 0)))
right.metric("No data", int(counts.get(reporting.NO_DATA, 0)))
st.caption("Counted over every country and indicator pair.")

st.header("Figures: latest year with data")
wide = reporting.grid(indicators, first=own).drop(columns="country_iso3").rename(columns={"country_name": "Country"})
st.dataframe(wide, hide_index=True, placeholder="–", width="stretch", key="status_grid")
st.header("Implementation stages and when they were assessed")
st.dataframe(reporting.stage_grid(stages, first=own, stale_after_years=years).drop(columns="country_iso3").rename(
    columns={"country_name": "Country"}), hide_index=True, placeholder="–", width="stretch", key="stage_grid")
st.caption("Download the whole status, one line per country and indicator or action area:")
components.downloads(report := data.load(reporting.report, stale_after_years=years), "reporting status", "reporting",
                     components.table_meta("reporting status", report, f"Stale: a figure or stage more than {years} "
                                           "years old. No data: the tracker holds none (never counted as zero)."))
