"""AppTest: transport CO₂ against 2019 where readers see it: the country profile's chart and key figure, the gap
page's section and the CO₂ target's row among every target, the overview's answer and map layer. What the pages
show is checked against the findings computed straight from the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ctatracker.findings.model import CO2_GROUP_LABELS
from ctatracker.store.database import connect
from dashboard.safe_text import as_shown

CO2_TARGET = "regional-transport-co2-below-2019"


@pytest.fixture(scope="module")
def found(built_db: Path):
    from ctatracker.findings.read import findings

    con = connect(built_db, read_only=True)
    try:
        return findings(con.cursor())
    finally:
        con.close()


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def _text(at: AppTest) -> str:
    return as_shown("\n".join([m.value for m in at.markdown] + [c.value for c in at.caption]))


def test_the_country_page_draws_transport_co2_against_2019(open_page, found) -> None:
    at = open_page("views/country.py", params={"country": "THA"})
    mine = found.co2_of("THA")
    assert "Transport CO₂ against its 2019 level" in [s.value for s in at.subheader]
    chart = next(f for f in _figures(at) if "transport CO₂ since 2010" in f["layout"].get("title", {}).get("text", ""))
    assert chart["layout"]["title"]["text"].startswith("Thailand: transport CO₂ since 2010")
    notes = [a["text"] for a in chart["layout"]["annotations"]]
    assert any("CC BY-NC-ND 4.0" in n and "EDGAR" in n for n in notes)  # the source's credit line and licence
    assert any(s.get("y0") == mine.base_value for s in chart["layout"]["shapes"])  # the 2019 line
    assert min(chart["data"][0]["x"]) == 2010
    cards = "\n".join(h.proto.body for h in at.get("html") if "cta-keys" in h.proto.body)
    assert "Transport CO₂ emissions, against the 2019 level" in cards
    assert mine.figure in cards and mine.status_label in cards and mine.pace in cards


def test_the_gap_page_answers_the_co2_ambition_from_the_findings(open_page, found) -> None:
    at = open_page("views/gaps.py")
    region = found.regional_of("co2")
    assert "Is transport CO₂ below its 2019 level?" in [s.value for s in at.header]
    text = _text(at)
    for label, members in region.named_groups():
        assert f"- **{label}:** {', '.join(members)}" in text
    assert region.details[0] in text and "without China" in region.details[0]
    table = next(d.value for d in at.dataframe if "Against 2019" in d.value.columns)
    assert len(table) == 17
    assert set(table["Against 2019"]) <= {f.status_label for f in found.co2}
    row = table[table["Country"] == "Thailand"].iloc[0]
    assert row["Latest figure"] == found.co2_of("THA").figure and row["Needed by 2030"] == found.co2_of("THA").pace
    how = next(e for e in at.expander if e.label == "How each was computed")
    assert found.co2_of("IDN").technical in as_shown(how.markdown[0].value)
    assert any("CC BY-NC-ND 4.0" in c.value for c in at.caption)


def test_the_co2_targets_row_among_every_target_says_what_the_co2_finding_says(open_page, found) -> None:
    at = open_page("views/gaps.py", params={"target": CO2_TARGET})
    table = next(d.value for d in at.dataframe if "Finding" in d.value.columns)
    assert len(table) == 17
    for row in table.to_dict("records"):
        mine = next(f for f in found.co2 if f.country_name == row["Country"])
        generic = next(f for f in found.targets if f.target_id == CO2_TARGET and f.country_name == row["Country"])
        assert row["Finding"] == mine.plain and row["Status"] == generic.status_label


def test_the_overview_answer_and_map_show_the_co2_ambition(open_page, found) -> None:
    at = open_page("views/overview.py")
    assert "## Transport CO₂ below 2019 levels" in _text(at)
    on_map = open_page("views/overview.py", params={"view": "Map", "measure": "co2"})
    fig = next(f for f in _figures(on_map) if f["data"] and f["data"][0]["type"] == "choropleth")
    traces = {t["name"]: set(t["locations"]) for t in fig["data"]}
    assert set(traces) <= set(CO2_GROUP_LABELS.values())
    for group, members in found.regional_of("co2").groups.items():
        if members:
            assert len(traces[CO2_GROUP_LABELS[group]]) == len(members)
    assert any("CC BY-NC-ND 4.0" in c.value for c in on_map.caption)
