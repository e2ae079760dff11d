"""Figures drawn for a briefing pack's slides: where every country stands on the 2030 ambitions (one grid), the
change in transport CO2 against 2019 by country, gaps with and without support by action area, and for one country
its Euro standard steps and the EV shares recorded for it. Pure builders: frames in, figures out; the briefing
layer sizes them for the slide."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from ctatracker.charts.gaps import CLASS_COLOURS, CLASS_LABELS, text_colour
from ctatracker.charts.progress import TARGET_FILL, TARGET_OUTLINE
from ctatracker.charts.style import finish
from ctatracker.findings.model import Group

GROUP_COLOURS: dict[Group, str] = {Group.ON_TRACK: "#0072B2", Group.OFF_TRACK: "#D55E00",
                                   Group.INDICATIVE: "#F0E442", Group.NO_DATA: "#BBBBBB"}
"""One colour per group on every briefing figure (the overview map's colours for the CO2 groups)."""
GROUP_ORDER = [Group.ON_TRACK, Group.OFF_TRACK, Group.INDICATIVE, Group.NO_DATA]


def _legend_key(name: str, colour: str, symbol: str = "square") -> go.Scatter:
    """A legend entry only (no point drawn)."""
    return go.Scatter(x=[None], y=[None], mode="markers", name=name, hoverinfo="skip", showlegend=True,
                      marker={"symbol": symbol, "size": 14, "color": colour, "line": {"color": "#666666",
                                                                                      "width": 1}})


def ambitions_grid(cells: pd.DataFrame, columns: Sequence[str], labels: Mapping[Group, str],
                   highlight: str | None = None) -> go.Figure:
    """Countries (rows, in the order given) by ambition (`columns`), each cell coloured by its group and showing
    its figure in words. `cells`: country, ambition, group (a `Group`), text. `labels`: the legend of each group.
    `highlight`: a country whose row is outlined and named in bold."""
    countries = list(dict.fromkeys(cells["country"]))
    index = {g: i for i, g in enumerate(GROUP_ORDER)}
    by = {(r["country"], r["ambition"]): r for r in cells.to_dict("records")}
    z, text, fonts = [], [], []
    for country in countries:
        row = [by.get((country, a)) for a in columns]
        z.append([index[r["group"]] if r else index[Group.NO_DATA] for r in row])
        text.append([r["text"] if r else "no figure" for r in row])
        fonts.append([text_colour(GROUP_COLOURS[GROUP_ORDER[v]]) for v in z[-1]])
    scale = []
    for i, g in enumerate(GROUP_ORDER):
        scale += [[i / len(GROUP_ORDER), GROUP_COLOURS[g]], [(i + 1) / len(GROUP_ORDER), GROUP_COLOURS[g]]]
    ticks = [f"<b>{c}</b>" if c == highlight else c for c in countries]
    fig = go.Figure(go.Heatmap(z=z, x=list(columns), y=countries, text=text,
                               colorscale=scale, zmin=-0.5, zmax=len(GROUP_ORDER) - 0.5, showscale=False,
                               xgap=3, ygap=3, hovertemplate="<b>%{y}</b>, %{x}: %{text}<extra></extra>"))
    # the cell text takes black or white by its background: one text trace per colour over the heatmap
    for colour in ("#000000", "#FFFFFF"):
        xs = [a for r, row in enumerate(fonts) for c, a in enumerate(columns) if row[c] == colour and text[r][c]]
        ys = [countries[r] for r, row in enumerate(fonts) for c in range(len(columns)) if row[c] == colour
              and text[r][c]]
        ts = [text[r][c] for r, row in enumerate(fonts) for c in range(len(columns)) if row[c] == colour
              and text[r][c]]
        fig.add_trace(go.Scatter(x=xs, y=ys, text=ts, mode="text", textfont={"color": colour}, showlegend=False,
                                 hoverinfo="skip"))
    for g in GROUP_ORDER:
        fig.add_trace(_legend_key(labels[g], GROUP_COLOURS[g]))
    finish(fig, height=max(300, 30 * len(countries) + 120))
    fig.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=countries,
                     tickvals=countries, ticktext=ticks, showgrid=False, zeroline=False)
    fig.update_xaxes(side="top", type="category", categoryorder="array", categoryarray=list(columns),
                     tickvals=list(columns), ticktext=["<br>".join(textwrap.wrap(c, 12)) for c in columns],
                     tickangle=0, showgrid=False, zeroline=False)
    fig.update_layout(legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0},
                      margin={"l": 10, "r": 10, "t": 10, "b": 10}, plot_bgcolor="#FFFFFF")
    if highlight in countries:
        i = countries.index(highlight)
        fig.add_shape(type="rect", xref="paper", x0=0, x1=1, yref="y", y0=i - 0.5, y1=i + 0.5,
                      line={"color": "#000000", "width": 3})
    return fig


