"""What changed: every approved change to published data, newest first, with its source; filter and download."""

import datetime as dt

import streamlit as st

from ctatracker.analysis import changes
from ctatracker.store import queries
from dashboard import components, data

st.title("What changed")
st.write("Every change made to the published figures, stages, targets and policies since the tracker's data was "
         "first compiled, newest first: what it was, what it is now, and the source behind it. Each was checked "
         "by the ALP secretariat before it was published. See a figure that is wrong? "
         "[Suggest a correction](/suggest).")
countries = data.load(queries.countries)
names = dict(zip(countries["iso3"], countries["name"], strict=True))
left, mid, right = st.columns([2, 2, 1])
country = left.selectbox("Country", [None, *names], format_func=lambda c: "All countries" if c is None else names[c],
                         key="changed_country")
kinds = mid.multiselect("Kind of record", list(changes.KIND_WORDS), format_func=changes.KIND_WORDS.get,
                        key="changed_kinds", placeholder="All kinds")
since = right.date_input("Since", value=None, max_value=dt.date.today(), key="changed_since")
frame = data.load(changes.changes, country=country, kinds=kinds or None, since=since)
if frame.empty:
    st.info("No approved change matches this selection yet.", icon=":material/history:")
    st.stop()
view = frame.drop(columns=["country_iso3", "change_id"])
st.dataframe(view, hide_index=True, width="stretch", key="changes_table", placeholder="–", column_config={
    "date": st.column_config.DateColumn("Date", format="D MMM YYYY"), "country": "Country", "kind": "Kind",
    "record": st.column_config.TextColumn("What", width="medium"), "field": "Field",
    "old value": st.column_config.TextColumn("Old value", width="medium"),
    "new value": st.column_config.TextColumn("New value", width="medium"),
    "source": st.column_config.TextColumn("Source", width="medium"),
    "source_url": components.link_column("Link")})
changed = frame["change_id"].nunique()
st.caption(f"{changed} {'change' if changed == 1 else 'changes'} shown (the latest 1,000 at most), one row per "
           f"field changed: {len(frame)} {'row' if len(frame) == 1 else 'rows'}. –: no value.")
components.downloads(view, "what changed", "changes", components.table_meta(
    "what changed", view, "Approved changes to published data, newest first, as filtered on the page (the latest "
    "1,000 at most); an empty value: none."))
