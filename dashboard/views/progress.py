"""Progress charts: one indicator in one vehicle scope, per country, against targets of that same scope."""

import pandas as pd
import streamlit as st

from ctatracker.analysis import derived, progress_view
from ctatracker.charts.progress import AXES, DERIVED_SCOPE, mode_label, progress_chart
from ctatracker.io.exports import ExportMeta, as_shown, file_name
from ctatracker.store import queries
from ctatracker.text.naming import AXIS_WORDS, counted, words
from dashboard import chart_panel, chart_view, components, state
from dashboard.data import load
from dashboard.safe_text import md


def _reset_countries() -> None:
    """Forget the country selection so it falls back to the countries with data."""
    for key in ("w_countries", "kept_countries"):
        st.session_state.pop(key, None)
    if "countries" in st.query_params:
        del st.query_params["countries"]


st.title("Progress charts")
st.caption("Each chart shows one indicator in one vehicle scope: car, all-vehicle and two/three-wheeler figures "
           "are never drawn on one line. Targets appear only on charts of their own scope.")
indicators = load(queries.indicators)
indicators = indicators[indicators["n_observations"] > 0]
names = dict(zip(indicators["code"], indicators["name"], strict=True))
left, right = st.columns([3, 2])
with left:
    indicator = state.url_selectbox("Indicator", list(names), "indicator", default="ev_sales_share",
                                    format_func=lambda c: names.get(c, c))
if indicator is None:
    components.no_data("any indicator", "No indicator has data yet.")
    st.stop()
modes = load(queries.modes_with_data, indicator_code=indicator)
if indicator == progress_view.SHARE:  # the communique's question is about all vehicles: that opens first
    modes = [DERIVED_SCOPE, *modes]
with right:
    mode = state.url_selectbox("Vehicle scope", modes, "mode", default=modes[0] if modes else None,
                               format_func=mode_label, help="Only scopes with data for this indicator. All "
                               "vehicles, derived by the tracker: from the EV sales of each vehicle type.")
scope = "all_vehicles" if mode == DERIVED_SCOPE else mode
countries = load(queries.countries)
country_names = dict(zip(countries["iso3"], countries["name"], strict=True))
in_mode = (load(progress_view.derived_share) if mode == DERIVED_SCOPE
           else load(queries.observations, indicator_code=indicator, mode=mode))
with_data = sorted(in_mode["country_iso3"].unique(), key=lambda c: country_names.get(c, c))
if not st.query_params.get_all("countries") and not st.session_state.get("kept_countries"):
    _reset_countries()  # an empty selection (e.g. "all countries" on another page) means: those with data
chosen = state.url_multiselect("Countries", list(country_names), "countries", default=with_data,
                               format_func=lambda c: country_names.get(c, c))
st.button("Countries with data", on_click=_reset_countries, icon=":material/restart_alt:",
          help=f"Select the {len(with_data)} countries with {mode_label(mode)} data")

inputs = progress_view.progress_inputs(in_mode, load(queries.targets, indicator_code=indicator),
                                      load(derived.gap_table), indicator, scope, chosen)
series, line, targets, gap = inputs.series, inputs.line, inputs.targets, inputs.gap
other_scope = targets[targets["country_iso3"].isna() & (targets["mode"] != scope)]
show_reference = False
if not other_scope.empty:
    scope = mode_label(other_scope["mode"].iloc[0])
    show_reference = st.toggle(f"Show the regional ambition ({scope}) for reference — a different scope",
                               key="show_reference")

label = f"{names[indicator]} — {mode_label(mode)}"
gaps = progress_view.not_drawn(inputs, chosen, country_names).sentence(label)
if gaps:
    st.warning(md(gaps), icon=":material/visibility_off:")
if series.empty:
    components.no_data(f"{label} in the selected countries",
                       "Choose other countries or another vehicle scope above.")
elif line.empty:
    components.no_data(f"a yearly {label} figure in the selected countries",
                       "Only figures for part of a year, or for battery-electric vehicles only, are recorded; "
                       "they are listed below but not drawn as a trend.")
