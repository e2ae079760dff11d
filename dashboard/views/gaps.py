"""Gap analysis: each country against each target, with the numbers behind every status, and Euro VI."""

import datetime as dt

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from ctatracker.analysis import derived
from ctatracker.analysis.euro import EURO_STATUS_LABELS, EuroStatus
from ctatracker.analysis.gaps import STATUS_LABELS, STATUS_ORDER
from ctatracker.charts import gaps as charts
from ctatracker.charts.style import STATUS_COLOURS
from ctatracker.findings.words import value_text
from ctatracker.io.exports import ExportMeta, as_shown, file_name
from ctatracker.store import queries
from ctatracker.text.naming import words
from dashboard import chart_panel, chart_view, co2_section, components, ev30_section, findings_ui, target_picker
from dashboard.data import load
from dashboard.safe_text import md
from dashboard.state import url_multiselect

MODELESS = ("all_vehicles", "not_applicable")

GAP_COLUMNS = {
    "country_name": "Country", "status_label": "Status", "finding": "Finding", "latest_value": "Latest value",
    "latest_year": "Latest year", "target_value": "Target value", "target_year": "Target year",
    "base_value": "Base value", "base_year": "Base year", "years_left": "Years left",
    "ratio": "Pace ratio, compound growth", "ratio_linear": "Pace ratio, straight line",
    "projected_value": "Straight line to the target year", "observed_slope": "Observed change per year",
    "required_slope": "Required change per year", "observed_cagr": "Observed growth (% per year)",
    "required_cagr": "Required growth (% per year)", "explanation": "How the status was computed",
    "basis": "Basis", "other_figures": "More recent figures not used", "source_names": "Sources",
}
# The columns a reader sees first; the method's figures are behind "How this was computed".
READER_COLUMNS = ["Country", "Status", "Finding", "Latest value", "Latest year", "Target value", "Target year",
                  "Sources"]
EURO_COLUMNS = {"country_name": "Country", "vehicle_class": "Vehicle class", "status_label": "Status",
                "current_level": "Current level", "current_since": "Since", "goal_year": "Euro 6 year",
                "levels_to_climb": "Levels to climb", "years_left": "Years left", "explanation": "Explanation",
                "source_names": "Sources"}
YEAR, NUM, PCT = (st.column_config.NumberColumn(format=f) for f in ("%d", "%.2f", "%.1f%%"))
GAP_YEARS = ["Base year", "Latest year", "Target year", "Years left"]
GAP_NUMBERS = ["Base value", "Latest value", "Target value", "Pace ratio, compound growth", "Pace ratio, straight line",
               "Observed change per year", "Required change per year", "Straight line to the target year"]
GAP_PERCENT = ["Observed growth (% per year)", "Required growth (% per year)"]
PINNED = {"Country": st.column_config.TextColumn(pinned=True),  # only the country: on a phone, more pinned
          # columns would leave no room for the others
          "Finding": st.column_config.TextColumn(width="medium"),
          "How the status was computed": st.column_config.TextColumn(width="medium")}


def _styled(frame: pd.DataFrame, colours: dict[str, str]) -> Styler:
    """The table with its Status cells on their status colour."""
    def paint(label: str) -> str:
        bg = colours.get(label, "#FFFFFF")
        return f"background-color: {bg}; color: {charts.text_colour(bg)}"
    return frame.style.map(paint, subset=["Status"])


def _sources(ids: pd.Series) -> pd.DataFrame:
    """Bibliography rows (as source_* columns) of the ids cited in `ids` ('a; b' strings)."""
    wanted = {i.strip() for text in ids.dropna() for i in str(text).split(";") if i.strip()}
    src = load(queries.sources)
    src = src[src["id"].isin(wanted)]
    return src.rename(columns={c: f"source_{c}" for c in ("title", "publisher", "year", "url")})


def _source_names(ids: pd.Series) -> pd.Series:
    """'a; b' source ids as 'Publisher year; Publisher year' (readers see names, never ids)."""
    src = load(queries.sources)
    names = dict(zip(src["id"], src["publisher"] + src["year"].map(lambda y: "" if pd.isna(y) else f" {int(y)}"),
                     strict=True))
    return ids.map(lambda text: "; ".join(dict.fromkeys(names.get(i.strip(), i.strip()) for i in str(text).split(";")
                                                         if i.strip())) if isinstance(text, str) else None)


def _meta(title: str, sources: pd.DataFrame, **fields: str | None) -> ExportMeta:
    as_of = load(queries.last_update)
    return ExportMeta(title=title, as_of=(as_of or pd.Timestamp.today()).date(),
                      sources=components.sources_meta(sources), **fields)


