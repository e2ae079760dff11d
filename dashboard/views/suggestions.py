"""Public suggestions: corrections readers sent; the secretariat applies one (the figure changes through the
write path), marks a flagged stage, standard or policy handled, or dismisses it, and may answer the reader by
email."""

import json
from urllib.parse import quote

import pandas as pd
import streamlit as st

from ctatracker.model.enums import Role
from ctatracker.model.schema import TABLES
from ctatracker.store import suggestions
from ctatracker.store.database import WriteConflict, WriteRejected, current_records
from ctatracker.text.naming import FLAGGED, Namer, counted, held_words
from dashboard import auth_ui, data, forms
from dashboard.safe_text import link, md

st.title("Public suggestions")
actor = auth_ui.require({Role.SECRETARIAT, Role.ADMIN}, "Public suggestions")
forms.show_flash()
queue = data.load(suggestions.pending)
if queue.empty:
    st.success("No suggestion from the public is waiting.", icon=":material/done_all:")
    st.stop()
st.write(f"{counted(len(queue), 'suggestion')} from readers, oldest first. Nothing is published until you apply it; "
         "check the proposed value against its source first.")
labels = {r["id"]: f"{pd.Timestamp(r['created_at']):%d %b %Y %H:%M} · {r['figure'][:90]}"
          for r in queue.to_dict("records")}
chosen = st.selectbox("Suggestion", list(labels), format_func=labels.get, key="suggestion_pick")
found = suggestions.get(data.cursor(), chosen)
if found is None:  # the list changed meanwhile
    st.rerun()
is_figure = found.table_name == "observations"
is_flag = found.table_name in ("commitments", "emission_standards", "policies")  # else a figure not held yet
current = next(iter(current_records(data.cursor(), TABLES[found.table_name],
                                    [tuple(json.loads(found.row_key).values())]).values()),
               None) if is_figure or is_flag else None
country = queue.set_index("id").at[chosen, "country_name"]
with st.container(border=True, key="suggestion_detail"):
    st.markdown(f"**{FLAGGED.get(found.table_name, 'Suggestion')}:** {md(found.figure)}")
    if isinstance(country, str):
        st.markdown(f"**Country:** {md(country)}")
    if is_flag:
        st.markdown("**The tracker holds now:** " + (md(held_words(found.table_name, current, Namer(data.cursor())))
                                                     if current else "*the record has been removed since*"))
    else:
        st.markdown("**Value now:** " + (f"{current['value']:g}" if current else "*the figure has been removed*"
                                         if is_figure else "*none: the tracker does not hold this figure*"))
    st.markdown("**The reader says:**" if is_flag else "**Proposed:**")
    st.markdown(md(found.proposed, lines=True))
    st.markdown(f"**Source given:** {link(found.source_url, found.source_url[:120])}")
    if found.note:
        st.markdown("**Note:**")
        st.markdown(md(found.note, lines=True))
    if found.email:
        subject = quote(f"Your suggestion to the Clean Transport Asia Tracker: {found.figure[:80]}")
        st.link_button("Answer by email", f"mailto:{quote(found.email, safe='@')}?subject={subject}",
                       icon=":material/mail:")
    else:
        st.caption("The reader left no email address.")

try:
    start = str(float(found.proposed.replace(",", "").strip()))
except ValueError:
    start = ""
if is_flag:
    st.info("Correct the record with its source under My country's data, then mark this suggestion handled with a "
            "note of what you did; or dismiss it, saying why the record stands.", icon=":material/fact_check:")
elif not is_figure:
    st.info("A new figure is added with its source under My country's data (or Bulk upload); then dismiss this "
            "suggestion with a note saying so.", icon=":material/add_chart:")
if not is_flag:
    value = st.text_input("Value to publish, in the indicator's unit", value=start, key=f"suggestion_value_{chosen}",
                          disabled=not is_figure)
note = st.text_input("Note (what you checked or did; needed to dismiss)", key=f"suggestion_note_{chosen}")
left, right, _ = st.columns([1, 1, 3])
try:
    if is_flag and left.button("Mark handled", key="suggestion_handled", type="primary", icon=":material/check:"):
        data.write(suggestions.handle, chosen, actor, note)
        forms.flash("success", "Marked handled: the suggestion is closed with your note.")
        st.rerun()
    if not is_flag and left.button("Apply and publish", key="suggestion_apply", type="primary",
                                   icon=":material/check:", disabled=not is_figure):
        try:
            number = float(value)
        except ValueError:
            st.error("Type the value to publish as a number, such as 12.5.")
            st.stop()
        data.write(suggestions.apply, chosen, actor, value=number, note=note)
        forms.flash("success", "Applied: the figure is updated and listed under What changed.")
        st.rerun()
    if right.button("Dismiss", key="suggestion_dismiss", icon=":material/close:"):
        data.write(suggestions.dismiss, chosen, actor, note)
        forms.flash("info", "Dismissed; no figure was changed.")
        st.rerun()
except WriteRejected as exc:
    st.error(md(" ".join(p.message[:1].upper() + p.message[1:] + "." for p in exc.problems)))
except WriteConflict as exc:
    st.warning(md(exc))
