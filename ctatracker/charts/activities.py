"""Activities timeline: a Gantt chart of cooperation activities coloured by status."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from ctatracker.charts.style import finish

ACTIVITY_STATUS_COLOURS = {
    "pipeline": "#E69F00",
    "implementation": "#009E73",
    "completed": "#0072B2",
    "closed": "#56B4E9",
    "suspended": "#CC79A7",
    "cancelled": "#D55E00",
    "not stated": "#BBBBBB",
}
"""Okabe-Ito colours per activity status (colour-blind safe)."""

ONGOING = ("implementation", "pipeline")
MIN_DAYS = dt.timedelta(days=20)


def status_label(value: object) -> str:
    """The status as text; 'not stated' when the source gives none."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return "not stated"
    return str(getattr(value, "value", value))


def _date(value: object) -> dt.date | None:
    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def _year(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def spans(activities: pd.DataFrame, today: dt.date | None = None) -> pd.DataFrame:
    """Start and end of each activity as drawn, with a `dating` note; activities without any start are dropped.

    Year-only dates are drawn as whole years (1 January to 31 December); an ongoing activity (implementation or
    pipeline) without an end is drawn to today; a finished one without an end is drawn over its start year
    (year only) or a single month, and says so.
    """
    today = today or dt.date.today()
    rows = []
    for rec in activities.to_dict("records"):
        status = status_label(rec.get("status"))
        start_d, end_d = _date(rec.get("start_date")), _date(rec.get("end_date"))
        start_y, end_y = _year(rec.get("start_year")), _year(rec.get("end_year"))
        notes = []
        if start_d:
            start = start_d
        elif start_y:
            start, notes = dt.date(start_y, 1, 1), ["year only"]
        else:
            continue
        if end_d:
            end = end_d
        elif end_y:
            end = dt.date(end_y, 12, 31)
            if "year only" not in notes:
                notes.append("end year only")
        elif status in ONGOING and start <= today:
            end = today
            notes.append("ongoing: no end recorded, drawn to today")
        elif status in ONGOING:
            end = start + dt.timedelta(days=30)
            notes.append("planned: no end recorded")
        else:
            end = dt.date(start.year, 12, 31) if not start_d else start + dt.timedelta(days=30)
            notes.append("end not recorded")
        if end - start < MIN_DAYS:
            end = start + MIN_DAYS
            notes.append("short event: bar widened to be visible")
        rows.append({**rec, "status": status, "start": pd.Timestamp(start), "end": pd.Timestamp(end),
                     "dating": "; ".join(notes) if notes else "exact dates"})
    return pd.DataFrame(rows)


def _when(rec: dict) -> str:
    """The dates as recorded: exact dates as '5 Mar 2024', year-only as '2024'."""
    def one(d: object, y: object) -> str | None:
        day = _date(d)
        return f"{day.day} {day:%b %Y}" if day else (str(_year(y)) if _year(y) else None)
    start = one(rec.get("start_date"), rec.get("start_year")) or "?"
    end = one(rec.get("end_date"), rec.get("end_year"))
    return f"{start} – {end}" if end else f"from {start}"


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def timeline(activities: pd.DataFrame, today: dt.date | None = None, title: str | None = None) -> go.Figure:
    """Gantt chart (one bar per activity) from `activities` query rows, coloured by status."""
    drawn = spans(activities, today)
    if drawn.empty:
        return finish(go.Figure(), title, 200)
    drawn = drawn.sort_values("start", ascending=True)
    counts = drawn["title"].map(str).value_counts()
    drawn["label"] = [_short(t) + (f" ({c})" if counts[t] > 1 else "")
                      for t, c in zip(drawn["title"].map(str), drawn["country_name"], strict=True)]
    drawn["partners"] = [
        "; ".join(p for p in (i, f) if isinstance(p, str) and p) or "not recorded"
        for i, f in zip(drawn["implementers"], drawn["funders"], strict=True)]
    drawn["source"] = [f"{p} ({int(y)})" if pd.notna(y) else f"{p} (undated)"
                       for p, y in zip(drawn["source_publisher"], drawn["source_year"], strict=True)]
    drawn["when"] = [_when(r) for r in drawn.to_dict("records")]
    present = [s for s in ACTIVITY_STATUS_COLOURS if s in set(drawn["status"])]
    fig = px.timeline(
        drawn, x_start="start", x_end="end", y="label", color="status",
        color_discrete_map=ACTIVITY_STATUS_COLOURS, category_orders={"status": present},
        custom_data=["title", "country_name", "action_area_name", "dating", "partners", "source", "when"],
    )
    fig.update_traces(hovertemplate=(
        "<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]}<br>"
        "%{customdata[6]} (%{customdata[3]})<br>Partners: %{customdata[4]}<br>"
        "Source: %{customdata[5]}<extra>%{fullData.name}</extra>"))
    fig.update_yaxes(categoryorder="array", categoryarray=list(drawn["label"]), title_text=None,
                     autorange="reversed")
    fig.update_xaxes(title_text=None)
    fig.add_vline(x=pd.Timestamp(today or dt.date.today()).timestamp() * 1000, line={"color": "#444444",
                  "dash": "dot", "width": 1}, annotation_text="today", annotation_position="bottom left")
    height = max(260, 110 + 30 * len(drawn))
    fig = finish(fig, title, height)
    fig.update_layout(legend_title_text="Status")
    return fig
