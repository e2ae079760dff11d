"""Suggest a correction: any reader flags a figure and proposes a value with its source, or flags a stage, a
standard or a policy as wrong or out of date with their explanation and a source, for the secretariat."""

import uuid

import pandas as pd
import streamlit as st

from ctatracker.config import settings
from ctatracker.model.public_suggestion import MAX_NOTE, MAX_PROPOSED
from ctatracker.model.schema import Observation
from ctatracker.store import queries, suggestions
from ctatracker.store.database import WriteConflict, WriteRejected
from ctatracker.text.naming import FLAG_KINDS
from dashboard import data, forms
from dashboard.safe_text import md

LABELS = {"proposed": "The correct value or text", "source_url": "Where it is published",
          "email": "Your email", "note": "Anything else", "figure": "The figure"}
FLAG_LABEL = "What is wrong or out of date, and what it should say"
NEW = "new"
"""The choice of a figure the tracker does not hold yet (the others are numbered)."""
_SESSION = "cta_suggest_session"
_FORM = "cta_suggest_form"
HIDE_HONEYPOT = ("<style>.st-key-suggest_website{position:absolute!important;left:-10000px;width:1px;height:1px;"
                 "overflow:hidden}</style>")


def words(code: object) -> str:
    """A code in words: 'all_vehicles' -> 'all vehicles', 'percent' -> '%'."""
    return {"percent": "%", "not_applicable": ""}.get(str(code), str(code).replace("_", " "))


def _label(row: dict) -> str:
    year = f" {int(row['source_year'])}" if pd.notna(row["source_year"]) else ""
    what = ", ".join(p for p in (row["indicator_name"], words(row["mode"]), str(row["year"])) if p)
    return f"{what}: {row['value']:g} {words(row['unit'])} ({row['source_publisher']}{year})"


def _message(exc: WriteRejected, labels: dict[str, str]) -> str:
    parts = [(f"{labels[p.column]}: " if p.column in labels else "") + p.message for p in exc.problems]
    return md(" · ".join(parts[:1] + [p[:1].lower() + p[1:] for p in parts[1:]]))


st.title("Suggest a correction")
st.write("Seen a figure, a stage, a standard or a policy that is wrong or out of date? Tell the ALP secretariat "
         "what is wrong and where the correct information is published. They check every suggestion against its "
         "source before anything on the tracker changes; your suggestion is never shown on the tracker itself.")
forms.show_flash()
if not data.editable():
    st.info("Suggestions cannot be sent to this copy of the tracker (it is read-only).")
    st.stop()
session = st.session_state.setdefault(_SESSION, uuid.uuid4().hex)
countries = data.load(queries.countries)
names = dict(zip(countries["iso3"], countries["name"], strict=True))
asked = st.query_params.get("country")
country = st.selectbox("Country", list(names), format_func=names.get, key="suggest_country",
                       index=list(names).index(asked) if asked in names else 0)
kind = st.radio("What is wrong or out of date", list(FLAG_KINDS), format_func=FLAG_KINDS.get, key="suggest_kind",
                horizontal=True)
labels = LABELS if kind == "figure" else LABELS | {"proposed": FLAG_LABEL, "figure": FLAG_KINDS[kind]}
if kind == "figure":
    obs = data.load(queries.observations, countries=[country])
    records = obs.to_dict("records")
    choices = {**{i: _label(r) for i, r in enumerate(records)}, NEW: "A figure the tracker does not hold yet"}
    if obs.empty:
        st.info(f"The tracker holds no figure for {md(names[country])} yet: tell the secretariat of one, with where "
                "it is published.")
    picked = st.selectbox("The figure", list(choices), format_func=choices.get, key="suggest_figure")
else:
    held = data.load(suggestions.flaggable, country=country, kind=kind)
    if not held:
        st.info(f"The tracker holds no {kind} for {md(names[country])}. To tell the secretariat of one, choose "
                "*A figure* above, then *A figure the tracker does not hold yet*.")
        st.stop()
    choices = {i: f.label for i, f in enumerate(held)}
    picked = st.selectbox(f"The {kind}", list(choices), format_func=choices.get, key=f"suggest_{kind}", index=None,
                          placeholder="Choose the one that is wrong or out of date")
generation = st.session_state.get(_FORM, 0)
st.html(HIDE_HONEYPOT)
with st.form(f"suggest_form_{generation}"):
    what = st.text_input("Which figure: what it measures, for which vehicles and which year (e.g. EV share of new "
                         "car sales, 2024)", key=f"suggest_what_{generation}", max_chars=300) if picked == NEW else ""
    proposed = st.text_area(labels["proposed"], key=f"suggest_proposed_{generation}",
                            help=f"At most {MAX_PROPOSED} characters.")
    source_url = st.text_input(f"{LABELS['source_url']} (a link starting with http:// or https://)",
                               key=f"suggest_url_{generation}")
    email = st.text_input(f"{LABELS['email']} (optional: only the secretariat sees it, to answer you)",
                          key=f"suggest_email_{generation}")
    note = st.text_area(f"{LABELS['note']} (optional)", key=f"suggest_note_{generation}",
                        help=f"At most {MAX_NOTE} characters.")
    website = st.text_input("Website (leave this empty)", key="suggest_website")
    sent = st.form_submit_button("Send to the secretariat", type="primary", icon=":material/send:")
if sent and picked == NEW and not what.strip():
    st.error("Say which figure it is: what it measures, for which vehicles and which year.", icon=":material/error:")
elif sent and picked is None:
    st.error(f"Choose which {kind} is wrong or out of date.", icon=":material/error:")
elif sent:
    if kind != "figure":
        table, key, figure = held[picked].table, held[picked].key, f"{names[country]}: {held[picked].label}"[:500]
    elif picked == NEW:  # filed against the country itself: the secretariat adds the figure with its source
        table, key, figure = "countries", (country,), f"{names[country]}: a new figure: {' '.join(what.split())}"
    else:
        row = records[picked]
        table, figure = "observations", f"{names[country]}: {choices[picked]}"
        key = tuple(row[c].item() if hasattr(row[c], "item") else row[c] for c in Observation.__primary_key__)
    client = suggestions.client_address(st.context.ip_address, st.context.headers.get_all("X-Forwarded-For"),
                                        settings().trusted_proxies)
    try:
        data.write(suggestions.suggest, key=key, figure=figure, proposed=proposed, table=table, source_url=source_url,
                   email=email, note=note, session=session, honeypot=website, client=client)
    except WriteRejected as exc:
        st.error(_message(exc, labels), icon=":material/error:")
    except WriteConflict:
        st.error("The tracker was busy for a moment; nothing was saved. Please send it again.")
    else:
        st.session_state[_FORM] = generation + 1
        forms.flash("success", "Thank you: your suggestion is with the ALP secretariat. The tracker changes only "
                    "once they have checked it.")
        st.rerun()
