"""The one-country pack's main slides, the country named in every title: at a glance (its key figure on each 2030
ambition), EV sales with its targets, Euro VI, transport CO2, its gaps and support, its place in the region, its
asks. The same 'at a glance' slide is the one-page summary of a country in a regional pack's appendix."""

from __future__ import annotations

import pandas as pd

from ctatracker.analysis.co2 import BASE_YEAR
from ctatracker.briefing import country_story as cs
from ctatracker.briefing.content import BOTTOM, INNER, LEFT, TOP
from ctatracker.briefing.layout import (
    GREY,
    MAX_WORDS,
    NAVY,
    Deck,
    Paragraph,
    card,
    chart_with_panel,
    text_box,
    within,
    word_count,
)
from ctatracker.charts.briefing import GROUP_COLOURS
from ctatracker.findings.profile import stage_strip


def _notes_of(deck: Deck, iso: str) -> list[str]:
    """Every sentence the findings hold on the country, with its sources, and its implementation stages."""
    d = deck.data
    found = d.findings
    out = [f"{f.plain}{' ' + f.pace if f.pace else ''} Sources {d.refs.ref(list(f.source_ids))}"
           for f in found.of(iso)]
    out += [f"{e.plain} Sources {d.refs.ref(list(e.source_ids))}" for e in found.euro_of(iso)]
    if (c := found.co2_of(iso)) is not None:
        out += [f"{c.plain} Sources {d.refs.ref(list(c.source_ids))}", *c.attribution]
    strip = stage_strip(d.areas, d.commitments[d.commitments["country_iso3"] == iso], this_year=d.as_of.year)
    out += ["", "Implementation stage by action area:"] + [
        f"  {r['area']}: {r['stage_label']}" + (f" (assessed {int(r['assessed'])})" if pd.notna(r["assessed"]) and
                                                "assessed" not in r["stage_label"] else "")
        for r in strip.to_dict("records")]
    return out


def _ids(deck: Deck, iso: str) -> list[str]:
    found = deck.data.findings
    c = found.co2_of(iso)
    return sorted({s for f in (*found.of(iso), *found.euro_of(iso)) for s in f.source_ids}
                  | set(c.source_ids if c else ()))


def glance_slide(deck: Deck, iso: str, appendix: bool = False) -> None:
    """The country's key figure on each ambition, one card each (its profile strip)."""
    d = deck.data
    name = d.name(iso)
    found = cs.cards(d.findings, iso, d.euro)
    title = f"{name} at a glance: the 2030 ambitions"
    slide = deck.slide(("Appendix: " if appendix else "") + title, _ids(deck, iso),
                       [f"{name}'s key figure on each 2030 ambition, as its country profile gives it.", "",
                        *_notes_of(deck, iso)], appendix=appendix)
    if not found:
        text_box(slide, (LEFT, TOP, INNER, 1.0), [f"No finding on the 2030 ambitions is recorded for {name}."])
        return
    gap = 0.25
    width = (INNER - gap * (len(found) - 1)) / len(found)
    for i, c in enumerate(found):
        card(slide, (LEFT + i * (width + gap), TOP + 0.3, width, 4.2), c.ambition, c.value, c.status,
             GROUP_COLOURS[c.group])
    text_box(slide, (LEFT, TOP + 4.75, INNER, 0.5),
             [("Each figure's source and year: speaker notes and Sources at the end.", {"colour": GREY,
                                                                                         "size": 16})])


def ev_slide(deck: Deck, iso: str) -> None:
    d = deck.data
    name = d.name(iso)
    f = d.findings.ev30_of(iso)
    if f is None:
        return
    own = [t for t in d.findings.targets if t.country_iso3 == iso and t.action_area == "electric_vehicles"
           and t.target_scope == "national"]
    panel: list[Paragraph] = [f.plain, *([f.pace] if f.pace else []), *([f.scenario] if f.scenario else [])]
    panel += [(t.plain, {"size": 16}) for t in own]
    notes = ["Chart: the EV shares recorded for the country and its targets (white markers).", "",
             f"{f.plain} {f.pace or ''} Sources {d.refs.ref(list(f.source_ids))}", *f.caveats,
             *(f"Indicative evidence: {e.text} Sources {d.refs.ref(list(e.source_ids))}" for e in f.evidence),
             *(f"{t.plain} Sources {d.refs.ref(list(t.source_ids))}" for t in own)]
    chart_with_panel(deck, f"{name}: EV sales against the 30% ambition by 2030", "ev", within(panel, MAX_WORDS),
                     notes, sorted({*f.source_ids, *(s for t in own for s in t.source_ids)}))


def euro_slide(deck: Deck, iso: str) -> None:
    d = deck.data
    name = d.name(iso)
    euro = d.findings.euro_of(iso)
    support = sorted({s for e in euro for s in e.support})
    panel: list[Paragraph] = [e.plain for e in euro] or [f"No emission standard is recorded for {name}."]
    panel += [("Support under way", {"bold": True, "colour": NAVY, "after": 2})]
    panel += [(s, {"bullet": True, "size": 16}) for s in support] or [("None recorded in standards.", {"size": 16})]
    notes = ["Chart: each recorded standard step for light- and heavy-duty vehicles (filled: in force; open: adopted "
             "for a later date; diamond: pledged), the goal of Euro VI by 2030 as a white star.", "",
             *(f"{e.plain} {e.technical} Sources {d.refs.ref(list(e.source_ids))}" for e in euro)]
    chart_with_panel(deck, f"{name}: Euro VI by 2030", "euro", within(panel, MAX_WORDS), notes,
                     sorted({s for e in euro for s in e.source_ids}))