def co2_change_bars(rows: pd.DataFrame, margin_pct: float, base_year: int, year_words: str,
                    highlight: str | None = None, credit: str = "") -> go.Figure:
    """Change in transport CO2 against `base_year` by country, one horizontal bar each, coloured by its group,
    largest rise on top; the band of +/- `margin_pct` where a country counts as about its base level.
    `rows`: country, change_pct, group (a `Group`), label (the bar's text, e.g. '+14.1%')."""
    df = rows.sort_values("change_pct", ascending=False)
    countries = list(df["country"])
    fig = go.Figure(go.Bar(
        y=countries, x=list(df["change_pct"]), orientation="h", text=list(df["label"]), textposition="outside",
        cliponaxis=False, marker={"color": [GROUP_COLOURS[g] for g in df["group"]],
                                  "line": {"color": "#444444", "width": 0.5}},
        hovertemplate="<b>%{y}</b>: %{text} against " + str(base_year) + "<extra></extra>", showlegend=False))
    fig.add_vrect(x0=-margin_pct, x1=margin_pct, fillcolor="#DDDDDD", opacity=0.5, line_width=0, layer="below")
    fig.add_vline(x=0, line={"color": "#000000", "width": 1.5})
    finish(fig, height=max(300, 28 * len(countries) + 140))
    ticks = [f"<b>{c}</b>" if c == highlight else c for c in countries]
    low, high = min(0.0, float(df["change_pct"].min())), max(0.0, float(df["change_pct"].max()))
    span = high - low or 10.0
    fig.update_yaxes(autorange="reversed", type="category", tickvals=countries, ticktext=ticks)
    fig.update_xaxes(title={"text": f"Change in transport CO₂, {year_words} against {base_year} (%)"},
                     ticksuffix="%", zeroline=False, range=[low - 0.18 * span, high + 0.18 * span])
    fig.add_annotation(x=0, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                       text=f"grey band: within ±{margin_pct:g}%, about the {base_year} level",
                       font={"color": "#444444"})
    lines = textwrap.wrap(credit, 72)
    if lines:
        fig.add_annotation(x=0, y=0, xref="paper", yref="paper", yanchor="top", xanchor="left", yshift=-50,
                           showarrow=False, text="<br>".join(lines), font={"color": "#444444", "size": 12},
                           align="left")
    fig.update_layout(margin={"l": 10, "r": 20, "t": 40, "b": 56 + 16 * len(lines)})
    return fig


