"""Download all data: every published table in one zip (CSV and Parquet, described for Frictionless tools)."""

import pandas as pd
import streamlit as st

from ctatracker.io.datapackage import EXPORT_TABLES, table_counts
from ctatracker.io.open_data import zip_bytes, zip_name
from ctatracker.model.schema import TABLES
from ctatracker.store import queries
from ctatracker.text.naming import TABLE_ABOUT, table_title
from dashboard import data

st.title("Download all data")
st.write("Every table the tracker publishes, in one file: each figure with its source and year, the countries' "
         "implementation stages, targets, policies, emission standards, cooperation activities and the list of "
         "sources. Each table comes twice: as a spreadsheet-friendly CSV file and as a Parquet file for data "
         "tools. A description of every column (its meaning, unit and allowed values) comes with them, in the "
         "open *Data Package* format that Frictionless tools read and check, with a README, the date of the data, "
         "the sources with the date each was read where it is recorded, and a citation file.")
st.write("Names and email addresses of the people who contribute are not included.")

counts = data.load(table_counts)
rows = [{"Table": table_title(name), "What it holds": TABLE_ABOUT.get(
    name, (TABLES[name].__doc__ or "").strip().splitlines()[0]), "Rows": counts[name]} for name in EXPORT_TABLES]
st.dataframe(pd.DataFrame(rows), hide_index=True, placeholder="–", width="stretch")
as_of = data.load(queries.last_update)
st.download_button("Download all data (zip)", lambda: zip_bytes(data.cursor()),
                   zip_name(None if as_of is None else as_of.date()), "application/zip",
                   key="download_all", type="primary", icon=":material/download:", on_click="ignore")
st.header("Licence and how to cite")
st.markdown("The tracker's own data (stages, summaries, needs and the compilation) may be reused under the "
            "Creative Commons Attribution 4.0 licence: cite *Clean Transport Asia Tracker, Asia LEDS Partnership*. "
            "Figures taken from the IEA's Global EV Data Explorer are under the IEA's terms (CC BY 4.0): cite the "
            "IEA. Every other figure names its source, and that source's licence where it states one.")
