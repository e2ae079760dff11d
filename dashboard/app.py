"""Entry point: page config, database check, navigation. Run with `streamlit run dashboard/app.py`."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `streamlit run` finds the packages

from dashboard import auth_ui
from dashboard.data import database_problem, viewer

st.set_page_config(page_title="Clean Transport Asia Tracker", page_icon=":material/commute:", layout="wide")

problem = database_problem()
if problem:
    st.title("Clean Transport Asia Tracker")
    st.error(problem, icon=":material/database:")
    st.stop()

PAGES = {
    "Tracker": [
        st.Page("views/overview.py", title="Regional overview", icon=":material/public:", default=True),
        st.Page("views/progress.py", title="Progress charts", icon=":material/show_chart:"),
        st.Page("views/country.py", title="Country profiles", icon=":material/flag:"),
        st.Page("views/compare.py", title="Compare countries", icon=":material/compare_arrows:"),
        st.Page("views/gaps.py", title="Gap analysis", icon=":material/target:"),
        st.Page("views/activities.py", title="Activities", icon=":material/handshake:"),
        st.Page("views/cooperation.py", title="Cooperation", icon=":material/join_inner:"),
        st.Page("views/catalogue.py", title="Technical assistance catalogue", icon=":material/library_books:"),
        st.Page("views/reporting_status.py", title="Reporting status", icon=":material/checklist:"),
        st.Page("views/what_changed.py", title="What changed", icon=":material/update:"),
    ],
    "About": [
        st.Page("views/methodology.py", title="Methodology and sources", icon=":material/menu_book:"),
        st.Page("views/download.py", title="Download all data", icon=":material/download:"),
        st.Page("views/suggest.py", title="Suggest a correction", icon=":material/rate_review:"),
    ],
    "Contribute": [
        st.Page("views/sign_in.py", title="Sign in", icon=":material/login:"),
        st.Page("views/my_country.py", title="My country's data", icon=":material/edit_note:"),
        st.Page("views/bulk_upload.py", title="Bulk upload", icon=":material/upload_file:"),
        st.Page("views/review_queue.py", title="Review queue", icon=":material/fact_check:"),
        st.Page("views/suggestions.py", title="Public suggestions", icon=":material/rate_review:"),
        st.Page("views/iea_import.py", title="Import IEA data", icon=":material/cloud_upload:"),
        st.Page("views/briefing.py", title="Briefing pack", icon=":material/slideshow:"),
        st.Page("views/history.py", title="History", icon=":material/history:"),
        st.Page("views/admin_users.py", title="Users", icon=":material/manage_accounts:"),
    ],
}
if viewer():  # a read-only replica: the public pages only (Suggest a correction says it cannot send from here)
    del PAGES["Contribute"]
# every page in view, the Contribute ones included (never folded behind "View N more")
page = st.navigation(PAGES, expanded=True)
auth_ui.sidebar_status()
page.run()
st.sidebar.caption("Clean Transport Asia Tracker · figures carry their source and year · "
                   "[methodology](/methodology)")
