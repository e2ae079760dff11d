"""Briefing pack: a PowerPoint deck and a Word brief for a ministerial forum, drafted from the live data."""

import datetime as dt
import tempfile
from pathlib import Path

import streamlit as st

from ctatracker.analysis import derived
from ctatracker.briefing import events, key_messages, pack
from ctatracker.model.enums import Role
from ctatracker.store import queries
from ctatracker.store.database import WriteRejected
from dashboard import auth_ui, data, findings_ui
from dashboard.data import cursor, load
from dashboard.safe_text import md

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CUSTOM = "custom"

st.title("Briefing pack")
st.caption("Drafts the deck and the brief for the Regional EST Forum, the COP or the ALP Forum from the tracker's "
           "live data. Every number comes with its source and year (slide notes, [n] references); where data is "
           "missing the pack says so. Review the draft before it goes out.")
actor = auth_ui.require((Role.SECRETARIAT, Role.ADMIN), "The briefing pack", writes=False)
no_browser = pack.browser_missing()
if no_browser:
    st.error(no_browser, icon=":material/error:")
pack.Exporter.warm_up()  # the figure export browser starts now, while the pack is being chosen

countries = load(queries.countries)
names = dict(zip(countries["iso3"], countries["name"], strict=True))
areas = load(queries.action_areas)
area_names = dict(zip(areas["code"], areas["name"], strict=True))

today = dt.date.today()
recorded = events.upcoming_first(load(queries.events), today)
by_id = {str(r["id"]): r for r in recorded.to_dict("records")}


def _label(key: str) -> str:
    if key == CUSTOM:
        return "Another event…"
    row = by_id[key]
    return f"{row['name']} ({events.meeting(row).line()})" + ("" if row["upcoming"] else " · past")


left, right = st.columns(2)
with left:
    choice = st.selectbox("Event", [*by_id, CUSTOM], key="brief_event", format_func=_label,
                          help="Upcoming events first; the list is kept by the secretariat.")
    if choice == CUSTOM:
        name = st.text_input("Event name", key="brief_name", placeholder="e.g. 17th Regional EST Forum in Asia")
        dates = st.date_input("Dates (first and last day)", value=(today, today), key="brief_dates",
                              format="DD/MM/YYYY")
        place = st.text_input("Place", key="brief_place")
        start, end = (dates[0], dates[-1]) if isinstance(dates, tuple) and dates else (today, None)
        event = events.Meeting(name.strip() or "Briefing", start, end, place.strip() or None, start.year)
    else:
        event = events.meeting(by_id[choice])
    template = st.file_uploader("Your slide template (optional, .pptx)", type=["pptx"], key="brief_template",
                                help="The deck uses its slide masters, fonts and logo; without one, a plain "
                                "template is used.")
with right:
    chosen = st.multiselect("Countries", list(names), key="brief_countries", format_func=names.get,
                            placeholder="None: a regional pack",
                            help="None: a pack on the region. One: a pack on that country. Several: a regional "
                            "pack with their one-page summaries in the appendix.")
    chosen_areas = st.multiselect("Action areas", list(area_names), key="brief_areas", format_func=area_names.get,
                                  placeholder="All action areas")
st.caption("A regional pack covers every country; a pack on one country names it on every slide and shows its "
           "place in the region. The action areas decide which topics appear.")

st.subheader("Key messages (preview)")
gap, euro, rollup = load(derived.gap_table), load(derived.euro_table), load(derived.rollup)
indicators = load(queries.indicators)
codes = chosen_areas or list(area_names)
acts = load(queries.activities)
acts = acts[acts["action_area_code"].isna() | acts["action_area_code"].isin(codes)]
found = findings_ui.current()
regional = key_messages.regional_messages(
    gap, euro, rollup, load(derived.latest_regional_share), acts, found=found, targets=load(queries.targets),
    indicators=indicators, areas=codes, names=names)
st.markdown("\n".join(f"- {md(m.text)}" for m in regional))
for iso in chosen:
    with st.expander(md(names[iso])):
        msgs = key_messages.country_messages(gap, euro, acts, iso, found=found, areas=codes, indicators=indicators)
        st.markdown("\n".join(f"- {md(m.text)}" for m in msgs))
st.caption("Each number above is traced in the pack: the slide notes list it with what it is, its year and its "
           "sources.")

if st.button("Generate the pack", key="brief_generate", type="primary", icon=":material/slideshow:",
             disabled=bool(no_browser)):
    bar = st.progress(0.0, text="Starting")
    stem = pack.pack_stem(event, chosen, names, today)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            result = pack.build_pack(
                cursor(), event=event, template=template.getvalue() if template else None,
                countries=chosen or None, action_areas=chosen_areas or None, out_pptx=Path(tmp) / f"{stem}.pptx",
                out_docx=Path(tmp) / f"{stem}.docx", progress=lambda f, text: bar.progress(min(f, 1.0), text=text),
                keep_export_server=True)
        except pack.PackRefused as exc:
            st.session_state.pop("brief_files", None)
            st.error(str(exc), icon=":material/error:")
        else:
            st.session_state["brief_files"] = {
                "stem": stem, "pptx": result.pptx.read_bytes(), "docx": result.docx.read_bytes(),
                "slides": len(result.slide_titles), "seconds": result.seconds["total"], "event": event.name,
                "countries": [names[c] for c in chosen] or ["the region"], "main": result.main_slides}

files = st.session_state.get("brief_files")
if files:
    st.success(f"Pack for {files['event']} ({', '.join(files['countries'])}): {files['main']} slides, "
               f"{files['slides'] - files['main']} in the appendix, and a brief, built in {files['seconds']:.1f} s.",
               icon=":material/task_alt:")
    one, two, _ = st.columns([1, 1, 3])
    one.download_button("Deck (.pptx)", files["pptx"], f"{files['stem']}.pptx", PPTX, key="brief_pptx",
                        icon=":material/download:")
    two.download_button("Brief (.docx)", files["docx"], f"{files['stem']}.docx", DOCX, key="brief_docx",
                        icon=":material/download:")

if data.editable():
    with st.expander("Add an event to the list", icon=":material/event:"), \
            st.form("brief_add_event", clear_on_submit=True):
            a, b = st.columns(2)
            values = {"name": a.text_input("Name", key="event_name"),
                      "kind": b.selectbox("Kind", list(events.KIND_LABELS), key="event_kind",
                                          format_func=events.KIND_LABELS.get),
                      "city": a.text_input("City", key="event_city"),
                      "country": b.text_input("Country", key="event_country"),
                      "start_date": a.date_input("First day", value=None, key="event_start", format="DD/MM/YYYY"),
                      "end_date": b.date_input("Last day", value=None, key="event_end", format="DD/MM/YYYY")}
            if st.form_submit_button("Add the event", key="event_add"):
                try:
                    row = data.write(events.add_event, actor, values)
                except WriteRejected as exc:
                    st.error("The event was not added: " + "; ".join(p.message for p in exc.problems))
                else:
                    st.success(f"Added {row.name}; choose it in the list above.")
