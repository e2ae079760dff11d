"""A chart as a reader can take it away: its title and the credit line of its sources (with their licences and the
date of the data) drawn in the figure, and buttons under it that save the chart as PNG or SVG, named after what it
shows and that date. The buttons reach the keyboard, unlike the toolbar Plotly shows on hover."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from ctatracker.charts.style import chart_config, credit_line, titled
from ctatracker.io.exports import file_name
from ctatracker.store import queries
from dashboard import components
from dashboard.data import db_version, load

_FILES = """<div class="cta-chart-files" role="group" aria-label="Save this chart">
<button type="button" class="cta-chart-file" data-format="png">Save chart as PNG</button>
<button type="button" class="cta-chart-file" data-format="svg">Save chart as SVG</button>
</div>
<style>.cta-chart-files{display:flex;flex-wrap:wrap;gap:.5rem;margin:-.25rem 0 .5rem}
.cta-chart-file{border:1px solid rgba(128,128,128,.45);border-radius:.5rem;padding:.2rem .7rem;background:transparent;
color:inherit;font:inherit;font-size:.875rem;cursor:pointer}</style>
<script>
if (!window.ctaChartFiles) {
  window.ctaChartFiles = true;
  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('.cta-chart-file') : null;
    var box = button ? button.closest('[class*="st-key-chart-"]') : null;
    var plot = box ? box.querySelector('.js-plotly-plot') : null;
    var tool = plot ? plot.querySelector('.modebar-btn') : null;
    if (!plot || !plot._context || !tool) { return; }
    var options = plot._context.toImageButtonOptions;
    var before = options.format;
    options.format = button.dataset.format;  // the toolbar's own download, in the format asked for
    try { tool.dispatchEvent(new MouseEvent('click', {bubbles: true})); } finally { options.format = before; }
  });
}
</script>"""


def as_of() -> pd.Timestamp:
    """The date of the tracker's data (its last change), today when none is recorded."""
    return load(queries.last_update) or pd.Timestamp.today()


def credit(sources: pd.DataFrame | None) -> str | None:
    """The credit line of the sources a frame cites, those most of its rows cite first (the data before the source
    of a target; see ctatracker.charts.style.credit_line)."""
    if sources is None:
        return None
    cited = components.sources_meta(sources)
    if {"source_publisher", "source_title", "source_year"} <= set(sources.columns):
        names = [f"{p}{f' ({int(y)})' if pd.notna(y) else ''}, {t}" for p, y, t in zip(
            sources["source_publisher"], sources["source_year"], sources["source_title"], strict=True)]
        uses = pd.Series(names, dtype=object).value_counts()  # named as sources_meta names them
        cited = sorted(cited, key=lambda c: -uses.get(c.name, 0))
    return credit_line([c.credit or c.name for c in cited], as_of().date())


def show(build: Callable[..., Any], *, title: str | None, sources: pd.DataFrame | None, name: str, key: str,
         note: str | None = None, is_map: bool = False, **inputs: Any) -> None:
    """Draw the figure `build(**inputs)` with its title, a note (e.g. what is not drawn) and its sources' credit
    line in it (kept until the data or the inputs change), and the buttons that save it; `name` names the saved
    image (with the date of the data). Without a title and sources the figure is drawn as built (one that carries
    its own)."""
    fig = _figure(build.__module__, build.__qualname__, db_version(), title, note, credit(sources), **inputs)
    with st.container(key=f"chart-{key}"):
        st.plotly_chart(fig, config=chart_config(file_name(name, as_of=as_of().date()), is_map=is_map),
                        key=f"plot-{key}")
        st.html(_FILES, unsafe_allow_javascript=True)


@st.cache_resource(show_spinner=False, max_entries=64)
def _figure(module: str, name: str, version: str, title: str | None, note: str | None, credit_text: str | None,
            **inputs: Any) -> Any:
    """The figure, titled; one object shared by every session: draw it, never change it."""
    return titled(getattr(importlib.import_module(module), name)(**inputs), title, credit_text, note)
