"""History: every applied change to published data, per country and per record; revert one by submission."""

import json

import pandas as pd
import streamlit as st

from ctatracker.model.enums import Role
from ctatracker.store import contributions, queries, review
from ctatracker.store.database import WriteConflict, WriteRejected
from ctatracker.text.naming import TABLE_WORDS, Namer, counted, role_words
from dashboard import auth_ui, data, forms
from dashboard.safe_text import md

PAGE_SIZE = 100
ACTION_WORDS = {"insert": "added", "update": "changed", "delete": "removed"}

st.title("History")
actor = auth_ui.require({Role.FOCAL_POINT, Role.SECRETARIAT, Role.ADMIN}, "The history of changes", writes=False)
forms.show_flash()
countries = data.load(queries.countries)
names = dict(zip(countries["iso3"], countries["name"], strict=True))
left, right = st.columns(2)
if actor.role is Role.FOCAL_POINT:
    country = actor.country_iso3
    left.markdown(f"**Country:** {md(names.get(country, country))}")
else:
    country = left.selectbox("Country", [None, *names], key="history_country",
                             format_func=lambda c: "All countries and regional records" if c is None else names[c])
tables = [None, *contributions.FACT_TABLE_NAMES]
table = right.selectbox("Kind of record", tables, key="history_table",
                        format_func=lambda t: "every kind" if t is None else TABLE_WORDS.get(t, t))
filters = {"country": country, "table": table}
total = data.load(contributions.history_count, **filters)
if not total:
    st.info("No change recorded for this selection.")
    st.stop()

namer = Namer(data.cursor())
page = 1
if total > PAGE_SIZE:
    pages = -(-total // PAGE_SIZE)
    page = int(st.number_input(f"Page (of {pages})", 1, pages, 1, key="history_page"))
hist = data.load(contributions.history, **filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
hist["record"] = [namer.record(t, k) for t, k in zip(hist["table_name"], hist["row_key"], strict=True)]
records = sorted(set(zip(hist["table_name"], hist["row_key"], hist["record"], strict=True)), key=lambda r: r[2])
one = st.selectbox("One record only", [None, *records], key="history_record",
                   format_func=lambda r: "every record on this page" if r is None else r[2])
if one is not None:
    hist = data.load(contributions.history, table=one[0], row_key=one[1], limit=PAGE_SIZE)
    hist["record"] = one[2]
hist["change"] = [review.describe(json.loads(o) if isinstance(o, str) else None,
                                  json.loads(n) if isinstance(n, str) else None, namer=namer)
                  for o, n in zip(hist["old_values"], hist["new_values"], strict=True)]
view = hist[["changed_at", "actor", "actor_role", "record", "action", "change", "submitted_by", "reason", "id"]]
view = view.assign(action=view["action"].map(ACTION_WORDS).fillna(view["action"]),
                   actor_role=view["actor_role"].map(role_words))
st.dataframe(view, hide_index=True, placeholder="–", width="stretch",
             column_order=[c for c in view if c not in ("id", "reason")],
             column_config={
                 "changed_at": st.column_config.DatetimeColumn("When (UTC)", format="D MMM YYYY, HH:mm"),
                 "actor": "Applied by", "actor_role": "Role", "record": "Record", "action": "What happened",
                 "submitted_by": "Proposed by", "change": st.column_config.TextColumn("Old → new", width="large")})
first = (page - 1) * PAGE_SIZE + 1
if one is None:
    st.caption(f"Changes {first:,}–{first + len(view) - 1:,} of {total:,}, newest first. Seed builds and imports "
               "appear as the 'system'.")
else:
    st.caption(f"{counted(len(view), 'change')} to this record, newest first.")

if not data.editable():
    st.stop()
st.subheader("Revert a change")
st.write("Reverting puts the record back as it was before the change. It does not happen at once: it becomes a "
         "new submission that the secretariat reviews like any other.")
labels = {r["id"]: f"{pd.Timestamp(r['changed_at']):%d %b %Y %H:%M:%S} · {r['record']} · {r['change'][:60]}"
          for r in hist.to_dict("records")}
chosen = st.selectbox("Change to revert", list(labels), format_func=labels.get, key="revert_pick",
                      help="The newest change of the selection comes first.")
note = st.text_input("Why (optional)", key="revert_note")
shown = forms.shown_before("revert", chosen)  # the change on screen when the button was clicked
if st.button("Propose reverting it", key="revert_go", icon=":material/undo:"):
    try:
        data.write(review.revert, shown, actor, note or None, on_screen=chosen)
    except (WriteRejected, WriteConflict) as exc:
        st.error(str(exc), icon=":material/error:")
    else:
        forms.flash("success", "A submission to revert the change is waiting in the review queue.")
        st.rerun()
