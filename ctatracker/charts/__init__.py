"""Pure Plotly builders: DataFrame in, Figure out; no Streamlit calls."""