def _table(frame: pd.DataFrame, colours: dict[str, str], name: str, config: dict,
           meta: ExportMeta | None = None, download: pd.DataFrame | None = None) -> None:
    st.dataframe(_styled(frame, colours), hide_index=True, column_config={**PINNED, **config}, width="stretch",
                 placeholder="–")
    st.caption(f"{len(frame)} {'row' if len(frame) == 1 else 'rows'}. –: no data, or not computable for this "
               "status.")
    components.downloads(frame if download is None else download, name, name, meta)


st.title("Gap analysis")
st.caption("How far each country is from each target and whether its recent pace would reach it. Every status "
           "is shown with the numbers behind it; see [methodology](/methodology).")

ev30_section.render()
st.divider()
st.header("Every target, country by country")

gap = load(derived.gap_table)
targets = load(queries.targets).set_index("id")
countries = load(queries.countries)
names = dict(zip(countries["iso3"], countries["name"], strict=True))
MODES = {m: f" ({words(m)})" for m in targets["mode"].unique() if m != "not_applicable"}


def target_label(tid: str) -> str:
    return target_picker.target_label(targets, tid)


target = target_picker.pick(targets, list(gap["target_id"].unique()), names)
mid, right = st.columns(2)
with mid:
    chosen = url_multiselect("Countries", list(countries["iso3"]), "countries", [], format_func=names.get,
                             placeholder="All countries")
with right:
    statuses = url_multiselect("Status", [s.value for s in STATUS_ORDER], "status", [], placeholder="All statuses",
                               format_func=lambda s: STATUS_LABELS[s])

rows = findings_ui.with_findings(gap[gap["target_id"] == target])  # status and sentences as the findings say
rows = rows[rows["country_iso3"].isin(chosen)] if chosen else rows
rows = rows[rows["status"].isin(statuses)] if statuses else rows
status_colours = {**{STATUS_LABELS[s]: STATUS_COLOURS[s.value] for s in STATUS_ORDER},
                  **dict(zip(rows["status_label"], rows["status"].map(STATUS_COLOURS), strict=True))}
unit = rows["unit"].dropna().iloc[0] if rows["unit"].notna().any() else ""
rows = rows.assign(source_names=_source_names(rows["source_ids"]))
if rows.empty:
    components.no_data("this selection", "No country matches these filters; clear the status or country filter.")
else:
    st.markdown(f"**{md(target_label(target))}** · values in {md(words(unit))}")
    t = targets.loc[target]
    shown = as_shown(rows[list(GAP_COLUMNS)].rename(columns=GAP_COLUMNS), years=GAP_YEARS,
                     decimals={**dict.fromkeys(GAP_NUMBERS, 2), **dict.fromkeys(GAP_PERCENT, 1)},
                     percent=GAP_PERCENT)
    who = None if pd.isna(t["country_iso3"]) else t["country_name"]
    shown_all = shown
    shown = shown_all[READER_COLUMNS].assign(**{  # rounded for reading: a share to one decimal, others 3 figures
        "Latest value": [None if pd.isna(v) else value_text(v, unit) for v in rows["latest_value"]],
        "Target value": [None if pd.isna(v) else value_text(v, unit) for v in rows["target_value"]]})
    _table(shown, status_colours, file_name("gap", f"{t['target_value']:g}%" if pd.notna(t["target_value"]) else None,
                                             t["indicator_code"], None if t["mode"] in MODELESS else t["mode"], who,
                                             "by", t["target_year"]),
           {**dict.fromkeys(GAP_YEARS, YEAR), **dict.fromkeys(("Latest value", "Target value"),
                                                             st.column_config.TextColumn())},
           table_meta := _meta(f"Gap analysis: {target_label(target)}", _sources(rows["source_ids"]),
                               indicator=f"{t['indicator_name']}{MODES.get(t['mode'], '')}", unit=words(unit),
                               target=f"{t['wording']} ({'regional' if who is None else who})"),
           download=shown_all)
    with st.expander("How this was computed: the method's figures for each country"):
        st.dataframe(shown_all.drop(columns=["Finding"]), hide_index=True, width="stretch", placeholder="–",
                     column_config={**dict.fromkeys(GAP_YEARS, YEAR), **dict.fromkeys(GAP_NUMBERS, NUM),
                                    **dict.fromkeys(GAP_PERCENT, PCT)})
    empty = rows[rows["latest_value"].isna()]
    if not empty.empty:
        components.no_data(", ".join(empty["country_name"]), "No yearly value of this indicator for this vehicle "
                           "type yet; a sourced figure from the country's focal point would fill it.")
    components.source_note(_sources(rows["source_ids"]), rows["latest_year"])

st.header("Countries per status")
summary = charts.rollup_summary(load(derived.rollup))
labels = {t: f"{targets.loc[t, 'indicator_name']}{MODES.get(targets.loc[t, 'mode'], '')} (regional)"
          for t in summary["target_id"] if t in targets.index}
labels["national"] = "National targets, each country against its own"
chart_view.show(charts.status_bar, title="Countries per status: each regional target, and every national target",
                sources=_sources(gap["source_ids"]), name="countries per status", key="status_bar", rollup=summary,
                labels=labels)
