"""Small building blocks every page uses: source notes, downloadable tables, honest empty states."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from ctatracker.analysis.headline import HeadlineFigure
from ctatracker.io.exports import ExportMeta, file_name, to_csv_bytes, to_excel_bytes
from ctatracker.text.naming import words
from dashboard.safe_text import DOMAIN_PATTERN, link, md

_CARD_STYLE = """<style>
.cta-figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.75rem;margin:0!important;padding:0!important}
.cta-figures>div{border:1px solid rgba(128,128,128,.3);border-radius:.5rem;padding:.6rem 1rem .7rem}
.cta-figures dt{font-size:.875rem;font-weight:400}
.cta-figures dd{margin:0}
.cta-figures dd.value{font-size:2.1rem;line-height:1.25;font-weight:400}
.cta-figures dd.note{font-size:.8rem;opacity:.72;line-height:1.35;margin-top:.15rem}
@media (max-width:640px){.cta-figures{gap:.5rem}.cta-figures>div{padding:.4rem .75rem .5rem}
.cta-figures dd.value{font-size:1.6rem}}
</style>"""


def no_data(what: str, how_to_fill: str) -> None:
    """Say plainly that a figure is missing and what would fill it (never show a zero instead).

    `what` is shown as text (it may hold names from the database); `how_to_fill` is trusted Markdown.
    """
    st.info(f"**No data** for {md(what)}. {how_to_fill}", icon=":material/help:")


def source_note(frame: pd.DataFrame, data_years: pd.Series | None = None) -> None:
    """A caption under a chart naming each source with its year and the domain of its link, and the years of the
    data (source text is shown as text; only a checked http(s) URL is a link)."""
    if frame.empty or "source_title" not in frame:
        return
    cols = ["source_title", "source_publisher", "source_year", "source_url"]
    unique = frame[cols].drop_duplicates().sort_values(["source_publisher", "source_title"])
    parts = []
    for row in unique.itertuples(index=False):
        year = f" ({int(row.source_year)})" if pd.notna(row.source_year) else " (undated)"
        text = f"{row.source_publisher}{year}, {row.source_title}"
        parts.append(link(row.source_url, text))
    years = ""
    if data_years is not None and not data_years.dropna().empty:
        lo, hi = int(data_years.min()), int(data_years.max())
        years = f"Data for {lo}." if lo == hi else f"Data for {lo}–{hi}."
    st.caption(f"{years} Sources: " + "; ".join(parts))


def figure_cards(figures: Sequence[HeadlineFigure]) -> None:
    """Headline figures as one grid of cards (label, value, notes); one column on a phone."""
    cards = "".join(
        f"<div><dt>{html.escape(f.label)}</dt><dd class='value'>{html.escape(f.value)}</dd>"
        + "".join(f"<dd class='note'>{html.escape(note)}</dd>" for note in f.notes) + "</div>"
        for f in figures)
    st.html(f"{_CARD_STYLE}<dl class='cta-figures' aria-label='Headline figures'>{cards}</dl>")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "table"


def sources_meta(sources: pd.DataFrame) -> tuple[tuple[str, str | None, str | None], ...]:
    """(name, url, licence) of each source in a frame with source_title/publisher/year/url (and licence)."""
    if sources.empty or "source_title" not in sources:
        return ()
    out = []
    for row in sources.drop_duplicates("source_title").sort_values(["source_publisher", "source_title"]).to_dict(
            "records"):
        year = "" if pd.isna(row.get("source_year")) else f" ({int(row['source_year'])})"
        licence = row.get("source_licence")
        out.append((f"{row['source_publisher']}{year}, {row['source_title']}",
                    None if pd.isna(row.get("source_url")) else str(row["source_url"]),
                    None if licence is None or pd.isna(licence) else str(licence)))
    return tuple(out)


def downloads(frame: pd.DataFrame, name: str, key: str, meta: ExportMeta | None = None) -> None:
    """CSV and Excel download buttons for a table (formula-safe); the files are made only when clicked.

    With `meta` the files describe themselves (title, indicator, unit, target, date, sources, terms) and are
    named after what they hold and the date of their data.
    """
    left, right, _ = st.columns([1, 1, 4])
    slug = file_name(name, as_of=meta.as_of) if meta else _slug(name)
    left.download_button("CSV", lambda: to_csv_bytes(frame, meta), f"{slug}.csv", "text/csv", key=f"csv_{key}",
                         icon=":material/download:", on_click="ignore")
    right.download_button("Excel", lambda: to_excel_bytes(frame, "data" if meta else name, meta), f"{slug}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"xlsx_{key}", icon=":material/download:", on_click="ignore")


def headers(frame: pd.DataFrame, column_config: dict | None = None) -> dict[str, str]:
    """Each column's header in words: its label in `column_config`, else its name as words ('source_year' ->
    'Source year')."""
    out = {}
    for column in frame.columns:
        given = (column_config or {}).get(column)
        label = given if isinstance(given, str) else (given or {}).get("label") if isinstance(given, dict) else None
        out[column] = label or (words(column)[:1].upper() + words(column)[1:])
    return out


def table(frame: pd.DataFrame, name: str, key: str, column_config: dict | None = None) -> None:
    """A table with its row count and downloads; headers in words on screen and in the files."""
    labels = headers(frame, column_config)
    config = {c: (column_config or {}).get(c) or labels[c] for c in frame.columns}
    for column, given in config.items():
        if isinstance(given, dict) and not given.get("label"):
            config[column] = {**given, "label": labels[column]}
    st.dataframe(frame, hide_index=True, column_config=config, width="stretch")
    st.caption(f"{len(frame)} row(s)")
    downloads(frame.rename(columns=labels), name, key, table_meta(name, frame))


def table_meta(name: str, frame: pd.DataFrame) -> ExportMeta:
    """A description for a table's download: its name as a title, the date of the data, the sources it cites."""
    from ctatracker.store import queries
    from dashboard.data import load

    as_of = load(queries.last_update)
    return ExportMeta(title=name[:1].upper() + name[1:], as_of=(as_of or pd.Timestamp.today()).date(),
                      sources=sources_meta(frame))


def link_column(label: str) -> st.column_config.LinkColumn:
    """A column of links, each shown by its domain (e.g. iea.org)."""
    return st.column_config.LinkColumn(label, display_text=DOMAIN_PATTERN)
