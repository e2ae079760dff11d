"""The regional pack's main slides: the answer on the three 2030 ambitions, 30% EV sales, Euro VI and transport
CO2 each with its chart, where support is needed, every country on one slide, and the asks. Each slide renders the
findings' regional answers (`storyline`); the findings' full sentences and every number's source are in its notes."""

from __future__ import annotations

from collections.abc import Sequence

from ctatracker.analysis.co2 import BASE_YEAR
from ctatracker.briefing import storyline as story
from ctatracker.briefing.content import BOTTOM, INNER, LEFT, TOP
from ctatracker.briefing.key_messages import KeyMessage
from ctatracker.briefing.layout import GREY, MAX_WORDS, NAVY, Deck, Paragraph, chart_with_panel, text_box, within
from ctatracker.charts.briefing import GROUP_COLOURS
from ctatracker.findings.model import Group, RegionalFinding
from ctatracker.findings.words import names


def _messages(deck: Deck, *topics: str) -> list[KeyMessage]:
    return [m for m in deck.data.regional if m.topic in topics]


def _group_lines(r: RegionalFinding, groups: Sequence[Group]) -> list[Paragraph]:
    """'**Indicative evidence only:** Maldives, Nepal ...' for the answer's groups that have countries."""
    return [f"**{r.labels[g]}:** {names(list(r.groups[g]))}." for g in groups if r.groups.get(g)]


def _regional_figure(r: RegionalFinding, what: str) -> list[Paragraph]:
    """The answer's regional figure, large, what it counts, and the figure without its largest contributor."""
    if not r.figure:
        return []
    out: list[Paragraph] = [(r.figure, {"size": 26, "bold": True, "colour": NAVY, "after": 2}),
                            (f"{what} across {r.coverage}" if r.coverage else what, {"size": 16, "colour": GREY})]
    if (without := story.without_largest(r)) is not None:
        out.append((without, {"bold": True}))
    return out


def answer_slide(deck: Deck) -> None:
    """The answer in one slide: who is on track for each ambition by name, how many are not."""
    d = deck.data
    found = d.findings
    header, rows = story.answer_table(found)
    notes = ["The answer for each 2030 ambition, as the tracker's overview gives it. What each group means:",
             *story.group_meanings(found), "", *d.figure_notes(_messages(deck, *(f"regional_{k}" for k, _ in
                                                                             story.AMBITIONS)))]
    ids = sorted({s for r in story.answers(found) for s in r.source_ids})
    slide = deck.slide("The answer: who is on track for the 2030 ambitions", ids, notes)
    if not rows:
        text_box(slide, (LEFT, TOP, INNER, 1.0), ["No regional answer can be given: no target is recorded."])
        return
    header[0] = "Ambition"
    fills = {(i, c): GROUP_COLOURS[g] for i in range(len(rows))
             for c, g in ((1, Group.ON_TRACK), (2, Group.OFF_TRACK), (3, Group.INDICATIVE), (4, Group.NO_DATA))}
    height = deck.table(slide, header, rows, (LEFT, TOP + 0.2, INNER), [3.3, 4.75, 1.4, 1.5, 1.38], size=18,
                        fills=fills, row_height=0.75)
    text_box(slide, (LEFT, TOP + 0.35 + height, INNER, 0.5),
             [(f"Countries out of {len(d.countries)}.", {"colour": GREY, "size": 16})])


def ev30_slide(deck: Deck) -> None:
    d = deck.data
    r = d.findings.regional_of("ev30")
    if r is None:
        return
    panel = [*_regional_figure(r, "EV share of new vehicle sales"),
             *_group_lines(r, [Group.INDICATIVE, Group.NO_DATA])]
    notes = ["Chart: each country's latest EV share of sales on its basis (filled: all vehicles, reported or derived "
             "from sales by vehicle type; open: one vehicle type as a proxy, indicative), the straight line to 2030, "
             "the IEA scenario where one exists (diamond) and the ambition (dashed). Countries without a yearly "
             "figure are named beside the chart, never drawn as zero.", "",
             *d.figure_notes(_messages(deck, "regional_ev30")), "", "Each country:",
             *(f"{f.plain}{' ' + f.pace if f.pace else ''} Sources {d.refs.ref(list(f.source_ids))}"
               for f in d.findings.ev30)]
    chart_with_panel(deck, "30% EV sales by 2030: where countries stand", "ev30", within(panel, MAX_WORDS), notes,
                     r.source_ids)


