"""What sits beside a main chart, as readers of Our World in Data expect: its data table and sources, downloads of
the data shown and of the full series (CSV, Excel), a link to the current view, and the terms of use.
The chart itself offers a PNG download from its toolbar (shown on hover, see CHART_CONFIG)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from ctatracker.io.exports import IEA_TERMS, TRACKER_TERMS, ExportMeta
from ctatracker.text.naming import counted
from dashboard import components

_COPY_LINK = """<button type="button" class="cta-copy-link" aria-live="polite"
 style="border:1px solid rgba(128,128,128,.45);border-radius:.5rem;padding:.3rem .8rem;background:transparent;
 color:inherit;font:inherit;cursor:pointer">Copy a link to this view</button>
<script>
document.querySelectorAll('.cta-copy-link').forEach(function (button) {
  button.onclick = function () {
    var url = window.location.href;
    var done = function () { button.textContent = 'Link copied'; };
    var ask = function () { window.prompt('Copy this link', url); };
    if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(url).then(done, ask); }
    else { ask(); }
  };
});
</script>"""


def terms_line(sources: pd.DataFrame) -> str:
    """The licence line: the tracker's terms, and IEA's CC BY 4.0 when an IEA source is cited."""
    text = " ".join(str(v) for c in ("source_publisher", "source_title", "source_url") if c in sources
                    for v in sources[c].dropna())
    return TRACKER_TERMS + (" " + IEA_TERMS if "iea" in text.lower() else "")


def copy_link() -> None:
    """A button that copies the page's address with its filters (the query parameters) to the clipboard."""
    st.html(_COPY_LINK, unsafe_allow_javascript=True)


def downloads_and_link(data: pd.DataFrame, full: pd.DataFrame | None, sources: pd.DataFrame, name: str, key: str,
                       *, meta: ExportMeta | None = None, data_years: pd.Series | None = None) -> None:
    """Downloads of the data shown and of the full series, the sources, the terms and the copy-link button."""
    components.downloads(data, name, f"shown_{key}", meta)
    if full is not None and len(full) != len(data):
        st.caption(f"The full series ({len(full)} rows):")
        components.downloads(full, f"{name} full series", f"full_{key}",
                             replace(meta, title=f"{meta.title}: the full series") if meta else None)
    components.source_note(sources, data_years)
    st.caption(terms_line(sources))
    copy_link()


def beside_chart(data: pd.DataFrame, sources: pd.DataFrame, name: str, key: str, *,
                 meta: ExportMeta | None = None, full: pd.DataFrame | None = None,
                 column_config: dict | None = None, data_years: pd.Series | None = None) -> None:
    """Under a chart, folded: the data shown as a table, its sources and terms, downloads and the link."""
    with st.expander("Data, sources and downloads", key=f"beside_{key}"):
        st.dataframe(data, hide_index=True, width="stretch", column_config=column_config, placeholder="–")
        st.caption(f"{counted(len(data), 'row')}: the data shown in the chart.")
        downloads_and_link(data, full, sources, name, key, meta=meta, data_years=data_years)
