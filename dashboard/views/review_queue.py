"""The secretariat's review queue: each pending submission with what it changes; approve or reject it."""

import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from ctatracker.model.enums import Role
from ctatracker.model.schema import TABLES
from ctatracker.store import contributions, queries, review
from ctatracker.store.database import RecordChanged, WriteConflict, WriteRejected, current_record
from ctatracker.text.diff import diff_html
from ctatracker.text.naming import Namer, counted, field_words, value_words
from dashboard import auth_ui, data, forms
from dashboard.safe_text import md

_COMMENT = "cta_review_comment_generation"


def _new_comment() -> None:
    """Start the next comment empty (a new widget key: the browser drops what was typed)."""
    st.session_state[_COMMENT] = st.session_state.get(_COMMENT, 0) + 1


def _act(action: Callable[..., Any], *args: Any, done: Callable[[Any], tuple[str, str]], **kwargs: Any) -> None:
    """Run one review action on the submission that was on screen; whatever happens, the comment is cleared."""
    try:
        forms.flash(*done(data.write(action, *args, **kwargs)))
    except (RecordChanged, WriteConflict) as exc:
        forms.flash("warning", md(exc))
    except WriteRejected as exc:
        forms.flash("error", md(" ".join(p.message[:1].upper() + p.message[1:] + "." for p in exc.problems)))
    _new_comment()
    st.rerun()


def _dated(name: str, before: object, after: object) -> str:
    """'Source: IEA 2025 (unchanged)' or 'Assessed on: 2023-12-10 → 2026-03-01', in words, escaped."""
    label = field_words(name).capitalize()
    if name == "source_id":
        src = data.load(queries.sources)
        names = dict(zip(src["id"], src["publisher"] + src["year"].map(lambda y: "" if pd.isna(y) else f" {int(y)}"),
                         strict=True))
        before, after = (names.get(str(v), v) if v is not None else None for v in (before, after))
    shown = [("empty" if v is None else str(v)) for v in (before, after)]
    return md(f"{label}: {shown[1]} (unchanged)" if before == after else f"{label}: {shown[0]} → {shown[1]}")


def _changes(changes: list[tuple[str, dict | None, dict | None]], namer: Namer) -> None:
    """Each changed field as a word-level difference (removed struck through, added underlined); the full
    before and after text one click away. Fields and codes in words; everything typed is escaped, nothing is
    rendered."""
    def shown(field: str, value: object) -> str:
        return value_words(field, value, namer, empty="")

    with st.container(border=True, key="review_diff"):
        st.markdown("**What changes, word by word**: ~~removed~~ on red, added underlined on green")
        for record, base, new in changes:
            if new is None:
                st.markdown(f"**{md(record)}**: removed")
                continue
            for name, before, after in review.field_changes(base, new):
                st.markdown(f"**{md(record)} · {md(field_words(name))}**")
                st.html(f"<div class='cta-diff' style='white-space:pre-wrap;overflow-wrap:anywhere'>"
                        f"{diff_html(shown(name, before), shown(name, after))}</div>")
            dated = review.dating(base, new)
            if dated:
                st.caption(" · ".join(_dated(name, before, after) for name, before, after in dated))
    with st.expander("Every changed field in full: as the author saw it, and as proposed", key="review_full_text"):
        for record, base, new in changes:
            if new is None:
                continue
            for name, before, after in review.field_changes(base, new):
                st.markdown(f"**{md(record)} · {md(field_words(name))}**")
                left, right = st.columns(2)
                left.caption("Before")
                left.markdown(md(shown(name, before), lines=True) or "*empty*")
                right.caption("Proposed")
                right.markdown(md(shown(name, after), lines=True) or "*empty*")


st.title("Review queue")
actor = auth_ui.require({Role.SECRETARIAT, Role.ADMIN}, "The review queue")
forms.show_flash()
queue = data.load(contributions.pending_batches)
if queue.empty:
    st.success("Nothing is waiting for review.", icon=":material/done_all:")
    st.stop()

st.write(f"{counted(len(queue), 'submission')} waiting, oldest first. Approving applies every change of a submission "
         "together, or none of them.")
namer = Namer(data.cursor())
keys = data.load(contributions.submissions, statuses=["pending"])
labels = {r["batch_id"]: f"{namer.batch(list(zip(g['table_name'], g['row_key'], strict=True)))} · "
          f"{r['country_name'] or 'regional'} · {r['author_name']} · {pd.Timestamp(r['submitted_at']):%d %b %Y %H:%M}"
          for r in queue.to_dict("records")
          for g in [keys[keys["batch_id"] == r["batch_id"]].sort_values("position")]}
batch_id = st.selectbox("Submission", list(labels), format_func=labels.get, key="review_pick")
subs = data.load(contributions.batch, batch_id=batch_id)
if subs[0].note:
    st.markdown("**Note from the author:**")
    st.text(subs[0].note)

cur = data.cursor()
lines, stale, changes = [], 0, []
for sub in subs:
    model = TABLES[sub.table_name]
    base = json.loads(sub.base_values) if sub.base_values else None
    new = json.loads(sub.new_values) if sub.new_values else None
    now = current_record(cur, model, model.model_validate(new or base).key())
    moved = now != base
    stale += moved
    record = namer.record(sub.table_name, sub.row_key)
    changes.append((record, base, new))
    lines.append({"record": record, "proposed change": review.describe(base, new, None, namer),
                  "since submitted": review.describe(base, now, None, namer) if moved else "unchanged"})
st.dataframe(pd.DataFrame(lines), hide_index=True, placeholder="–", width="stretch", column_config={
    "record": st.column_config.TextColumn("Record", width="medium"),
    "proposed change": st.column_config.TextColumn("Proposed change", width="medium"),
    "since submitted": st.column_config.TextColumn("Changed since submitted", width="medium")})
if stale:
    st.warning(f"{counted(stale, 'record')} changed after this was submitted: approving will be refused. Reject it "
               "with a comment so that the focal point can look at the current value and submit again.",
               icon=":material/sync_problem:")
_changes(changes, namer)

shown = forms.shown_before("review", batch_id)  # the submission on screen when a button was clicked
if shown != batch_id:  # another submission on screen: its comment starts empty
    _new_comment()
comment = st.text_area("Comment for the focal point (needed to reject)",
                       key=f"review_comment_{st.session_state.get(_COMMENT, 0)}")
slot = st.empty()
left, right, _ = st.columns([1, 1, 3])
if left.button("Approve and publish", key="review_approve", type="primary", icon=":material/check:"):
    _act(review.approve, shown, actor, comment or None, on_screen=batch_id,
         done=lambda n: ("success", f"Approved: {counted(n, 'record')} changed and published."))
if right.button("Reject", key="review_reject", icon=":material/close:"):
    if not comment.strip() and shown == batch_id:
        slot.error("Say why it is rejected, so that the focal point can correct it and submit again.")
    else:
        _act(review.reject, shown, actor, comment, on_screen=batch_id,
             done=lambda _: ("info", "Rejected; the focal point sees your comment under My submissions."))
