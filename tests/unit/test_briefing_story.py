"""What a briefing pack says, on hand-built findings: the answer table counts the regional answers' groups and
names those on track, the figure without the largest contributor is the answer's own words, the asks name the
countries the answers name, a slide keeps to its word budget, and each pack has its own file name."""

from __future__ import annotations

import datetime as dt

from ctatracker.briefing import storyline as story
from ctatracker.briefing.content import file_stem
from ctatracker.briefing.layout import within, word_count
from ctatracker.findings.model import Findings, Group, RegionalFinding


def _regional(key: str, groups: dict[Group, tuple[str, ...]], details: tuple[str, ...] = (),
              figure: str | None = None) -> RegionalFinding:
    return RegionalFinding(key, key, groups, figure, "2 of 4 countries; cars" if figure else None, ("src",),
                           f"{key}.", details=details)


FOUND = Findings(ev30=(), targets=(), euro=(), unsupported=(
    "Aland: 30% EV sales (limited progress, 2.2% in 2024); no activity under way in electric vehicles.",),
    regional=(
        _regional("ev30", {Group.ON_TRACK: ("Borduria",), Group.OFF_TRACK: ("Aland",), Group.NO_DATA: ("Carpania",
                                                                                                     "Dorf")},
                  ("Across the 2 of 4 countries with EV sales by vehicle type for 2024, EVs were 26.1% of new vehicle "
                   "sales; Borduria makes 51% of these countries' vehicle sales, and without Borduria the share is "
                   "6.7%. It is not a figure for the whole region.",), "26.1% in 2024"),
        _regional("euro_hdv", {Group.ON_TRACK: ("Aland", "Borduria"), Group.OFF_TRACK: ("Carpania",),
                               Group.INDICATIVE: ("Dorf",)}),
        _regional("co2", {Group.OFF_TRACK: ("Aland", "Borduria", "Carpania"), Group.ON_TRACK: ("Dorf",)},
                  ("According to EDGAR, transport CO₂ was 10 Mt in 2023. Borduria, the largest emitter, makes 54.5% "
                   "of it; without Borduria the total is 901 Mt, 4.0% above 2019.",
                   "Source: EDGAR 2024 (JRC/IEA), CC BY-NC-ND 4.0"), "10 Mt CO₂ in 2023, 9.3% above 2019")))


def test_the_answer_table_names_who_is_on_track_and_counts_the_others() -> None:
    header, rows = story.answer_table(FOUND)
    assert header == ["2030 ambition", "On track", "Off track", "Indicative only", "No figure"]
    assert rows == [["30% EV sales", "Borduria", "1", "0", "2"],
                    ["Euro VI, heavy-duty", "Aland and Borduria", "1", "1", "0"],
                    ["Transport CO₂ below 2019", "Dorf", "3", "0", "0"]]  # in the pack's order; no light duty held


def test_the_figure_without_the_largest_contributor_is_the_answers_own_words() -> None:
    assert story.without_largest(FOUND.regional_of("ev30")) == "Without Borduria: 6.7%"
    assert story.without_largest(FOUND.regional_of("co2")) == "Without Borduria: 901 Mt, 4.0% above 2019"
    assert story.without_largest(FOUND.regional_of("euro_hdv")) is None
    assert story.credit_lines(FOUND.regional_of("co2")) == ["Source: EDGAR 2024 (JRC/IEA), CC BY-NC-ND 4.0"]


def test_the_summary_and_the_asks_name_what_the_answers_name() -> None:
    lines = story.summary_lines(FOUND)
    assert lines[0] == ("30% EV sales: Borduria on track; 1 off track, 2 without a figure. Regional figure: 26.1% in "
                        "2024 (2 of 4 countries).")
    asks = {a.lead: a.text for a in story.regional_asks(FOUND, 4)}
    assert asks["Support the largest gaps:"] == "Aland have none under way."
    assert asks["Schedule Euro VI by 2030:"] == "Carpania have not."
    assert asks["Bring transport CO₂ below 2019:"] == "3 countries are above it."
    assert asks["Report EV sales by vehicle type:"] == "2 of 4 countries have no yearly figure."
    assert list(asks)[-1] == "Next step:"


def test_a_slide_keeps_to_its_word_budget_and_says_what_it_left_out() -> None:
    paragraphs = ["one two three", "four five six seven eight", "nine ten", "last words here"]
    assert within(paragraphs, 20) == paragraphs
    kept = within(paragraphs, 12, keep_last=True)  # 'more in the speaker notes.' takes five of the twelve
    assert kept[:2] == ["one two three", "last words here"] and kept[-1][0] == "2 more in the speaker notes."
    assert sum(word_count(p if isinstance(p, str) else p[0]) for p in kept) <= 12
    assert word_count("30% EV sales: 6 | 4") == 2  # numbers alone are not words


def test_each_pack_has_its_own_file_name() -> None:
    day = dt.date(2026, 12, 6)
    assert file_stem("COP32", "Sri Lanka", ["Sri Lanka"], day) == "cta-briefing-cop32-sri-lanka-2026-12-06"
    assert file_stem("COP32", None, [], day) == "cta-briefing-cop32-region-2026-12-06"
    assert file_stem("COP32", None, ["India", "Nepal"], day) == "cta-briefing-cop32-region-india-nepal-2026-12-06"
    assert len({file_stem("COP32", c, [c] if c else [], day) for c in (None, "India", "Nepal")}) == 3
