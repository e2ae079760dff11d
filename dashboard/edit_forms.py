"""The four editing forms of a country: implementation stage, observation, policy, needs and challenges."""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import streamlit as st

from ctatracker.model.enums import Role
from ctatracker.model.schema import Commitment, Need, Observation, Policy
from ctatracker.store import contributions, queries, review
from ctatracker.store.database import WriteConflict, WriteRejected
from ctatracker.store.permissions import Actor
from ctatracker.text.naming import Namer, counted, words
from dashboard import auth_ui, data
from dashboard.forms import (
    CHOOSE,
    CONFIDENCE,
    MODES,
    NEW,
    POLICY_KINDS,
    POLICY_STATUSES,
    STAGES,
    Slots,
    base_of,
    flash,
    forget,
    index_of,
    pending_mark,
    pending_note,
    save,
    shown_before,
    source_fields,
    tag,
    with_source,
)
from dashboard.safe_text import md


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else f"{value:g}" if isinstance(
        value, float) else str(value)


def _reason(actor: Actor, w: str) -> str:
    if actor.role is not Role.FOCAL_POINT:
        return ""
    return st.text_input("Note for the reviewer (optional)", key=f"{w}_reason",
                         placeholder="e.g. figure from the 2024 annual report of the transport ministry")


def _button(actor: Actor, key: str) -> bool:
    label = "Submit for review" if actor.role is Role.FOCAL_POINT else "Save"
    return st.form_submit_button(label, key=key, type="primary", icon=":material/send:")


STAGE_UNCHOSEN = ("Choose the implementation stage: the form sets none, so that no stage is recorded without "
                  "being chosen.")
UNCHOSEN = {"indicator_code": "Choose the indicator this figure measures.",
            "mode": "Choose the vehicles this figure counts.",
            "action_area_code": "Choose the policy's main action area.",
            "kind": "Choose what kind of policy it is.", "status": "Choose where the policy stands.",
            "confidence": "Choose how sure the source is: high, medium or low."}
"""What a new record's empty choices say when it is sent without them (nothing is preset for a new record)."""


def _areas() -> dict[str, str]:
    areas = data.load(queries.action_areas)
    return dict(zip(areas["code"], areas["number"].astype(str) + ". " + areas["name"], strict=True))


def stage_form(actor: Actor, country: str) -> None:
    """Implementation stage of one action area, with its summary and evidence link."""
    areas = _areas()
    area = st.selectbox("Action area", list(areas), format_func=areas.get, key="stage_area")
    key = (country, area)
    base = base_of(Commitment, key)
    d = base or {}
    w = "stage_" + tag(*key)
    st.caption("Currently: " + (f"**{words(d['stage'])}** (as of {d['as_of']})" if base else "no data"))
    pending_note(actor, Commitment, key)
    slots = Slots()
    with st.form("stage_form"):
        stage = st.selectbox("Implementation stage", STAGES, index=index_of(STAGES, d.get("stage"), None),
                             format_func=words, key=f"{w}_stage", placeholder="Choose the stage the evidence shows")
        slots.after("stage")
        summary = st.text_area("What stands behind this stage (one or two sentences)", value=d.get("summary", ""),
                               key=f"{w}_summary")
        slots.after("summary")
        link = st.text_input("Link to the evidence (http or https)", value=d.get("evidence_url") or "",
                             key=f"{w}_link")
        slots.after("evidence_url")
        if base:
            st.caption(f"A changed stage or summary is a new assessment: give its date and source (the current one is "
                       f"dated {d['as_of']}). Left empty, the current date and source are kept for other edits.")
        as_of = st.date_input("Assessed on", value=None if base else dt.date.today(), key=f"{w}_asof")
        slots.after("as_of")
        chosen, new = source_fields(slots, w, None if base else d.get("source_id"))
        note = _reason(actor, w)
        go = _button(actor, f"{w}_go")
    if go:  # the stage is never preset: "no action" recorded unseen would be false
        values = {"country_iso3": country, "action_area_code": area, "stage": stage, "summary": summary,
                  "evidence_url": link.strip() or None, "as_of": as_of, "source_id": chosen}
        if base and stage is not None:
            values, problems = review.fresh_assessment({**base, "as_of": str(base["as_of"])},
                                                       {**values, "as_of": None if as_of is None else str(as_of)})
            if problems:
                slots.show(problems)
                return
        changes = with_source(Commitment, values, base, slots, values["source_id"], new,
                              unchosen={"stage": STAGE_UNCHOSEN})
        if changes:
            save(actor, changes, note=note, slots=slots, prefix="", on_done=lambda: forget(Commitment, key, w))