def support_bars(rows: pd.DataFrame, supported: str, unsupported: str) -> go.Figure:
    """Countries with a gap per action area, split by whether support is under way. `rows`: area, with_support,
    without_support (counts); `supported`, `unsupported`: the two legend labels."""
    fig = go.Figure()
    areas = list(rows["area"])
    for column, name, colour in (("without_support", unsupported, "#D55E00"),
                                 ("with_support", supported, "#0072B2")):
        values = [int(v) for v in rows[column]]
        fig.add_trace(go.Bar(y=areas, x=values, name=name, orientation="h", text=[str(v) if v else "" for v in values],
                             textposition="inside", insidetextanchor="middle",
                             textfont={"color": text_colour(colour)}, marker={"color": colour},
                             hovertemplate=f"<b>%{{y}}</b><br>{name}: %{{x}} countries<extra></extra>"))
    finish(fig, height=max(260, 44 * len(areas) + 140))
    most = int((rows["with_support"] + rows["without_support"]).max()) if len(rows) else 1
    fig.update_layout(barmode="stack", legend={"traceorder": "normal", "orientation": "h", "y": 1.02,
                                               "yanchor": "bottom", "x": 0},
                      uniformtext={"minsize": 12, "mode": "hide"})  # no count too small to read
    fig.update_yaxes(autorange="reversed", type="category", tickvals=areas,
                     ticktext=["<br>".join(textwrap.wrap(a, 18)) for a in areas], automargin=True)
    fig.update_xaxes(title={"text": "Countries with a gap"}, dtick=1 if most <= 8 else 2 if most <= 16 else 5,
                     range=[0, most + 0.5], tickangle=0)
    return fig


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII"}
"""A Euro level as the ambition names it: 'Euro VI'."""
STEP_SYMBOLS = {"in_force": "circle", "scheduled": "circle-open", "pledged": "diamond-open"}
STEP_WORDS = {"in_force": "in force", "scheduled": "adopted, future date", "pledged": "pledged only"}


def euro_steps(steps: pd.DataFrame, goal_level: int, deadline: int, goal_words: str) -> go.Figure:
    """One country's emission standard steps: a row per vehicle class, a labelled marker per step at the year it
    applies ('Euro 4'), filled when in force, open when adopted for a later date, a diamond when pledged; the goal
    as a white star at the deadline in each row. `steps`: vehicle_class, level, year, state (in_force, scheduled,
    pledged)."""
    classes = [c for c in ("light_duty", "heavy_duty") if c in set(steps["vehicle_class"])] or \
        ["light_duty", "heavy_duty"]
    rows = [CLASS_LABELS[c] for c in classes]
    fig = go.Figure()
    for c in classes:
        part = steps[steps["vehicle_class"] == c]
        for state, symbol in STEP_SYMBOLS.items():
            sel = part[part["state"] == state]
            if sel.empty:
                continue
            fig.add_trace(go.Scatter(
                x=list(sel["year"]), y=[CLASS_LABELS[c]] * len(sel), mode="markers+text",
                text=[f"Euro {int(v)}" for v in sel["level"]], textposition="top center",
                marker={"symbol": symbol, "size": 22, "color": CLASS_COLOURS[c],
                        "line": {"width": 3, "color": CLASS_COLOURS[c]}},
                name=f"{CLASS_LABELS[c]}: {STEP_WORDS[state]}", cliponaxis=False))
    fig.add_trace(go.Scatter(x=[deadline] * len(rows), y=rows, mode="markers+text", name=goal_words,
                             text=[f"Euro {ROMAN[goal_level]}"] * len(rows), textposition="bottom center",
                             marker={"symbol": "star", "size": 24, "color": TARGET_FILL,
                                     "line": {"color": TARGET_OUTLINE, "width": 2}}, cliponaxis=False))
    finish(fig, height=360)
    years = [*steps["year"].dropna().astype(int), deadline]
    fig.add_vline(x=deadline, line={"dash": "dash", "color": "#000000", "width": 1.5})
    fig.update_xaxes(range=[min(years) - 2, max(years) + 2], dtick=2 if max(years) - min(years) < 16 else 5,
                     title={"text": "Year the level applies to new vehicles"})
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=rows[::-1], tickvals=rows,
                     ticktext=rows, range=[-0.7, len(rows) - 0.3])
    return fig


