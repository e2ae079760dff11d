"""Pieces shared by the country profile and the compare page: the stage strip, key-figure cards, the table of
countries. Every text from the database is HTML-escaped here; stage colours come from the chart style."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from ctatracker.charts.gaps import text_colour
from ctatracker.charts.style import STAGE_COLOURS, STAGE_ORDER, country_colour
from ctatracker.findings.profile import STAGE_WORDS, KeyFigure
from dashboard.safe_text import md

NO_STAGE = "#E0E0E0"
STYLE = """<style>
.cta-strip{display:flex;flex-wrap:wrap;gap:.3rem;margin:.2rem 0 .6rem}
.cta-strip span{flex:1 1 7.5rem;border-radius:.35rem;padding:.3rem .5rem;font-size:.8rem;line-height:1.25}
.cta-strip b{display:block;font-weight:600}
.cta-keys{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.6rem;margin:0!important;
padding:0!important}
.cta-keys>div{border:1px solid rgba(128,128,128,.3);border-radius:.5rem;padding:.5rem .8rem .6rem;min-width:0}
.cta-keys dt{font-size:.85rem}
.cta-keys dd{margin:0;overflow-wrap:anywhere}
.cta-keys dd.value{font-size:1.6rem;line-height:1.25}
.cta-keys dd.status{font-weight:600;font-size:.9rem}
.cta-keys dd.note{font-size:.78rem;opacity:.75;line-height:1.35;margin-top:.15rem}
.cta-table{overflow-x:auto;max-width:100%}
.cta-table table{border-collapse:collapse;font-size:.85rem;width:100%}
.cta-table th,.cta-table td{padding:.25rem .4rem;border-bottom:1px solid rgba(128,128,128,.25);text-align:left}
.cta-table td.stage{text-align:center;min-width:2.2rem;font-size:.75rem}
@media (max-width:640px){.cta-stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.cta-stack tr{display:block;border-bottom:1px solid rgba(128,128,128,.35);padding:.3rem 0}
.cta-stack td{display:block;border:0;padding:.1rem .2rem}
.cta-stack td:empty{display:none}
.cta-stack td::before{content:attr(data-label) ": ";font-weight:600}}
.cta-dot{display:inline-block;width:.7rem;height:.7rem;border-radius:50%;margin-right:.35rem;
 border:1px solid #444;vertical-align:middle}
</style>"""


def stage_colour(stage: str) -> str:
    """The colour of an implementation stage (light grey when none is recorded)."""
    return STAGE_COLOURS[STAGE_ORDER.index(stage)] if stage in STAGE_ORDER else NO_STAGE


def stage_strip(stages: pd.DataFrame) -> None:
    """The stage of each action area as one compact strip (wraps on a phone)."""
    cells = "".join(
        f"<span style='background:{stage_colour(r['stage'])};color:{text_colour(stage_colour(r['stage']))}'>"
        f"<b>{int(r['number'])}. {html.escape(str(r['area']))}</b>{html.escape(r['stage_label'])}</span>"
        for r in stages.to_dict("records"))
    st.html(f"{STYLE}<div class='cta-strip' aria-label='Stage of each action area'>{cells}</div>")


def key_cards(figures: tuple[KeyFigure, ...]) -> None:
    """Key figures as cards: what, value, status, notes (one column on a phone)."""
    cards = "".join(
        f"<div><dt>{html.escape(f.label)}</dt><dd class='value'>{html.escape(f.value)}</dd>"
        f"<dd class='status'>{html.escape(f.status)}</dd>"
        + "".join(f"<dd class='note'>{html.escape(n)}</dd>" for n in f.notes) + "</div>" for f in figures)
    st.html(f"{STYLE}<dl class='cta-keys' aria-label='Key figures'>{cards}</dl>")


def country_dot(iso3: str) -> str:
    """A small disc in the country's fixed colour (HTML)."""
    return f"<span class='cta-dot' style='background:{country_colour(iso3)}'></span>"


def countries_table(table: pd.DataFrame, areas: pd.DataFrame) -> None:
    """Every country with its 30% status and its stage per action area, each linking to its profile."""
    head = "".join(f"<th title='{html.escape(str(a['name']))}'>{int(a['number'])}</th>"
                   for a in areas.to_dict("records"))
    rows = []
    for r in table.to_dict("records"):
        stages = [r[f"stage_{int(a['number'])}"] for a in areas.to_dict("records")]
        cells = "".join(f"<td class='stage' style='background:{stage_colour(s)};color:{text_colour(stage_colour(s))}'>"
                        f"{html.escape(STAGE_WORDS.get(s, '–'))}</td>" for s in stages)
        rows.append(f"<tr><td>{country_dot(r['iso3'])}<a href='?country={html.escape(r['iso3'])}' target='_self'>"
                    f"{html.escape(r['country'])}</a></td><td>{html.escape(r['ev30'])}</td>{cells}</tr>")
    st.html(f"{STYLE}<div class='cta-table'><table aria-label='Countries'><thead><tr><th>Country</th>"
            f"<th>EV sales share against 30% by 2030</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
            "</table></div>")
    legend = " · ".join(f"{int(a['number'])}. {md(a['name'])}" for a in areas.to_dict("records"))
    st.caption(f"Action areas: {legend}. A dash: no stage recorded.")


def stages_side_by_side(profiles: list) -> None:
    """Stage of each action area (rows) for each country (columns), coloured by stage."""
    if not profiles:
        return
    head = "".join(f"<th>{country_dot(p.iso3)}{html.escape(p.name)}</th>" for p in profiles)
    rows = []
    for i, area in enumerate(profiles[0].stages.to_dict("records")):
        cells = "".join(
            f"<td class='stage' style='background:{stage_colour(s)};color:{text_colour(stage_colour(s))}'>"
            f"{html.escape(STAGE_WORDS.get(s, 'No data'))}</td>" for s in (p.stages.iloc[i]["stage"] for p in profiles))
        rows.append(f"<tr><td>{int(area['number'])}. {html.escape(str(area['area']))}</td>{cells}</tr>")
    st.html(f"{STYLE}<div class='cta-table'><table aria-label='Stages side by side'><thead><tr><th>Action area</th>"
            f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def figures_side_by_side(table: pd.DataFrame) -> None:
    """Key figures (rows) for each country (columns) as a table whose text wraps (readable on a phone)."""
    if table.empty:
        return
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in table.itertuples(index=False))
    st.html(f"{STYLE}<div class='cta-table'><table aria-label='Key figures side by side'><thead><tr>{head}</tr>"
            f"</thead><tbody>{body}</tbody></table></div>")


def stacked_table(frame: pd.DataFrame, label: str) -> None:
    """A small table as HTML whose text wraps: on a phone each row becomes a short list ('Latest value: 10.0%'),
    so no column is ever out of view; read by screen readers as a table. Empty cells show nothing."""
    def cell(column: object, value: object) -> str:
        text = "" if value is None or value is pd.NA or value != value else html.escape(str(value))
        return f"<td data-label='{html.escape(str(column))}'>{text}</td>"

    head = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(cell(c, v) for c, v in zip(frame.columns, row, strict=True)) + "</tr>"
                   for row in frame.itertuples(index=False))
    st.html(f"{STYLE}<div class='cta-table'><table class='cta-stack' aria-label='{html.escape(label)}'><thead><tr>"
            f"{head}</tr></thead><tbody>{rows}</tbody></table></div>")
