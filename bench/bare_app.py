"""The baseline for the browser benchmark: a bare Streamlit page with one Plotly chart."""

import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Scatter(x=[2020, 2021, 2022], y=[1, 3, 2])))