def observation_form(actor: Actor, country: str) -> None:
    """One value of an indicator: pick an existing one to correct it, or add a new one."""
    obs = data.load(queries.observations, countries=[country])
    indicators = data.load(queries.indicators)
    names = dict(zip(indicators["code"], indicators["name"] + " (" + indicators["unit"].map(words) + ")",
                     strict=True))
    src = data.load(queries.sources)
    sources = dict(zip(src["id"], src["publisher"] + src["year"].map(lambda y: "" if pd.isna(y) else f" {int(y)}"),
                       strict=True))
    keys = [tuple(r[c] for c in Observation.__primary_key__) for r in obs.to_dict("records")]
    values = dict(zip(keys, obs["value"], strict=True))

    def label(k: object) -> str:
        if k == NEW:
            return "A new observation"
        ind, mode, year, src = k[1], k[2], k[3], k[4]
        return (f"{names.get(ind, ind)} · {words(mode)} · {year}: {values[k]:g} ({sources.get(src, src)})"
                + pending_mark(actor, Observation, k))

    choice = st.selectbox("Observation", [NEW, *keys], format_func=label, key="obs_pick")
    existing = choice != NEW
    base = base_of(Observation, choice) if existing else None
    pending_note(actor, Observation, choice if existing else None)
    d = base or {}
    w = "obs_" + tag(choice)
    if existing:
        st.caption("Indicator, scope, year and source identify the record; to change them, add a new observation.")
    slots = Slots()
    codes = list(names)
    with st.form("obs_form"):
        ind = st.selectbox("Indicator", codes, index=index_of(codes, d.get("indicator_code"), None),
                           format_func=names.get, disabled=existing, key=f"{w}_ind", placeholder=CHOOSE)
        slots.after("indicator_code")
        mode = st.selectbox("Vehicle scope", MODES, index=index_of(MODES, d.get("mode"), None), disabled=existing,
                            format_func=words, key=f"{w}_mode", placeholder=CHOOSE)
        slots.after("mode")
        year = st.text_input("Year", value=_text(d.get("year")), disabled=existing, key=f"{w}_year")
        slots.after("year")
        value = st.text_input("Value, in the indicator's unit", value=_text(d.get("value")), key=f"{w}_value")
        slots.after("value")
        chosen, new = source_fields(slots, w, d.get("source_id"), disabled=existing)
        confidence = st.selectbox("Confidence", CONFIDENCE, index=index_of(CONFIDENCE, d.get("confidence"), None),
                                  placeholder=CHOOSE, format_func=words, key=f"{w}_conf")
        slots.after("confidence")
        note = st.text_area("Note on scope (e.g. partial year, battery-electric only)", value=d.get("note") or "",
                            key=f"{w}_note")
        slots.after("note")
        reason = _reason(actor, w)
        go = _button(actor, f"{w}_go")
    if go:
        row = {"country_iso3": country, "indicator_code": ind, "mode": mode, "year": year.strip() or None,
               "value": value.strip() or None, "source_id": chosen, "confidence": confidence,
               "note": note.strip() or None}
        changes = with_source(Observation, row, base, slots, chosen, new, unchosen=UNCHOSEN)
        if changes:
            save(actor, changes, note=reason, slots=slots, prefix="",
                 on_done=lambda: forget(Observation, choice if existing else None, w))


