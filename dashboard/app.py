"""Entry point: page config, database check, navigation. Run with `streamlit run dashboard/app.py`."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `streamlit run` finds the packages

from dashboard.data import BUILD_COMMAND, database_problem

st.set_page_config(page_title="Clean Transport Asia Tracker", page_icon=":material/commute:", layout="wide")

problem = database_problem()
if problem:
    st.title("Clean Transport Asia Tracker")
    st.error(f"{problem}\n\nBuild it from the seed data with:\n\n```\n{BUILD_COMMAND}\n```\n\n"
             "then reload this page. `make run` does both.", icon=":material/database:")
    st.stop()

PAGES = {
    "Tracker": [
        st.Page("pages/overview.py", title="Regional overview", icon=":material/public:", default=True),
        st.Page("pages/progress.py", title="Progress charts", icon=":material/show_chart:"),
        st.Page("pages/country.py", title="Country profiles", icon=":material/flag:"),
        st.Page("pages/gaps.py", title="Gap analysis", icon=":material/target:"),
        st.Page("pages/activities.py", title="Activities", icon=":material/handshake:"),
    ],
    "About": [
        st.Page("pages/methodology.py", title="Methodology and sources", icon=":material/menu_book:"),
    ],
}
st.navigation(PAGES).run()
st.sidebar.caption("Clean Transport Asia Tracker · figures carry their source and year · "
                   "[methodology](/methodology)")
