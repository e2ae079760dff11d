"""Cooperation: per action area, a country's gaps beside its stage, needs, activities and the TA on offer;
then every gap that no activity under way supports, for the secretariat to plan the next round."""

import streamlit as st

from ctatracker.analysis import derived
from ctatracker.analysis.matching import flat, gaps_without_support
from ctatracker.charts.style import STAGE_LABELS
from ctatracker.store import queries
from dashboard import components, findings_ui, state
from dashboard.data import load
from dashboard.safe_text import bullets, md

COLUMNS = ("Gap status", "Stage", "Needs", "Activities", "Technical assistance on offer")
SUPPORT_COLUMNS = {"country_name": "Country", "action_area_name": "Action area", "reason": "Why",
                   "gaps": "Off-track targets", "offers": "Catalogue offers", "stage": "Stage", "needs": "Needs",
                   "regional_under_way": "Regional activities under way", "other_activities": "Earlier activities"}


def _said(row: dict) -> list[str]:
    """What the findings say of this country in this area: each target's status and plain sentence, Euro VI."""
    found = findings_ui.current()
    iso, area = row["country_iso3"], row["action_area_code"]
    lines = [f"**{md(f.status_label)}.** {md(f.plain)}" for f in (*found.ev30, *found.targets)
             if f.country_iso3 == iso and f.action_area == area]
    if area == "standards":
        lines += [f"**{md(f.status_label)}.** {md(f.plain)}" for f in found.euro_of(iso)]
    return lines


def _area(row: dict) -> None:
    """One action area: its five facets side by side."""
    if row["needs_support"] and not row["supported"]:
        flag = ":red[needs support: no activity under way in the country]"
    elif row["supported"]:
        flag = ":green[activity under way]"
    else:
        flag = ""
    with st.container(border=True):
        st.markdown(f"**{md(row['action_area_name'])}** {flag}")
        cells = st.columns(len(COLUMNS))
        for cell, heading in zip(cells, COLUMNS, strict=True):
            cell.caption(heading)
        cells[0].markdown("\n".join(f"- {g}" for g in _said(row)) or "*No data: no target in this area*")
        if isinstance(row["stage"], str):
            cells[1].markdown(f"**{md(STAGE_LABELS.get(row['stage'], row['stage']))}**  \n"
                              f"{md(row['stage_summary'], lines=True)}")
        else:
            cells[1].markdown("*No data: no stage recorded*")
        cells[2].markdown(bullets(list(row["needs"]), "*No data: no need recorded by the country*"))
        acts = (list(row["under_way"]) + [f"Regional: {a}" for a in row["regional_under_way"]]
                + [f"Earlier: {a}" for a in row["other_activities"]])
        cells[3].markdown(bullets(acts, "*No data: no activity recorded*"))
        cells[4].markdown(bullets(list(row["offers"]), "*No offer in the catalogue*"))


st.title("Cooperation")
st.caption("Where each country stands in each action area, beside the support under way and the technical "
           "assistance on offer. Only activities recorded for the country and the area count as support; "
           "regional ones are listed but do not close a gap (see [methodology](/methodology)).")
table = load(derived.matching_table)
countries = load(queries.countries)
names = dict(zip(countries["iso3"], countries["name"], strict=True))
top = st.columns([2, 1])
with top[0]:
    iso = state.url_selectbox("Country", list(names), "country", format_func=lambda c: names.get(c, c))
only = top[1].toggle("Only areas that need support", key="coop_only",
                     help="Areas with an off-track target or Euro VI status, or where no action is recorded.")
if iso is None or table.empty:
    components.no_data("any country", "Countries are added to data/seed/countries.csv.")
    st.stop()

mine = table[table["country_iso3"] == iso]
if only:
    mine = mine[mine["needs_support"]]
st.header(md(names[iso]))
if mine.empty:
    st.info(f"No action area of {md(names[iso])} is off track or without action in the recorded data. "
            "Turn the filter off to see every area.", icon=":material/filter_alt_off:")
for row in mine.to_dict("records"):
    _area(row)
st.caption("Activities count as under way when their status is pipeline or implementation, or not stated. "
           "The full catalogue is on the [technical assistance catalogue](/catalogue) page.")

st.subheader("Gaps without support")
st.caption("Every country: action areas off track (a target needing acceleration, with limited progress or "
           "moving away; or Euro VI not scheduled by 2030) or with no action recorded, and no activity under "
           "way in that country for that area.")
unsupported = gaps_without_support(table)
if unsupported.empty:
    st.success("Every off-track or no-action area has an activity under way.", icon=":material/check_circle:")
else:
    shown = unsupported.assign(stage=unsupported["stage"].map(
        lambda s: STAGE_LABELS.get(s, s) if isinstance(s, str) else "no data"))
    components.table(shown[list(SUPPORT_COLUMNS)].rename(columns=SUPPORT_COLUMNS), "gaps without support",
                     "gaps_without_support", column_config={"Off-track targets": st.column_config.TextColumn(
                         width="large"), "Catalogue offers": st.column_config.TextColumn(width="large")})
with st.expander("The whole matching table (every country and area)"):
    full = flat(table).drop(columns=["display_order"])
    st.caption(f"{full['needs_support'].sum()} of {len(full)} country-area pairs need support; "
               f"{int((full['needs_support'] & full['supported']).sum())} of them have an activity under way.")
    components.downloads(full.rename(columns=components.headers(full)), "cooperation matching", "matching",
                         components.table_meta("cooperation matching", full, "Each country and action area: its "
                                               "gaps, stage, needs, activities and the assistance on offer. Support "
                                               "counts only activities under way in the country and the area."))
