"""A country's transport CO2 since 2010 against its 2019 level: the series its CO2 finding rests on, the 2019 line,
the pandemic years shaded, the title and the source with its licence in the figure. Pure builder: finding in,
Figure out."""

from __future__ import annotations

import html
import textwrap

import plotly.graph_objects as go

from ctatracker.analysis.co2 import PANDEMIC_YEARS
from ctatracker.charts.style import country_colour, finish
from ctatracker.findings.co2 import mt
from ctatracker.findings.model import Co2Finding

SINCE = 2010
LINE_2019 = "#555555"


def co2_chart(finding: Co2Finding, since: int = SINCE, height: int = 440) -> go.Figure:
    """Transport CO2 (Mt) of one country from `since`, one source family, with a dashed line at its 2019 level;
    the title says where it stands, the annotation under the plot gives the credit line of the series' source, with
    its licence."""
    points = [(y, v) for y, v in finding.points if y >= since]
    fig = go.Figure()
    colour = country_colour(finding.country_iso3)
    if points:
        years, values = [y for y, _ in points], [v for _, v in points]
        fig.add_trace(go.Scatter(
            x=years, y=values, mode="lines+markers", name=f"Transport CO₂, {finding.source}",
            line={"color": colour, "width": 2.5}, marker={"size": 6},
            hovertemplate="%{x}: %{y:.3~g} Mt CO₂<extra>" + finding.source + "</extra>"))
        fig.add_vrect(x0=PANDEMIC_YEARS[0] - 0.5, x1=PANDEMIC_YEARS[-1] + 0.5, fillcolor="#DDDDDD", opacity=0.35,
                      line_width=0, layer="below", annotation_text="pandemic years", annotation_position="top left",
                      annotation_font={"size": 11, "color": "#555555"})
    if finding.base_value is not None:
        fig.add_hline(y=finding.base_value, line={"color": LINE_2019, "dash": "dash", "width": 1.5},
                      annotation_text=f"{finding.base_year} level: {mt(finding.base_value)}",
                      annotation_position="top left", annotation_font={"size": 11, "color": LINE_2019})
    title = (f"{html.escape(finding.country_name, quote=False)}: transport CO₂ since {since}"
             f"<br><sup>{finding.status_label}</sup>")
    finish(fig, title=title, height=height)
    lines = textwrap.wrap(html.escape(finding.credit or "No source recorded", quote=False), 60)
    fig.add_annotation(text="<br>".join(lines), xref="paper", yref="paper", x=0, y=-0.08, xanchor="left",
                       yanchor="top", showarrow=False, align="left", font={"size": 10, "color": "#555555"})
    fig.update_yaxes(title_text="Mt CO₂ a year", rangemode="tozero")
    fig.update_xaxes(title_text=None, tickformat="d")
    fig.update_layout(showlegend=False, margin={"l": 10, "r": 20, "t": 70, "b": 30 + 14 * len(lines)})
    return fig
