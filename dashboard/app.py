"""Entry point: page config, database check, navigation. Run with `streamlit run dashboard/app.py` once the
project is installed (`make install` runs `pip install -e .`)."""

from pathlib import Path

import streamlit as st

from ctatracker.model.enums import Role
from dashboard import auth_ui, look
from dashboard.data import database_problem, viewer

st.set_page_config(page_title="Clean Transport Asia Tracker", page_icon="🚌", layout="wide")

problem = database_problem()
if problem:
    st.title("Clean Transport Asia Tracker")
    st.error(problem, icon=":material/database:")
    st.stop()

EVERYONE = None
STAFF = frozenset({Role.SECRETARIAT, Role.ADMIN})
EDITORS = frozenset({Role.FOCAL_POINT, Role.SECRETARIAT, Role.ADMIN})
HOME = "views/overview.py"
SECTIONS = {"Tracker": [
    ("views/overview.py", "Regional overview", ":material/public:", EVERYONE),
    ("views/progress.py", "Progress charts", ":material/show_chart:", EVERYONE),
    ("views/country.py", "Country profiles", ":material/flag:", EVERYONE),
    ("views/compare.py", "Compare countries", ":material/compare_arrows:", EVERYONE),
    ("views/gaps.py", "Gap analysis", ":material/target:", EVERYONE),
    ("views/activities.py", "Activities", ":material/handshake:", EVERYONE),
    ("views/cooperation.py", "Cooperation", ":material/join_inner:", EVERYONE),
    ("views/catalogue.py", "Technical assistance catalogue", ":material/library_books:", EVERYONE),
    ("views/reporting_status.py", "Reporting status", ":material/checklist:", EVERYONE),
    ("views/what_changed.py", "What changed", ":material/update:", EVERYONE),
], "About": [
    ("views/methodology.py", "Methodology and sources", ":material/menu_book:", EVERYONE),
    ("views/download.py", "Download all data", ":material/download:", EVERYONE),
    ("views/suggest.py", "Suggest a correction", ":material/rate_review:", EVERYONE),
], "Contribute": [
    ("views/sign_in.py", "Sign in", ":material/login:", EVERYONE),
    ("views/my_country.py", "My country's data", ":material/edit_note:", EDITORS),
    ("views/bulk_upload.py", "Bulk upload", ":material/upload_file:", EDITORS),
    ("views/review_queue.py", "Review queue", ":material/fact_check:", STAFF),
    ("views/suggestions.py", "Public suggestions", ":material/rate_review:", STAFF),
    ("views/iea_import.py", "Import IEA data", ":material/cloud_upload:", STAFF),
    ("views/briefing.py", "Briefing pack", ":material/slideshow:", STAFF),
    ("views/history.py", "History", ":material/history:", EDITORS),
    ("views/admin_users.py", "Users", ":material/manage_accounts:", frozenset({Role.ADMIN})),
]}
# Every page with the roles that see it in the navigation (EVERYONE: anonymous readers too). A page left out of the
# navigation still opens from its address and says who it is for: each Contribute page checks the role itself.
if viewer():  # a read-only replica: the public pages only (Suggest a correction says it cannot send from here)
    del SECTIONS["Contribute"]
actor = auth_ui.current_actor()
PAGES = [st.Page(path, title=title, icon=icon, default=path == HOME,
                 visibility="visible" if roles is EVERYONE or (actor and actor.role in roles) else "hidden")
         for pages in SECTIONS.values() for path, title, icon, roles in pages]
# one flat list, every page in view (never folded behind "View N more"); the section names come from the style
page = st.navigation(PAGES, expanded=True)
look.apply({"" if pages[0][0] == HOME else Path(pages[0][0]).stem: name for name, pages in SECTIONS.items()})
auth_ui.sidebar_status()
page.run()
st.sidebar.caption("Clean Transport Asia Tracker · figures carry their source and year · "
                   "[methodology](/methodology)")
