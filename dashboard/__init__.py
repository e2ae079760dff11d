"""The Streamlit dashboard of the Clean Transport Asia Tracker."""
