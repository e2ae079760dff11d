"""Edit a country's data: focal points propose changes for review; the secretariat edits any country."""

import streamlit as st

from ctatracker.model.enums import Role
from ctatracker.store import queries
from dashboard import auth_ui, data, edit_forms, forms

st.title("My country's data")
actor = auth_ui.require({Role.FOCAL_POINT, Role.SECRETARIAT, Role.ADMIN}, "Editing country data")
countries = data.load(queries.countries)
names = dict(zip(countries["iso3"], countries["name"], strict=True))
if actor.role is Role.FOCAL_POINT:
    country = actor.country_iso3
    st.write(f"Propose updates for **{names.get(country, country)}**. Each change goes to the ALP secretariat "
             "for review; the public pages show it once it is approved.")
else:
    country = st.selectbox("Country", list(names), format_func=names.get, key="edit_country")
    st.write("As secretariat, your changes are applied at once and recorded in the history.")
forms.show_flash()

FORMS = {"Implementation stage": edit_forms.stage_form, "Observation": edit_forms.observation_form,
         "Policy": edit_forms.policy_form, "Needs and challenges": edit_forms.needs_form}
tabs = st.tabs([*FORMS, "My submissions"], key="tab", bind="query-params")  # the open tab survives a save
for tab, form in zip(tabs, FORMS.values(), strict=False):
    if tab.open:
        with tab:
            form(actor, country)
if tabs[-1].open:
    with tabs[-1]:
        edit_forms.my_submissions(actor)
st.page_link("views/bulk_upload.py", label="Many changes? Use the Excel bulk upload", icon=":material/upload_file:")