st.caption("Regional targets count every covered country; the last bar sums country-target pairs over all "
           "national targets. Source: the gap table above, from the sourced observations and targets.")

st.header("Pace: observed against required change")
computable = rows[rows["observed_slope"].notna() & rows["required_slope"].notna()]
if computable.empty:
    components.no_data("the pace of the selected countries on this target", "A pace needs at least two years "
                       "of data before the target year and a target not yet met; more sourced observations "
                       "would fill it.")
else:
    measure = st.segmented_control("Pace measured as", ["slope", "cagr"], default="slope", required=True,
                                   key="pace_measure", format_func={"slope": "Yearly change (slope)",
                                                                    "cagr": "Compound growth (%/yr)"}.get)
    chart_view.show(charts.pace_chart, title=f"Pace, observed and required: {t['indicator_name']}"
                    f"{MODES.get(t['mode'], '')}, {'regional' if who is None else who} target",
                    sources=_sources(computable["source_ids"]), name=f"pace {t['indicator_code']} {target}",
                    key="pace", gap_rows=rows, measure=measure or "slope")
    pace = [GAP_COLUMNS[c] for c in ("country_name", "status_label", "base_year", "latest_year", "observed_slope",
                                     "required_slope", "observed_cagr", "required_cagr", "source_names")]
    chart_panel.beside_chart(shown_all[pace][shown_all["Country"].isin(computable["country_name"])],
                             _sources(computable["source_ids"]), f"pace {t['indicator_code']}", "pace",
                             meta=table_meta, column_config={**dict.fromkeys(GAP_YEARS, YEAR),
                                                             **dict.fromkeys(GAP_NUMBERS, NUM),
                                                             **dict.fromkeys(GAP_PERCENT, PCT)})
    st.caption("Observed: least-squares trend from the base to the latest year (or compound growth over that "
               "period). Required: the yearly change still needed from the latest value to reach the target "
               "in the target year (or the compound rate from the base year).")
    components.source_note(_sources(computable["source_ids"]), computable["latest_year"])

st.header("Euro VI vehicle emission standards by 2030")
euro = load(derived.euro_table)
euro = euro[euro["country_iso3"].isin(chosen)] if chosen else euro
euro = euro.assign(status_label=euro["status"].map(lambda s: EURO_STATUS_LABELS[EuroStatus(s)]),
                   vehicle_class=euro["vehicle_class"].map(charts.CLASS_LABELS),
                   source_names=_source_names(euro["source_ids"]))
standards = load(queries.emission_standards, countries=chosen or None)
EURO_YEARS = ["Current level", "Since", "Euro 6 year", "Levels to climb", "Years left"]
_table(as_shown(euro[list(EURO_COLUMNS)].rename(columns=EURO_COLUMNS), years=EURO_YEARS),
       {EURO_STATUS_LABELS[s]: charts.EURO_STATUS_COLOURS[s] for s in EuroStatus}, "euro-vi-status-by-2030",
       dict.fromkeys(EURO_YEARS, YEAR),
       euro_meta := _meta("Euro VI vehicle emission standards by 2030: status per country and vehicle class", standards,
             indicator="Euro-equivalent emission standard level", unit="Euro level (1 to 6)",
             target="Euro VI (Euro 6) for all vehicle types by 2030 (communique)"))
missing = sorted(set(euro["country_name"]) - set(standards["country_name"]))
if missing:
    components.no_data(", ".join(missing), "No emission standard recorded; the level in force, its "
                       "year and a source, sent by the country's focal point, would fill it.")
if not standards.empty:
    chart_view.show(charts.euro_timeline, title="Emission standards: the Euro level in force or adopted, by the "
                    "year it applies to new vehicles", sources=standards, name="euro levels by year",
                    key="euro_timeline", standards=standards, as_of=dt.date.today())
    st.caption("Filled: in force · open circle: adopted for a future date · open diamond: pledged only. "
               "The number is the Euro-equivalent level.")
    steps = standards.assign(vehicle_class=standards["vehicle_class"].map(charts.CLASS_LABELS),
                             status=standards["status"].map(words))
    steps = steps[["country_name", "vehicle_class", "euro_level", "local_name", "effective_year", "status",
                   "source_publisher", "source_year"]].rename(columns={
        "country_name": "Country", "vehicle_class": "Vehicle class", "euro_level": "Euro level",
        "local_name": "National name", "effective_year": "Takes effect", "status": "Status",
        "source_publisher": "Publisher", "source_year": "Source year"})
    chart_panel.beside_chart(as_shown(steps, years=["Takes effect", "Source year", "Euro level"]), standards,
                             "euro-vi-timeline", "euro_timeline", meta=euro_meta,
                             data_years=standards["effective_year"])

st.divider()
co2_section.render(chosen)
