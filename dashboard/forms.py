"""Editing forms for one country's records. Each form keeps the record as the editor first saw it (the base
of the change), validates with plain-word messages next to each field, and saves through the write path:
a focal point's change becomes a submission, a secretariat edit is applied at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

import streamlit as st
from pydantic import ValidationError

from ctatracker.model.enums import ActionAreaCode, Confidence, Mode, PolicyKind, PolicyStatus, Role, Stage
from ctatracker.model.schema import Row, Source
from ctatracker.store import contributions, queries, review
from ctatracker.store.database import RecordChanged, WriteConflict, WriteRejected, current_record, key_text
from ctatracker.store.permissions import Actor
from ctatracker.text.naming import counted
from ctatracker.text.validation import field_messages
from dashboard import data
from dashboard.safe_text import md

NEW = "__new__"
_BASES = "cta_bases"
_FLASH = "cta_flash"
_GENERATION = "cta_form_generation"


class Slots:
    """Placeholders right under each field, filled with that field's message after a submit."""

    def __init__(self) -> None:
        self._slots: dict[str, Any] = {}

    def after(self, *names: str) -> None:
        """Reserve a place for the message of each named field, here."""
        for name in names:
            self._slots[name] = st.empty()

    def show(self, messages: dict[str, str], prefix: str = "") -> None:
        """Put each message next to its field; the rest go in one box."""
        rest = []
        for name, text in messages.items():
            slot = self._slots.get(prefix + name)
            if slot is not None:
                slot.error(md(text), icon=":material/error:")  # a message may quote what was typed
            else:
                rest.append(md(f"{name}: {text}" if name else text))
        if rest:
            st.error("\n\n".join(rest), icon=":material/error:")


def flash(kind: str, text: str) -> None:
    """A message shown once at the top of the page after the next rerun."""
    st.session_state[_FLASH] = (kind, text)


def show_flash() -> None:
    """Show (once) the message left by flash()."""
    kind, text = st.session_state.pop(_FLASH, (None, None))
    if kind:
        getattr(st, kind)(text)


def shown_before(name: str, now: object) -> object:
    """What the page showed under `name` when the person last saw it (the run before this one), else `now`.

    Records `now` for the next run. An action taken on a click names what was on screen when the person clicked,
    which may differ from what this run would show (the list may have changed meanwhile).
    """
    key = f"cta_shown_{name}"
    before = st.session_state.get(key, now)
    st.session_state[key] = now
    return before


def base_of(model: type[Row], key: tuple | None) -> dict | None:
    """The record as this editor first saw it (kept until they save), or None for a new record."""
    if key is None:
        return None
    bases = st.session_state.setdefault(_BASES, {})
    name = f"{model.__table__}:{key_text(model, key)}"
    if name not in bases:
        bases[name] = current_record(data.cursor(), model, key)
    return bases[name]


def forget(model: type[Row], key: tuple | None, widget_prefix: str) -> None:
    """Drop the kept base and the widgets of a record, so that the form shows the stored values again."""
    if key is not None:
        st.session_state.get(_BASES, {}).pop(f"{model.__table__}:{key_text(model, key)}", None)
    for name in [k for k in st.session_state if isinstance(k, str) and k.startswith(widget_prefix)]:
        del st.session_state[name]
    st.session_state[_GENERATION] = st.session_state.get(_GENERATION, 0) + 1  # new widgets, fresh values


def tag(*parts: object) -> str:
    """A short id for the widget keys of one record (renewed after each save, so the browser redraws them)."""
    parts = (*parts, st.session_state.get(_GENERATION, 0))
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:10]


def save(actor: Actor, changes: list[review.Change], *, note: str, slots: Slots, prefix: str,
         on_done: Callable[[], None]) -> None:
    """Submit (focal point) or apply (secretariat) the changes; explain every failure in plain words."""
    try:
        if actor.role is Role.FOCAL_POINT:
            data.write(review.propose, actor, changes, note=note or None)
            flash("success", "Submitted for review. The secretariat approves or sends it back; the outcome "
                  "appears under **My submissions**. Until then the public pages show the published value.")
        else:
            n = data.write(review.apply_changes, actor, changes, reasons=f"edited by {actor.name}")
            flash("success", f"Saved: {counted(n, 'record')} changed. The public pages show it now.")
    except RecordChanged as exc:
        flash("warning", md(exc))
    except WriteConflict as exc:
        st.warning(md(exc), icon=":material/sync_problem:")
        return
    except WriteRejected as exc:
        slots.show({p.column or "": p.message for p in exc.problems}, prefix)
        return
    on_done()
    st.rerun()


def index_of(options: list, value: object, default: int | None = 0) -> int | None:
    """Position of `value` among `options` (compared as text), else `default` (None: nothing chosen)."""
    values = [str(o) for o in options]
    return values.index(str(value)) if value is not None and str(value) in values else default