else:
    axis = st.radio("Value axis", AXES, format_func=AXIS_WORDS.get, horizontal=True, key="progress_axis",
                    help="From zero shows sizes as they are; zoomed spreads out lines close together; logarithmic "
                    "shows small and large figures side by side (each step up is ten times the one below; a "
                    "figure of zero cannot be drawn on it).")
    chart_view.show(progress_chart, title=f"{label}, by country", sources=progress_view.cited_rows(inputs, scope),
                    name=file_name("progress", indicator, mode), key="progress_chart", note=gaps, series=line,
                    targets=targets, projections=gap, show_reference=show_reference, axis=axis)
    projected = sorted(set(gap.dropna(subset=["projected_value"])["country_name"]))
    st.caption("Stars: regional targets; diamonds: national targets of this scope. Dashed, on the shaded band: "
               "linear projection to the target year at the observed slope (gap analysis), drawn only where a "
               "target of this scope exists" + (f" ({md(', '.join(projected))})." if projected else "; none here.")
               + " Each line is one source family (the newest edition of a dataset for each year); figures of "
               "other sources, part-year and battery-electric-only figures are listed in the table below.")

missing = [c for c in chosen if c not in set(series["country_iso3"])]
elsewhere = load(queries.observations, indicator_code=indicator, countries=missing) if missing else series
for iso in missing:
    others = ", ".join(sorted({mode_label(m) for m in elsewhere.loc[elsewhere["country_iso3"] == iso, "mode"]}))
    others = others or "none"
    components.no_data(f"{country_names[iso]} ({label})",
                       f"A sourced {mode_label(mode)} figure sent by the country's focal point would fill it. "
                       f"Scopes with data for this country: {others}.")

if not series.empty:
    view = progress_view.plotted_table(inputs)
    view["mode"] = view["mode"].map(mode_label)
    st.header("Plotted data")
    unit = words(view["unit"].dropna().iloc[0]) if view["unit"].notna().any() else ""
    labels = {"country_name": "Country", "year": "Year", "value": f"Value ({unit})" if unit else "Value",
              "in_line": "On the line", "unit": "Unit", "mode": "Vehicle scope", "source_publisher": "Publisher",
              "source_year": "Source year", "source_title": "Source", "confidence": "Confidence",
              "period": "Period", "note": "Note", "target": "Target", "target_value": f"Target value ({unit})",
              "target_year": "Target year", "projected_value": f"Projected value in the target year ({unit})",
              "status": "Status"}
    view = view.drop(columns="unit").assign(confidence=view["confidence"].map(words))
    config = {c: st.column_config.Column(label) for c, label in labels.items()}
    config.update({
        "year": st.column_config.NumberColumn(labels["year"], format="%d"),
        "in_line": st.column_config.CheckboxColumn(labels["in_line"]),
        "source_year": st.column_config.NumberColumn(labels["source_year"], format="%d"),
        "target_year": st.column_config.NumberColumn(labels["target_year"], format="%d"),
        "projected_value": st.column_config.NumberColumn(labels["projected_value"], format="%.1f")})
    sources = progress_view.cited_rows(inputs, scope)
    years = ["Year", "Source year", "Target year"]
    shown = as_shown(view.rename(columns=labels), years=years, decimals={labels["projected_value"]: 1})
    full = in_mode[["country_name", "year", "value", "source_publisher", "source_year", "source_title",
                    "confidence", "period", "note"]].rename(columns=labels)
    meta = ExportMeta(title=f"Progress: {label}", as_of=(load(queries.last_update) or pd.Timestamp.today()).date(),
                      indicator=label, unit=unit or None, sources=components.sources_meta(sources),
                      notes=("'On the line': the figure drawn as the country's trend (one source family, the newest "
                             "edition for each year, yearly figures only).",))
    st.dataframe(view, hide_index=True, placeholder="–", width="stretch", column_config=config)
    st.caption(f"{counted(len(view), 'row')}: the data shown in the chart. The full series holds every country's "
               f"figures ({counted(len(in_mode), 'row')}).")
    chart_panel.downloads_and_link(shown, as_shown(full, years=years), sources, file_name("progress", indicator, mode),
                                   "progress", meta=meta, data_years=series["year"])
