"""Checks made on a Plotly figure before it is exported for a deck: every category on a category axis gets its
label (Plotly skips labels when it judges them crowded, so they are set explicitly), the rows are tall enough
for their labels, and grouped markers in one row do not overlap."""

from __future__ import annotations

from typing import Any

MIN_ROW_PX = 14.0
"""Smallest row pitch, in layout pixels, for a category label of the figures' 11-13 px font."""


def _axis_categories(fig: Any, axis: str) -> list[str]:
    """The categories drawn on the figure's x or y axis, in order (the axis' category array first)."""
    layout_axis = getattr(fig.layout, f"{axis}axis")
    seen: list[str] = [str(c) for c in (layout_axis.categoryarray or [])]
    for trace in fig.data:
        values = getattr(trace, axis, None)
        if values is None or trace.type not in ("scatter", "heatmap", "bar"):
            continue
        for v in values:
            if isinstance(v, str) and v not in seen:
                seen.append(v)
    return seen


def label_every_category(fig: Any) -> Any:
    """Give every category axis an explicit tick per category, so that none is left unlabelled; an axis whose
    ticks already name every category keeps its own tick texts (wrapped or in bold)."""
    for axis in ("x", "y"):
        cats = _axis_categories(fig, axis)
        layout_axis = getattr(fig.layout, f"{axis}axis")
        given = [str(t) for t in (layout_axis.tickvals or [])]
        if cats and set(cats) <= set(given) and layout_axis.ticktext:
            layout_axis.update(tickmode="array")
        elif cats:
            layout_axis.update(tickmode="array", tickvals=cats, ticktext=cats)
    return fig


def plot_height(fig: Any, height: int) -> float:
    """The height of the plotting area at an export height (figure height less top and bottom margins)."""
    margin = fig.layout.margin
    return height - (margin.t if margin.t is not None else 80) - (margin.b if margin.b is not None else 80)


def problems(fig: Any, height: int, name: str) -> list[str]:
    """What would make the exported figure unreadable: unlabelled categories, rows too low for their labels,
    grouped markers wider than their row. Empty when the figure is fine."""
    out = []
    for axis in ("x", "y"):
        cats = _axis_categories(fig, axis)
        if not cats:
            continue
        layout_axis = getattr(fig.layout, f"{axis}axis")
        labelled = [str(t) for t in (layout_axis.tickvals or [])] if layout_axis.tickmode == "array" else []
        missing = [c for c in cats if c not in labelled]
        if missing:
            out.append(f"{name}: {len(missing)} of {len(cats)} categories on the {axis} axis may go unlabelled "
                       f"({', '.join(missing[:4])}…)")
        if axis == "y":
            pitch = plot_height(fig, height) / len(cats)
            if pitch < MIN_ROW_PX:
                out.append(f"{name}: rows of {pitch:.0f} px are too low for their labels")
            groups = {t.offsetgroup for t in fig.data if t.type == "scatter" and t.offsetgroup}
            sizes = [t.marker.size for t in fig.data if t.type == "scatter" and t.offsetgroup
                     and isinstance(t.marker.size, int | float)]
            if len(groups) > 1 and sizes and len(groups) * max(sizes) > 0.9 * pitch:
                out.append(f"{name}: {len(groups)} markers of {max(sizes)} px overlap in rows of {pitch:.0f} px")
    return out