CHOOSE = "Choose one"
"""The placeholder of a choice that starts empty (a preset value would be recorded unseen)."""


def source_fields(slots: Slots, w: str, default: str | None, *, optional: bool = False,
                  disabled: bool = False) -> tuple[str | None, dict]:
    """An existing source, or the fields of a new one. Returns (source id or NEW, new source's values)."""
    sources = data.load(queries.sources)
    names = dict(zip(sources["id"], sources["publisher"] + ": " + sources["title"].str.slice(0, 70), strict=True))
    options = ([None] if optional else []) + [*names, NEW]
    # a new record starts with no source chosen (never the first of the list, which is unrelated)
    index = index_of(options, default, 0) if default else (0 if optional else None)
    chosen = st.selectbox("Source", options, index=index, key=f"{w}_source", disabled=disabled,
                          placeholder="Choose the source of this figure, or add a new one",
                          format_func=lambda s: "none" if s is None else (
                              "A new source (fill in below)" if s == NEW else names.get(s, s)))
    slots.after("source_id")
    if disabled:
        return chosen, {}
    with st.expander("New source: only when it is not in the list above"):
        new = {"id": st.text_input("Short id, e.g. moe-2024-ev-report", key=f"{w}_nsid"),
               "title": st.text_input("Title", key=f"{w}_nstitle"),
               "publisher": st.text_input("Publisher", key=f"{w}_nspub"),
               "year": st.text_input("Year of publication", key=f"{w}_nsyear") or None,
               "url": st.text_input("Link (http or https)", key=f"{w}_nsurl") or None,
               "accessed": dt.date.today()}
        slots.after("source.id", "source.title", "source.publisher", "source.year", "source.url")
    return chosen, new


def _validated(model: type[Row], values: dict) -> tuple[Row | None, dict[str, str]]:
    """A validated row and no messages, or None and every message by field."""
    try:
        return model.model_validate(values), {}
    except ValidationError as exc:
        return None, field_messages(exc)


def build(model: type[Row], values: dict, slots: Slots, prefix: str = "") -> Row | None:
    """A validated row, or None with each problem shown next to its field."""
    row, messages = _validated(model, values)
    if row is None:
        slots.show(messages, prefix)
    return row


def with_source(model: type[Row], values: dict, base: dict | None, slots: Slots, chosen: str | None,
                new: dict, *, unchosen: dict[str, str] | None = None) -> list[review.Change] | None:
    """Changes for a record and, when asked for, the new source it cites; None when something is invalid.

    The new source and the record are both checked before anything is shown, so every problem appears at once.
    `unchosen`: the message for each choice that starts empty (field -> words), shown when it is still empty.
    """
    changes, messages, source = [], {}, None
    if chosen == NEW:
        source, problems = _validated(Source, {k: (v.strip() if isinstance(v, str) else v) for k, v in new.items()})
        messages.update({f"source.{k}" if k else "": v for k, v in problems.items()})
        values = {**values, "source_id": source.id if source else "new-source"}  # the record checked all the same
    row, problems = _validated(model, values)
    messages.update(problems)
    messages.update({name: text for name, text in (unchosen or {}).items() if name in values and values[name] is None})
    if messages:
        slots.show(messages)
        return None
    if source is not None:
        changes.append(review.Change.edit(source, None))
    if base is not None and model.model_validate(base).key() != row.key():
        base = current_record(data.cursor(), model, row.key())  # a different record: compare with it as stored
    changes.append(review.Change.edit(row, base))
    return changes


def pending_note(actor: Actor, model: type[Row], key: tuple | None) -> None:
    """Tell the author that their change to this record is waiting for review, and what it proposes."""
    if key is None:
        return
    mine = data.load(contributions.submissions, author=actor.name, statuses=["pending"])
    mine = mine[(mine["table_name"] == model.__table__) & (mine["row_key"] == key_text(model, key))]
    for sub in mine.to_dict("records"):
        base = json.loads(sub["base_values"]) if sub["base_values"] else None
        new = json.loads(sub["new_values"]) if sub["new_values"] else None
        st.info(f"Your change to this record is waiting for review: {md(review.describe(base, new))}. The public "
                "pages show the published value until it is approved.", icon=":material/hourglass_top:")


def pending_mark(actor: Actor, model: type[Row], key: tuple) -> str:
    pending = data.load(contributions.pending_keys, author=actor.name)
    return " (pending review)" if (model.__table__, key_text(model, key)) in pending else ""


AREA_NAMES = {a.value: a.value.replace("_", " ").capitalize() for a in ActionAreaCode}
MODES = [m.value for m in Mode]
CONFIDENCE = [c.value for c in Confidence]
STAGES = [s.value for s in Stage]
POLICY_KINDS = [k.value for k in PolicyKind]
POLICY_STATUSES = [s.value for s in PolicyStatus]
