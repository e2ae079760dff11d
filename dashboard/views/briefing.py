"""Briefing pack: a PowerPoint deck and a Word brief for a ministerial forum, drafted from the live data."""

import datetime as dt
import re
import tempfile
from pathlib import Path

import streamlit as st

from ctatracker import analysis, key_messages, queries
from ctatracker.enums import Role
from dashboard import auth_ui
from dashboard.data import cursor, load
from dashboard.safe_text import md
from pipelines import briefing

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CUSTOM = "custom"

st.title("Briefing pack")
st.caption("Drafts the deck and the brief for the Regional EST Forum, the COP or the ALP Forum from the tracker's "
           "live data. Every number comes with its source and year (slide notes, [n] references); where data is "
           "missing the pack says so. Review the draft before it goes out.")
auth_ui.require((Role.SECRETARIAT, Role.ADMIN), "The briefing pack", writes=False)
briefing.Exporter.warm_up()  # the figure export browser starts now, while the pack is being chosen

countries = load(queries.countries)
names = dict(zip(countries["iso3"], countries["name"], strict=True))
areas = load(queries.action_areas)
area_names = dict(zip(areas["code"], areas["name"], strict=True))

left, right = st.columns(2)
with left:
    choice = st.selectbox("Event", [*briefing.EVENTS, CUSTOM], key="brief_event",
                          format_func=lambda k: "Another event…" if k == CUSTOM else
                          f"{briefing.EVENTS[k].name} ({briefing.EVENTS[k].line()})")
    if choice == CUSTOM:
        name = st.text_input("Event name", key="brief_name", placeholder="e.g. 17th Regional EST Forum in Asia")
        dates = st.date_input("Dates (first and last day)", value=(dt.date.today(), dt.date.today()),
                              key="brief_dates", format="DD/MM/YYYY")
        place = st.text_input("Place", key="brief_place")
        start, end = (dates[0], dates[-1]) if isinstance(dates, tuple) and dates else (dt.date.today(), None)
        event = briefing.Event(name.strip() or "Briefing", start, end, place.strip() or None)
    else:
        event = briefing.EVENTS[choice]
with right:
    chosen = st.multiselect("Countries (one slide each)", list(names), key="brief_countries", format_func=names.get,
                            placeholder="All countries")
    chosen_areas = st.multiselect("Action areas", list(area_names), key="brief_areas", format_func=area_names.get,
                                  placeholder="All action areas")
st.caption("The regional slides always cover every country; the selection decides the country slides and the "
           "activities listed, and the action areas decide which topics appear.")

st.subheader("Key messages (preview)")
gap, euro, rollup = load(analysis.gap_table), load(analysis.euro_table), load(analysis.rollup)
indicators = load(queries.indicators)
codes = chosen_areas or list(area_names)
acts = load(queries.activities)
acts = acts[acts["action_area_code"].isna() | acts["action_area_code"].isin(codes)]
regional = key_messages.regional_messages(
    gap, euro, rollup, load(analysis.latest_regional_share), acts, targets=load(queries.targets),
    indicators=indicators, areas=codes, names=names)
st.markdown("\n".join(f"- {md(m.text)}" for m in regional))
for iso in chosen:
    with st.expander(md(names[iso])):
        msgs = key_messages.country_messages(gap, euro, acts, iso, areas=codes, indicators=indicators)
        st.markdown("\n".join(f"- {md(m.text)}" for m in msgs))
st.caption("Each number above is traced in the pack: the slide notes list it with what it is, its year and its "
           "sources.")

if st.button("Generate the pack", key="brief_generate", type="primary", icon=":material/slideshow:"):
    bar = st.progress(0.0, text="Starting")
    slug = re.sub(r"[^a-z0-9]+", "-", event.name.lower()).strip("-") or "briefing"
    stem = f"briefing-{slug}-{event.start:%Y-%m-%d}"
    with tempfile.TemporaryDirectory() as tmp:
        result = briefing.build_pack(
            cursor(), event_name=event.name, event_date=event.start, event_end=event.end, event_place=event.place,
            countries=chosen or None, action_areas=chosen_areas or None, out_pptx=Path(tmp) / f"{stem}.pptx",
            out_docx=Path(tmp) / f"{stem}.docx", progress=lambda f, text: bar.progress(min(f, 1.0), text=text),
            keep_export_server=True)
        st.session_state["brief_files"] = {
            "stem": stem, "pptx": result.pptx.read_bytes(), "docx": result.docx.read_bytes(),
            "slides": len(result.slide_titles), "seconds": result.seconds["total"], "event": event.name,
            "countries": [names[c] for c in chosen] or ["all countries"]}

files = st.session_state.get("brief_files")
if files:
    st.success(f"Pack for {files['event']} ({', '.join(files['countries'])}): {files['slides']} slides and a brief, "
               f"built in {files['seconds']:.1f} s.", icon=":material/task_alt:")
    one, two, _ = st.columns([1, 1, 3])
    one.download_button("Deck (.pptx)", files["pptx"], f"{files['stem']}.pptx", PPTX, key="brief_pptx",
                        icon=":material/download:")
    two.download_button("Brief (.docx)", files["docx"], f"{files['stem']}.docx", DOCX, key="brief_docx",
                        icon=":material/download:")