def _policy_id(country: str, name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return f"{country.lower()}-{slug}"[:80].rstrip("-") or f"{country.lower()}-policy"


def policy_form(actor: Actor, country: str) -> None:
    """A law, regulation, strategy or incentive of the country."""
    policies = data.load(queries.policies, country=country)
    names = dict(zip(policies["id"], policies["name"], strict=True))
    choice = st.selectbox("Policy", [NEW, *names], key="policy_pick", format_func=lambda p: "A new policy"
                          if p == NEW else names[p] + pending_mark(actor, Policy, (p,)))
    existing = choice != NEW
    base = base_of(Policy, (choice,)) if existing else None
    pending_note(actor, Policy, (choice,) if existing else None)
    d = base or {}
    w = "pol_" + tag(choice)
    areas = _areas()
    slots = Slots()
    with st.form("policy_form"):
        name = st.text_input("Name", value=d.get("name", ""), key=f"{w}_name")
        slots.after("name", "id")
        area = st.selectbox("Main action area", list(areas), format_func=areas.get, key=f"{w}_area",
                            index=index_of(list(areas), d.get("action_area_code"), None), placeholder=CHOOSE)
        slots.after("action_area_code")
        kind = st.selectbox("Kind", POLICY_KINDS, index=index_of(POLICY_KINDS, d.get("kind"), None),
                            format_func=words, key=f"{w}_kind", placeholder=CHOOSE)
        slots.after("kind")
        status = st.selectbox("Status", POLICY_STATUSES, index=index_of(POLICY_STATUSES, d.get("status"), None),
                              format_func=words, key=f"{w}_status", placeholder=CHOOSE)
        slots.after("status")
        year = st.text_input("Year adopted or issued", value=_text(d.get("year")), key=f"{w}_year")
        slots.after("year")
        summary = st.text_area("What it does", value=d.get("summary") or "", key=f"{w}_summary")
        slots.after("summary")
        url = st.text_input("Link to the text (http or https)", value=d.get("url") or "", key=f"{w}_url")
        slots.after("url")
        chosen, new = source_fields(slots, w, d.get("source_id"))
        confidence = st.selectbox("Confidence", CONFIDENCE, index=index_of(CONFIDENCE, d.get("confidence"), None),
                                  placeholder=CHOOSE, format_func=words, key=f"{w}_conf")
        slots.after("confidence")
        reason = _reason(actor, w)
        go = _button(actor, f"{w}_go")
    if go:
        row = {"id": choice if existing else _policy_id(country, name), "country_iso3": country,
               "action_area_code": area, "name": name, "kind": kind, "status": status,
               "year": year.strip() or None, "date": d.get("date"), "summary": summary.strip() or None,
               "url": url.strip() or None, "source_id": chosen, "confidence": confidence}
        changes = with_source(Policy, row, base, slots, chosen, new, unchosen=UNCHOSEN)
        if changes:
            save(actor, changes, note=reason, slots=slots, prefix="",
                 on_done=lambda: forget(Policy, (choice,) if existing else None, w))


def needs_form(actor: Actor, country: str) -> None:
    """The country's needs and challenges in one action area."""
    areas = _areas()
    area = st.selectbox("Action area", list(areas), format_func=areas.get, key="need_area")
    key = (country, area)
    base = base_of(Need, key)
    d = base or {}
    w = "need_" + tag(*key)
    if base:
        st.caption(f"Last written by {md(d['submitted_by'])}.")
    pending_note(actor, Need, key)
    slots = Slots()
    with st.form("need_form"):
        need = st.text_area("Needs and challenges: support, finance, data or capacity the country lacks",
                            value=d.get("need", ""), height=150, key=f"{w}_need")
        slots.after("need")
        chosen, new = source_fields(slots, w, d.get("source_id"), optional=True)
        reason = _reason(actor, w)
        go = _button(actor, f"{w}_go")
    if go:
        row = {"country_iso3": country, "action_area_code": area, "need": need, "source_id": chosen,
               "submitted_by": actor.name}
        changes = with_source(Need, row, base, slots, chosen, new)
        if changes:
            save(actor, changes, note=reason, slots=slots, prefix="", on_done=lambda: forget(Need, key, w))


STATUS_WORDS = {"pending": "waiting for review", "approved": "approved and published", "rejected": "sent back",
                "withdrawn": "withdrawn"}


def my_submissions(actor: Actor) -> None:
    """The author's submissions with their outcome, each named by what it changes; pending ones can be withdrawn."""
    mine = data.load(contributions.submissions, author=actor.name)
    if mine.empty:
        st.info("You have not submitted anything yet.")
        return
    namer = Namer(data.cursor())
    view = pd.DataFrame({
        "Submitted": mine["created_at"],
        "Record": [namer.record(t, k) for t, k in zip(mine["table_name"], mine["row_key"], strict=True)],
        "Outcome": mine["status"].map(lambda v: STATUS_WORDS.get(v, str(v))),  # in view beside the record
        "Change": [review.describe(json.loads(b) if isinstance(b, str) else None,
                                   json.loads(n) if isinstance(n, str) else None, namer=namer)
                   for b, n in zip(mine["base_values"], mine["new_values"], strict=True)],
        "Reviewer's comment": mine["review_comment"], "Reviewed by": mine["reviewer"], "Your note": mine["note"]})
    st.dataframe(view, hide_index=True, width="stretch", placeholder="–", column_config={
        "Submitted": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm"),
        "Record": st.column_config.TextColumn(width="medium"),
        "Change": st.column_config.TextColumn(width="medium")})
    waiting = mine[mine["status"] == "pending"]
    st.caption(f"{counted(len(mine), 'submission')}; {auth_ui.pending_count(actor)} waiting for review.")
    if waiting.empty:
        return
    names = {b: namer.batch(list(zip(g["table_name"], g["row_key"], strict=True)))
             + f", submitted {pd.Timestamp(g['created_at'].min()):%d %b %Y %H:%M}"
             for b, g in waiting.groupby("batch_id", sort=False)}
    batch = st.selectbox("Withdraw a pending submission", list(names), key="withdraw_pick", format_func=names.get)
    shown = shown_before("withdraw", batch)  # the submission on screen when the button was clicked
    if st.button("Withdraw it", key="withdraw_go", icon=":material/undo:"):
        try:
            data.write(review.withdraw, shown, actor, on_screen=batch)
        except (WriteRejected, WriteConflict) as exc:
            flash("error", md(exc) if isinstance(exc, WriteConflict) else md(" ".join(
                p.message[:1].upper() + p.message[1:] + "." for p in exc.problems)))
        else:
            flash("info", "Withdrawn.")
        st.rerun()