def co2_slide(deck: Deck, iso: str) -> None:
    d = deck.data
    name = d.name(iso)
    c = d.findings.co2_of(iso)
    if c is None:
        return
    notes = [f"Chart: transport CO₂ from one source family, with a dashed line at the {BASE_YEAR} level and the "
             "pandemic years shaded (never used for a trend).", "",
             f"{c.plain} Sources {d.refs.ref(list(c.source_ids))}", c.technical, *c.notes]
    chart_with_panel(deck, f"{name}: transport CO₂ against {BASE_YEAR}", "co2", within([c.plain], MAX_WORDS), notes,
                     list(c.source_ids))


def gaps_slide(deck: Deck, iso: str) -> None:
    """Where the country is off track, the support under way in it and what the catalogue offers for its gaps."""
    d = deck.data
    name = d.name(iso)
    behind = cs.off_track(d.findings, iso)
    under_way = cs.support_under_way(d.activities, iso)
    offered = cs.offers(d.matching, iso)
    needs = d.needs[d.needs["country_iso3"] == iso]
    head = {"bold": True, "colour": NAVY, "after": 2}
    left: list[Paragraph] = [("Off track", head)]
    left += [(s, {"bullet": True}) for s in behind] or ["No target is off track."]
    right: list[Paragraph] = [("Support under way", head)]
    right += [(t, {"bullet": True}) for t in under_way] or ["None recorded."]
    right += [("On offer for its gaps", head)]
    right += [(f"{area}: {'; '.join(o)}.", {"bullet": True}) for area, o in offered] or ["No gap without support."]
    right += [(f"**Needs recorded:** {r['action_area_name']}: {r['need']}", {"bullet": True})
              for r in needs.to_dict("records")] or ["**Needs recorded:** none."]
    notes = ["Off track: the country's findings off track. Support under way: its activities in implementation, in "
             "the pipeline or without a stated status. On offer: the technical-assistance catalogue's offers in "
             "each action area with a gap and no support under way.", "", *_notes_of(deck, iso), "",
             *(f"On offer for {area}: {'; '.join(o)}." for area, o in offered),
             *(f"Need recorded, {r['action_area_name']}: {r['need']}" for r in needs.to_dict("records")), "",
             "Activities:",
             *(f"  {r['title']} ({r['status'] or 'status not stated'}); source {d.refs.ref([r['source_id']])}"
               for r in d.activities[d.activities["country_iso3"] == iso].to_dict("records"))]
    ids = sorted({*_ids(deck, iso), *d.activities.loc[d.activities["country_iso3"] == iso, "source_id"].dropna(),
                  *needs["source_id"].dropna()})
    slide = deck.slide(f"{name}: gaps and support", ids, notes)
    def words(paragraphs: list[Paragraph]) -> int:
        return sum(word_count(p if isinstance(p, str) else p[0]) for p in paragraphs)

    half = within(left, MAX_WORDS - min(words(right), MAX_WORDS // 2), more="{n} more off track: in the speaker notes.")
    shown = within(right, MAX_WORDS - words(half))
    text_box(slide, (LEFT, TOP, 6.0, BOTTOM - TOP), half, size=20)
    text_box(slide, (LEFT + 6.35, TOP, INNER - 6.35, BOTTOM - TOP), shown, size=20)


def region_slide(deck: Deck, iso: str) -> None:
    """The country among every country: the grid with its row outlined, and the group it is in for each
    ambition with how many countries share it."""
    d = deck.data
    name = d.name(iso)
    rows = cs.place(d.findings, iso, len(d.countries))
    panel: list[Paragraph] = [
        (f"**{short}:** {label.lower()}, with {n - 1} other {'country' if n == 2 else 'countries'}" if n > 1
         else f"**{short}:** {label.lower()}, the only country", {"after": 12}) for short, label, n in rows]
    chart = deck.charts.get("grid")
    notes = [f"Chart: every country against each 2030 ambition, {name}'s row outlined.", "",
             *(f"{r.plain} Sources {d.refs.ref(list(r.source_ids))}" for r in d.findings.regional)]
    chart_with_panel(deck, f"{name} in the region", "grid", within(panel, MAX_WORDS), notes,
                     list(chart.source_ids) if chart else [])


def asks_slide(deck: Deck, iso: str) -> None:
    d = deck.data
    name = d.name(iso)
    asks = cs.asks(d.findings, iso, name, d.matching)
    notes = [f"The asks follow from {name}'s findings on the earlier slides:", *(f"{a.lead} {a.text}" for a in asks),
             "", *_notes_of(deck, iso)]
    slide = deck.slide(f"{name}: asks for {d.event.name} and next steps", [], notes)
    text_box(slide, (LEFT, TOP + 0.1, INNER, BOTTOM - TOP - 0.1),
             within([(f"**{a.lead}** {a.text}", {"bullet": True, "size": 22, "after": 16}) for a in asks], MAX_WORDS,
                    keep_last=True))


def compose(deck: Deck, iso: str) -> None:
    """The one-country storyline, in order."""
    glance_slide(deck, iso)
    if deck.data.has_area("electric_vehicles"):
        ev_slide(deck, iso)
    if deck.data.has_area("standards"):
        euro_slide(deck, iso)
        co2_slide(deck, iso)
    gaps_slide(deck, iso)
    region_slide(deck, iso)
    asks_slide(deck, iso)
