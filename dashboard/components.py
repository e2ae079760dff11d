"""Small building blocks every page uses: source notes, downloadable tables, honest empty states."""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from ctatracker.analysis.headline import HeadlineFigure
from ctatracker.io import table_bundle
from ctatracker.io.exports import Cited, ExportMeta, file_name, to_csv_bytes, to_excel_bytes
from ctatracker.text.naming import counted, words
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


def _cited_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of the sources table cited by a frame: by its source_id column, else by its source_title and
    source_publisher, else by its source_url."""
    from ctatracker.store import queries
    from dashboard.data import load

    known = load(queries.sources)
    for own, theirs in ((["source_id"], ["id"]), (["source_title", "source_publisher"], ["title", "publisher"]),
                        (["source_url"], ["url"])):
        if set(own) <= set(frame.columns):
            wanted = set(frame[own].dropna().itertuples(index=False, name=None))
            return known[[row in wanted for row in known[theirs].itertuples(index=False, name=None)]]
    return known.iloc[0:0]


def sources_meta(sources: pd.DataFrame) -> tuple[Cited, ...]:
    """Each source cited by a frame (with source_id, source_title and source_publisher, or source_url): its name,
    link, licence, the credit line its licence asks for and the date it was read."""
    from ctatracker.text.attribution import attribution_line

    rows = _cited_rows(sources)
    out = []
    for row in rows.sort_values(["publisher", "title"]).drop_duplicates(["publisher", "title"]).to_dict("records"):
        year = None if pd.isna(row.get("year")) else int(row["year"])
        licence = None if pd.isna(row.get("licence")) else str(row["licence"])
        credit = None if pd.isna(row.get("attribution")) else str(row["attribution"])
        out.append(Cited(
            f"{row['publisher']}{f' ({year})' if year else ''}, {row['title']}",
            None if pd.isna(row.get("url")) else str(row["url"]), licence,
            attribution_line(publisher=row["publisher"], title=row["title"], year=year, licence=licence, credit=credit),
            None if pd.isna(row.get("licence_url")) else str(row["licence_url"]),
            None if pd.isna(row.get("accessed")) else pd.Timestamp(row["accessed"]).date()))
    return tuple(out)


def downloads(frame: pd.DataFrame, name: str, key: str, meta: ExportMeta | None = None) -> None:
    """Downloads of a table (formula-safe), made only when clicked: the CSV alone (header row first), the CSV with
    its metadata (a zip: the CSV, datapackage.json and a README) and Excel (with an About sheet).

    Every file is named after what it holds and the date of its data, and described by `meta` (title, date of the
    data, sources with their licences and credit lines, terms; without it, `table_meta` of the frame).
    """
    meta = meta or table_meta(name, frame)
    stem = file_name(name, as_of=meta.as_of)
    left, mid, right, _ = st.columns([1, 2, 1, 3])
    left.download_button("CSV", lambda: to_csv_bytes(frame), f"{stem}.csv", "text/csv", key=f"csv_{key}",
                         icon=":material/download:", on_click="ignore", help="The table alone, its header row first.")
    mid.download_button("CSV with metadata", lambda: table_bundle.zip_bytes(frame, meta, stem), f"{stem}.zip",
                        "application/zip", key=f"zip_{key}", icon=":material/download:", on_click="ignore",
                        help="A zip of the table, a README and datapackage.json (what each column holds, the "
                        "sources, their licences and credit lines).")
    right.download_button("Excel", lambda: to_excel_bytes(frame, "data", meta), f"{stem}.xlsx",
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


def table(frame: pd.DataFrame, name: str, key: str, column_config: dict | None = None,
          sources: pd.DataFrame | None = None) -> None:
    """A table with its row count and downloads; headers in words on screen and in the files. The downloads cite
    the sources the frame's rows cite (or those of `sources`, when the frame shows them only as words)."""
    labels = headers(frame, column_config)
    config = {c: (column_config or {}).get(c) or labels[c] for c in frame.columns}
    for column, given in config.items():
        if isinstance(given, dict) and not given.get("label"):
            config[column] = {**given, "label": labels[column]}
    st.dataframe(frame, hide_index=True, placeholder="–", column_config=config, width="stretch")
    st.caption(counted(len(frame), "row"))
    downloads(frame.rename(columns=labels), name, key, table_meta(name, frame if sources is None else sources))


def table_meta(name: str, frame: pd.DataFrame, *notes: str) -> ExportMeta:
    """A description for a table's download: its name as a title, the date of the data, the sources it cites."""
    from ctatracker.store import queries
    from dashboard.data import load

    as_of = load(queries.last_update)
    return ExportMeta(title=name[:1].upper() + name[1:], as_of=(as_of or pd.Timestamp.today()).date(),
                      sources=sources_meta(frame), notes=notes)


def link_column(label: str) -> st.column_config.LinkColumn:
    """A column of links, each shown by its domain (e.g. iea.org)."""
    return st.column_config.LinkColumn(label, display_text=DOMAIN_PATTERN)
