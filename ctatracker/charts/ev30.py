"""The 30% chart: each country's latest EV share of sales, coloured by status, against the ambition."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ctatracker.analysis.gaps import STATUS_LABELS, STATUS_ORDER, ProgressStatus
from ctatracker.charts.style import STATUS_COLOURS, finish

BASIS_SYMBOLS = {"reported": "circle", "derived": "circle", "proxy": "circle-open"}


def ev30_chart(ev30: pd.DataFrame, target: float = 30.0, target_year: int | None = 2030) -> go.Figure:
    """Latest value per country (filled: all vehicles; open: a proxy mode), the straight line to the target
    year as a thin bar end, the IEA scenario as an open diamond, and the ambition as a dashed line.
    Countries without data are not drawn (never as zero); the page names them."""
    df = ev30.copy()
    df["order_"] = df["status"].map(lambda s: STATUS_ORDER.index(ProgressStatus(s)))
    df = df.sort_values(["order_", "latest_value"], ascending=[True, False])
    df = df[df["latest_value"].notna()].assign(name_=df["country_name"])
    traces: list[dict] = []
    for status in STATUS_ORDER:
        sel = df[(df["status"] == status.value) & df["latest_value"].notna()]
        if sel.empty:
            continue
        colour = STATUS_COLOURS[status.value]
        traces.append({
            "type": "scatter", "mode": "markers", "name": STATUS_LABELS[status], "y": list(sel["name_"]),
            "x": list(sel["latest_value"]),
            "marker": {"color": colour, "size": 13, "symbol": [BASIS_SYMBOLS.get(k, "circle")
                                                               for k in sel["basis_kind"]],
                       "line": {"color": colour if status is not ProgressStatus.INSUFFICIENT_DATA else "#666666",
                                "width": 2}},
            "customdata": list(zip(sel["latest_year"].astype(int), sel["basis"].fillna(""), strict=True)),
            "hovertemplate": "<b>%{y}</b><br>%{x:.1f}% in %{customdata[0]}<br>%{customdata[1]}<extra></extra>"})
    line = df[df["projected_value"].notna() & df["latest_value"].notna()]
    if not line.empty:
        xs, ys = [], []
        for r in line.itertuples():
            xs += [r.latest_value, r.projected_value, None]
            ys += [r.name_, r.name_, None]
        traces.append({"type": "scatter", "mode": "lines", "name": f"Straight line to {target_year}",
                       "x": xs, "y": ys, "line": {"color": "#666666", "width": 1.5, "dash": "dot"},
                       "hoverinfo": "skip"})
    scen = df[df["scenario_value"].notna()]
    if not scen.empty:
        traces.append({"type": "scatter", "mode": "markers", "name": f"IEA scenario, {target_year}",
                       "x": list(scen["scenario_value"]), "y": list(scen["name_"]),
                       "marker": {"symbol": "diamond-open", "size": 11, "color": "#000000",
                                  "line": {"width": 1.5}},
                       "customdata": list(scen["scenario_label"]),
                       "hovertemplate": "<b>%{y}</b><br>%{x:.1f}%: %{customdata}<extra></extra>"})
    if (df["basis_kind"] == "proxy").any():
        traces.append({"type": "scatter", "mode": "markers", "name": "Open circle: one vehicle type as a proxy",
                       "x": [None], "y": [None], "showlegend": True, "hoverinfo": "skip",
                       "marker": {"symbol": "circle-open", "size": 13, "color": "#666666", "line": {"width": 2}}})
    fig = go.Figure(traces)
    finish(fig, height=max(320, 44 * len(df) + 170))
    fig.add_shape(type="line", x0=target, x1=target, xref="x", y0=0, y1=1, yref="paper",
                  line={"color": "#000000", "width": 1.5, "dash": "dash"})
    fig.add_annotation(x=target, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                       text=f"{target:g}% ambition" + (f" by {target_year}" if target_year else ""))
    fig.update_yaxes(categoryorder="array", categoryarray=list(df["name_"]), autorange="reversed",
                     automargin=True, type="category")
    fig.update_xaxes(title={"text": "EV share of new sales (%)"}, range=[0, 100], ticksuffix="%")
    return fig