def share_points(points: pd.DataFrame, target: float | None, target_year: int | None, target_words: str,
                 colour: str) -> go.Figure:
    """EV shares recorded for one country on bases narrower than all new vehicles (imports, the fleet, one
    vehicle type), one open marker or line per kind with its label, and the target as a white star. `points`:
    label, year, value."""
    fig = go.Figure()
    for label, part in points.groupby("label", sort=False):
        part = part.sort_values("year")
        fig.add_trace(go.Scatter(x=list(part["year"]), y=list(part["value"]), name=str(label),
                                 mode="lines+markers+text", text=[f"{v:.1f}%" for v in part["value"]],
                                 textposition="middle right", cliponaxis=False,
                                 marker={"symbol": "circle-open", "size": 16, "color": colour,
                                         "line": {"width": 3}}, line={"dash": "dot", "color": colour}))
    if target is not None and target_year is not None:
        fig.add_trace(go.Scatter(x=[target_year], y=[target], name=target_words, mode="markers+text",
                                 text=[f"{target:g}%"], textposition="middle left", cliponaxis=False,
                                 marker={"symbol": "star", "size": 24, "color": TARGET_FILL,
                                         "line": {"color": TARGET_OUTLINE, "width": 2}}))
    finish(fig, height=360)
    years = [*points["year"].astype(int), *([target_year] if target_year else [])]
    top = max([*points["value"], target or 0, 10.0])
    fig.update_xaxes(range=[min(years) - 1.5, max(years) + 1.5], dtick=1 if max(years) - min(years) < 8 else 2,
                     tickformat="d")
    fig.update_yaxes(range=[0, top * 1.2], ticksuffix="%", title={"text": "Share (%)"})
    return fig


def euro_by_class(steps: pd.DataFrame, deadline: int, goal_level: int = 6) -> go.Figure:
    """Emission standard steps of every country with one recorded, heavy-duty and light-duty side by side: a row
    per country, a marker per step at the year it applies with its Euro level inside (filled: in force; open:
    adopted for a later date; diamond: pledged only), the deadline dashed. `steps`: country, vehicle_class,
    level, year, state."""
    from plotly.subplots import make_subplots

    classes = ["heavy_duty", "light_duty"]
    countries = sorted(steps["country"].unique())
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.03,
                        subplot_titles=[f"{CLASS_LABELS[c].replace(' ', '-')} vehicles" for c in classes])
    for col, c in enumerate(classes, start=1):
        colour = CLASS_COLOURS[c]
        part = steps[steps["vehicle_class"] == c]
        for state, symbol in STEP_SYMBOLS.items():
            sel = part[part["state"] == state]
            fig.add_trace(go.Scatter(
                x=list(sel["year"]), y=list(sel["country"]), mode="markers+text",
                text=[str(int(v)) for v in sel["level"]], textfont={"color": "#FFFFFF" if state == "in_force"
                                                                    else colour, "size": 13},
                marker={"symbol": symbol, "size": 22, "color": colour, "line": {"width": 2.5, "color": colour}},
                name=STEP_WORDS[state], legendgroup=state, showlegend=False, cliponaxis=False,
                hovertemplate="<b>%{y}</b>: Euro %{text} from %{x}<extra></extra>"), row=1, col=col)
        fig.add_vline(x=deadline, line={"dash": "dash", "color": "#000000", "width": 1.5}, row=1, col=col)
    for state, symbol in STEP_SYMBOLS.items():
        fig.add_trace(_legend_key(STEP_WORDS[state].capitalize(), "#555555", symbol))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=f"Euro {ROMAN[goal_level]} by {deadline}",
                             line={"dash": "dash", "color": "#000000"}))
    finish(fig, height=max(300, 30 * len(countries) + 120))
    years = [*steps["year"].dropna().astype(int), deadline]
    fig.update_xaxes(range=[min(years) - 1.5, deadline + 1.5], dtick=5, tickformat="d")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=countries[::-1], tickvals=countries,
                     ticktext=countries)
    fig.update_layout(legend={"orientation": "h", "y": -0.06, "yanchor": "top", "x": 0},
                      margin={"l": 10, "r": 10, "t": 36, "b": 10})
    return fig
