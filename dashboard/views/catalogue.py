"""Technical assistance catalogue: what is on offer in each action area, what each offer is, how a country asks
for it, and where it is most needed."""

import streamlit as st

from ctatracker.analysis import derived
from ctatracker.store import queries
from ctatracker.store.cooperation import ta_offers
from dashboard import auth_ui, components, forms, state, support_request
from dashboard.data import load
from dashboard.safe_text import md

st.title("Technical assistance catalogue")
st.caption("Examples of technical assistance listed for the LG-CTA, by action area. Beside each area: the "
           "countries off track or without action there, and those with no activity under way (see the "
           "[cooperation](/cooperation) page).")
forms.show_flash()
actor = auth_ui.current_actor()
countries = load(queries.countries)
own = dict(zip(countries["iso3"], countries["name"], strict=True)).get(actor.country_iso3 if actor else None, "")
support_request.how_to_ask(actor, own)
areas = load(queries.action_areas)
area_names = dict(zip(areas["code"], areas["name"], strict=True))
top = st.columns([2, 1])
with top[0]:
    chosen = state.url_multiselect("Action area", list(area_names), "area", default=[],
                                   format_func=lambda c: area_names.get(c, c), placeholder="All areas")
needed_only = top[1].toggle("Only areas needing support", key="catalogue_needed",
                            help="Areas in which at least one country is off track or has no action recorded.")

offers = load(ta_offers, action_areas=chosen)
matching = load(derived.matching_table)
needing = matching[matching["needs_support"]]
if needed_only:
    offers = offers[offers["action_area_code"].isin(set(needing["action_area_code"]))]

if offers.empty:
    components.no_data("technical assistance offers with these filters",
                       "Offers are recorded in data/seed/ta_offers.csv with their source; clear a filter to see "
                       "more.")
    st.stop()

for code in [c for c in area_names if c in set(offers["action_area_code"])]:
    part = offers[offers["action_area_code"] == code]
    here = needing[needing["action_area_code"] == code]
    with st.container(border=True):
        st.markdown(f"**{md(area_names[code])}**")
        left, right = st.columns([3, 2])
        for offer in part.to_dict("records"):
            left.markdown(f"**{md(offer['title'])}**  \n" + (md(offer["description"]) if isinstance(
                offer["description"], str) else "*No description in the catalogue's source.*"))
            with left:
                support_request.request_form(actor, offer, own)
        if here.empty:
            right.caption("No country is recorded as off track or without action in this area.")
        else:
            alone = here[~here["supported"]]["country_name"].tolist()
            right.markdown(f"**Needs support:** {md(', '.join(here['country_name']))}  \n"
                           f"**Of which with no activity under way:** {md(', '.join(alone)) or 'none'}")

view = offers.assign(action_area=offers["action_area_code"].map(area_names),
                     description=offers["description"].fillna(""))
components.table(view[["action_area", "title", "description", "source_publisher", "source_year"]].rename(
    columns={"action_area": "Action area", "title": "Offer", "description": "Description",
             "source_publisher": "Source", "source_year": "Year"}), "ta catalogue", "catalogue",
    column_config={"Year": st.column_config.NumberColumn(format="%d")}, sources=offers)
components.source_note(offers)
