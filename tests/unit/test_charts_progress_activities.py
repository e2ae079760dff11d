"""Pure chart builders: progress lines, targets of the same scope only, dashed projections, activity spans."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ctatracker.charts.activities import ACTIVITY_STATUS_COLOURS, spans, timeline
from ctatracker.charts.progress import conflicting_sources, progress_chart


def _obs(rows: list[tuple], mode: str = "cars") -> pd.DataFrame:
    """rows: (iso3, name, year, value, source_id)."""
    return pd.DataFrame([{
        "country_iso3": iso, "country_name": name, "indicator_code": "ev_sales_share",
        "indicator_name": "EV sales share", "unit": "percent", "mode": mode, "year": year, "value": value,
        "source_id": src, "confidence": "high", "note": None, "source_title": f"Title {src}",
        "source_publisher": src.upper(), "source_year": 2023, "source_url": "https://example.org",
    } for iso, name, year, value, src in rows])


def _target(mode: str, value: float = 30.0, year: int = 2030, iso: str | None = None) -> pd.DataFrame:
    return pd.DataFrame([{
        "id": f"t-{mode}-{iso}", "country_iso3": iso, "country_name": "Regional (communique)", "mode": mode,
        "indicator_code": "ev_sales_share", "comparison": "at_least", "target_value": value,
        "target_year": year, "wording": "30% EV share by 2030", "source_publisher": "LG-CTA",
        "source_year": 2024,
    }])


def _projection(iso: str = "CHN", name: str = "China", mode: str = "cars") -> pd.DataFrame:
    return pd.DataFrame([{
        "country_iso3": iso, "country_name": name, "mode": mode, "latest_year": 2022, "latest_value": 29.0,
        "target_year": 2030, "projected_value": 61.0, "observed_slope": 4.0,
    }])


CARS = _obs([("CHN", "China", 2020, 5.7, "iea"), ("CHN", "China", 2021, 16.0, "iea"),
             ("CHN", "China", 2022, 29.0, "iea"), ("IND", "India", 2021, 0.4, "iea"),
             ("IND", "India", 2022, 1.5, "iea")])


def _names(fig) -> list[str]:
    return [t.name for t in fig.data]


def test_one_line_per_country_with_source_in_hover() -> None:
    fig = progress_chart(CARS, None, None)
    assert _names(fig) == ["China", "India"]
    china = fig.data[0]
    assert list(china.y) == [5.7, 16.0, 29.0]
    assert china.customdata[0][0] == "IEA (2023)"
    assert "Source" in china.hovertemplate


def test_target_marker_only_when_modes_match() -> None:
    same = progress_chart(CARS, _target("cars"), None)
    assert any("Regional target" in n for n in _names(same))
    marker = next(t for t in same.data if "Regional target" in t.name)
    assert list(marker.x) == [2030] and list(marker.y) == [30.0]

    other = progress_chart(CARS, _target("all_vehicles"), None)
    assert not any("target" in n.lower() for n in _names(other))
    assert not other.layout.shapes  # no reference line unless asked


def test_reference_line_for_other_scope_is_labelled() -> None:
    fig = progress_chart(CARS, _target("all_vehicles"), None, show_reference=True)
    assert len(fig.layout.shapes) == 1
    assert fig.layout.shapes[0].line.dash == "dot"
    texts = [a.text for a in fig.layout.annotations]
    assert any("regional ambition, all vehicles — different scope" in t for t in texts)


def test_projection_is_dashed_and_shaded() -> None:
    fig = progress_chart(CARS, _target("cars"), _projection())
    proj = [t for t in fig.data if "projection" in t.name]
    assert len(proj) == 1
    assert proj[0].line.dash == "dash"
    assert list(proj[0].x) == [2022, 2030] and list(proj[0].y) == [29.0, 61.0]
    history = fig.data[0]
    assert history.line.dash in (None, "solid")
    assert proj[0].line.color == history.line.color
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(rects) == 1 and rects[0].x0 == 2022


def test_projection_of_another_mode_is_ignored() -> None:
    fig = progress_chart(CARS, None, _projection(mode="all_vehicles"))
    assert not any("projection" in n for n in _names(fig))


def test_modes_are_never_mixed() -> None:
    mixed = pd.concat([CARS, _obs([("CHN", "China", 2022, 20.0, "x")], mode="all_vehicles")])
    with pytest.raises(ValueError, match="never mixed"):
        progress_chart(mixed, None, None)


def test_conflicting_sources_get_their_own_marked_lines() -> None:
    conflict = pd.concat([CARS, _obs([("CHN", "China", 2022, 27.0, "other")])])
    assert conflicting_sources(conflict) == {"CHN"}
    names = _names(progress_chart(conflict, None, None))
    assert sum("China" in n and "sources differ" in n for n in names) == 2
    assert "India" in names


def test_empty_series_gives_an_empty_figure() -> None:
    assert len(progress_chart(CARS.iloc[0:0], None, None).data) == 0


def _activities(rows: list[dict]) -> pd.DataFrame:
    base = {"title": "A", "country_name": "Sri Lanka", "action_area_name": "Electric vehicles",
            "status": "completed", "start_date": None, "end_date": None, "start_year": None, "end_year": None,
            "implementers": "ICLEI", "funders": None, "source_publisher": "ALP", "source_year": 2024}
    return pd.DataFrame([{**base, **r} for r in rows])


TODAY = dt.date(2025, 6, 30)


def test_year_only_activity_is_a_whole_year() -> None:
    out = spans(_activities([{"start_year": 2023, "end_year": 2024}]), TODAY)
    assert out.loc[0, "start"] == pd.Timestamp("2023-01-01")
    assert out.loc[0, "end"] == pd.Timestamp("2024-12-31")
    assert "year only" in out.loc[0, "dating"]


def test_ongoing_activity_without_end_runs_to_today() -> None:
    out = spans(_activities([{"status": "implementation", "start_date": "2024-03-01"}]), TODAY)
    assert out.loc[0, "end"] == pd.Timestamp(TODAY)
    assert "drawn to today" in out.loc[0, "dating"]


def test_exact_dates_kept_and_undated_dropped() -> None:
    acts = _activities([{"title": "B", "start_date": "2024-03-01", "end_date": "2024-09-05"},
                        {"title": "C"}])
    out = spans(acts, TODAY)
    assert list(out["title"]) == ["B"]
    assert out.loc[0, "end"] == pd.Timestamp("2024-09-05")
    assert out.loc[0, "dating"] == "exact dates"


def test_one_day_event_is_widened_and_says_so() -> None:
    out = spans(_activities([{"start_date": "2024-08-20", "end_date": "2024-08-20"}]), TODAY)
    assert out.loc[0, "end"] > out.loc[0, "start"]
    assert "widened" in out.loc[0, "dating"]


def test_timeline_coloured_by_status_with_dating_in_hover() -> None:
    acts = _activities([{"title": "Workshop", "start_year": 2023},
                        {"title": "TA", "status": "implementation", "start_date": "2024-01-15"}])
    fig = timeline(acts, TODAY)
    colours = {t.name: t.marker.color for t in fig.data}
    assert colours == {"implementation": ACTIVITY_STATUS_COLOURS["implementation"],
                       "completed": ACTIVITY_STATUS_COLOURS["completed"]}
    dating = {t.name: t.customdata[0][3] for t in fig.data}
    assert "year only" in dating["completed"]
    assert "drawn to today" in dating["implementation"]
    assert "%{customdata[3]}" in fig.data[0].hovertemplate


def test_timeline_of_nothing_is_empty() -> None:
    assert len(timeline(_activities([{"title": "undated"}]), TODAY).data) == 0


def test_share_projection_stops_at_100_percent() -> None:
    proj = _projection().assign(target_year=2050, projected_value=173.0, observed_slope=5.0)
    fig = progress_chart(CARS, None, proj)
    line = next(t for t in fig.data if "projection" in t.name)
    assert list(line.y) == [29.0, 100.0]
    assert line.x[1] == pytest.approx(2022 + 71 / 5)
    assert "173%" in line.hovertemplate


def test_activity_without_status_reads_not_stated_and_is_not_drawn_to_today() -> None:
    out = spans(_activities([{"status": None, "start_year": 2022}]), TODAY)
    assert out.loc[0, "status"] == "not stated"
    assert out.loc[0, "end"] == pd.Timestamp("2022-12-31")
    assert "end not recorded" in out.loc[0, "dating"]


def test_close_targets_are_labelled_once_beside_the_chart_and_always_in_the_legend() -> None:
    """Before: '100 by 2040' and '100 by 2050' were written over each other on a phone (here 50, within the
    axis's reach of the figures; targets beyond it are named above the chart)."""
    targets = pd.concat([_target("cars", 50.0, 2040, "CHN"), _target("cars", 50.0, 2050, "IND"),
                         _target("cars", 30.0, 2030)]).assign(id=["a", "b", "c"])
    targets["country_name"] = ["China", "India", "Regional (communique)"]
    fig = progress_chart(CARS, targets, None)
    markers = [t for t in fig.data if "target" in t.name.lower()]
    assert [t.mode for t in markers] == ["markers+text", "markers", "markers+text"]
    assert all(t.showlegend is not False for t in markers)


def test_targets_far_above_the_figures_are_named_above_the_chart_not_drawn() -> None:
    """100% by 2040 over figures under 30% would squeeze every line to the bottom of a 0-100 axis."""
    targets = pd.concat([_target("cars", 100.0, 2040, "CHN"), _target("cars", 30.0, 2030)]).assign(id=["a", "b"])
    targets["country_name"] = ["China", "Regional (communique)"]
    fig = progress_chart(CARS, targets, None)
    assert [t.name for t in fig.data if "target" in t.name.lower()] == ["Regional target (communique): 30 by 2030"]
    assert "Above the scale: China national target: 100 by 2040" in fig.layout.annotations[-1].text
    assert fig.layout.yaxis.range[1] == pytest.approx(1.15 * 30.0)


def test_the_value_axis_from_zero_zoomed_or_logarithmic() -> None:
    """Before: the axis always started at zero, so India's 0.4 and 1.5 lay flat under China's 29."""
    zero = progress_chart(CARS, None, None).layout.yaxis
    assert zero.range[0] == 0 and zero.rangemode == "tozero" and zero.type in (None, "linear", "-")
    zoom = progress_chart(CARS, None, None, axis="zoom").layout.yaxis
    assert 0 < zoom.range[1] - zoom.range[0] < 29.0 * 1.2 and zoom.range[0] < 0.4 and zoom.range[1] > 29.0
    high = progress_chart(_obs([("CHN", "China", 2021, 20.0, "iea"), ("CHN", "China", 2022, 29.0, "iea")]),
                          None, None, axis="zoom").layout.yaxis
    assert high.range[0] > 15  # zoomed in on the figures, not on zero
    log = progress_chart(CARS, None, None, axis="log").layout.yaxis
    assert log.type == "log" and log.range[0] < -0.4 < 1.46 < log.range[1]  # log10 of 0.4 and of 29
    with pytest.raises(ValueError, match="axis must be one of"):
        progress_chart(CARS, None, None, axis="sideways")