def euro_slide(deck: Deck) -> None:
    d = deck.data
    found = [r for key in ("euro_hdv", "euro_ldv") if (r := d.findings.regional_of(key)) is not None]
    if not found:
        return
    panel: list[Paragraph] = []
    for r in found:
        panel.append((r.title.split(", ")[-1].capitalize(), {"bold": True, "colour": NAVY, "after": 2}))
        panel += _group_lines(r, [Group.OFF_TRACK, Group.INDICATIVE])
    none = [set(r.groups.get(Group.NO_DATA, ())) for r in found]
    common = sorted(set.intersection(*none))
    if common:
        extra = [f"{names(sorted(s - set(common)))} for {r.title.split(', ')[-1]} only"
                 for r, s in zip(found, none, strict=True) if s - set(common)]
        panel.append(f"**{found[0].labels[Group.NO_DATA]}:** {names(common)}" + (f"; {'; '.join(extra)}."
                                                                                 if extra else "."))
    notes = ["Chart: each recorded standard step for heavy- and light-duty vehicles (Euro-equivalent level) by the "
             "year it applies to new vehicles; filled: in force, open circle: adopted for a later date, open diamond: "
             "pledged only. Countries without a standard recorded are named beside the chart.", "",
             *d.figure_notes(_messages(deck, "regional_euro_hdv", "regional_euro_ldv")), "", "Each country:",
             *(f"{e.plain} Sources {d.refs.ref(list(e.source_ids))}" for e in d.findings.euro)]
    chart_with_panel(deck, "Euro VI by 2030: where countries stand", "euro", within(panel, MAX_WORDS), notes,
                     sorted({s for r in found for s in r.source_ids}))


def co2_slide(deck: Deck) -> None:
    d = deck.data
    r = d.findings.regional_of("co2")
    if r is None:
        return
    panel = [*_regional_figure(r, "Transport CO₂"), *_group_lines(r, [Group.ON_TRACK])]
    notes = [f"Chart: each country's transport CO₂ in its latest year against its {BASE_YEAR} level, from one "
             f"source each; within ±{story.MARGIN:g}% counts as about the {BASE_YEAR} level (the tracker's margin "
             "for a source's precision).", "", *d.figure_notes(_messages(deck, "regional_co2")), "", "Each country:",
             *(f"{c.plain} Sources {d.refs.ref(list(c.source_ids))}" for c in d.findings.co2)]
    chart_with_panel(deck, f"Transport CO₂ against {BASE_YEAR}: where countries stand", "co2",
                     within(panel, MAX_WORDS), notes, r.source_ids)


def support_slide(deck: Deck) -> None:
    """The largest gaps without support, as the findings list them, beside the gaps by action area with and
    without support under way."""
    d = deck.data
    msgs = _messages(deck, *story.SUPPORT_TOPICS)
    notes = ["Chart: countries with a gap in each action area (a target off track, a Euro VI class not scheduled by "
             "2030, or no action recorded), split by whether an activity in that country and area is under way "
             "(implementation, pipeline or no status stated). Rules: methodology page, 'Matching support to gaps'.",
             "", *d.figure_notes(msgs)]
    ids = sorted({s for m in msgs for s in m.source_ids})
    slide = deck.slide("Where support is needed", ids, notes)
    drawn = deck.chart(slide, "support")
    width = 5.8 if drawn else INNER
    lines: list[Paragraph] = [("Largest gaps without support", {"bold": True, "colour": NAVY})]
    lines += [(s, {"bullet": True}) for s in d.findings.unsupported] or [
        "No gap of the 30% or the Euro VI ambitions is without support."]
    text_box(slide, (LEFT, TOP, width, BOTTOM - TOP), within(lines, MAX_WORDS))


def countries_slide(deck: Deck) -> None:
    """Every country against every ambition on one slide."""
    d = deck.data
    notes = ["Every country against each 2030 ambition: the cell gives its figure and is coloured by where it "
             "stands. What each colour means for each ambition:", *story.group_meanings(d.findings)]
    chart = deck.charts.get("grid")
    slide = deck.slide(f"All {len(d.countries)} countries on the 2030 ambitions",
                       chart.source_ids if chart else [], notes)
    if not deck.chart(slide, "grid"):
        text_box(slide, (LEFT, TOP, INNER, 1.0), ["No country has a finding on the 2030 ambitions yet."])


def asks_slide(deck: Deck) -> None:
    d = deck.data
    asks = story.regional_asks(d.findings, len(d.countries))
    notes = ["The asks follow from the answers: the gaps without support, the Euro VI standards not scheduled, "
             "transport CO₂ above 2019 and the countries without a yearly EV sales figure, as the earlier slides "
             "name them:", *(f"{a.lead} {a.text}" for a in asks), "", *story.group_meanings(d.findings)]
    slide = deck.slide(f"Asks for {d.event.name} and next steps", [], notes)
    text_box(slide, (LEFT, TOP + 0.1, INNER, BOTTOM - TOP - 0.1),
             within([(f"**{a.lead}** {a.text}", {"bullet": True, "size": 22, "after": 16}) for a in asks], MAX_WORDS,
                    keep_last=True))


def compose(deck: Deck) -> None:
    """The regional storyline, in order."""
    answer_slide(deck)
    if deck.data.has_area("electric_vehicles"):
        ev30_slide(deck)
    if deck.data.has_area("standards"):
        euro_slide(deck)
        co2_slide(deck)
    support_slide(deck)
    countries_slide(deck)
    asks_slide(deck)
