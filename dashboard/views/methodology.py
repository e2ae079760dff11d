"""Methodology and sources: the method document and the bibliography with links."""

import streamlit as st

from ctatracker.config import settings
from ctatracker.store import queries
from dashboard import components
from dashboard.data import load

st.title("Methodology and sources")
method, bibliography = st.tabs(["Methodology", "Sources"])

with method:
    path = settings().docs_dir / "methodology.md"
    if path.exists():
        st.markdown(path.read_text(encoding="utf-8"))
    else:
        components.no_data("the methodology", "The methodology document is missing from this copy of the "
                           "tracker; ask its administrator to restore it.")

with bibliography:
    frame = load(queries.sources)
    st.write(f"{len(frame)} sources. Every figure in the tracker cites one of them; "
             "click a link to read the original.")
    search = st.text_input("Search sources", key="source_search", placeholder="publisher, title or year")
    if search:
        mask = frame[["title", "publisher", "note"]].astype(str).apply(
            lambda col: col.str.contains(search, case=False, regex=False)).any(axis=1)
        mask |= frame["year"].astype(str).str.contains(search, regex=False)
        frame = frame[mask]
    if frame.empty:
        st.info("No source matches this search.")
    components.table(
        frame[["publisher", "year", "title", "url", "licence", "cited_by", "note"]], "sources", "sources",
        column_config={"url": components.link_column("Link"), "year": st.column_config.NumberColumn(format="%d"),
                       "cited_by": st.column_config.NumberColumn("Cited by (records)")})
