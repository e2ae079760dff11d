"""The secretariat's review queue: each pending submission with what it changes; approve or reject it."""

import json

import pandas as pd
import streamlit as st

from ctatracker import queries_review, review
from ctatracker.enums import Role
from ctatracker.schema import TABLES
from ctatracker.store import RecordChanged, WriteConflict, WriteRejected, current_record
from dashboard import auth_ui, data, forms

st.title("Review queue")
actor = auth_ui.require({Role.SECRETARIAT, Role.ADMIN}, "The review queue")
forms.show_flash()
queue = data.load(queries_review.pending_batches)
if queue.empty:
    st.success("Nothing is waiting for review.", icon=":material/done_all:")
    st.stop()

st.write(f"{len(queue)} submission(s) waiting, oldest first. Approving applies every change of a submission "
         "together, or none of them.")
labels = {r["batch_id"]: f"{r['country_name'] or 'no country'} · {r['author_name']} · {r['changes']} change(s) "
          f"· {pd.Timestamp(r['submitted_at']):%d %b %Y %H:%M} · {r['batch_id'][:8]}" for r in queue.to_dict("records")}
batch_id = st.selectbox("Submission", list(labels), format_func=labels.get, key="review_pick")
subs = data.load(queries_review.batch, batch_id=batch_id)
if subs[0].note:
    st.markdown("**Note from the author:**")
    st.text(subs[0].note)

cur = data.cursor()
lines, stale = [], 0
for sub in subs:
    model = TABLES[sub.table_name]
    base = json.loads(sub.base_values) if sub.base_values else None
    new = json.loads(sub.new_values) if sub.new_values else None
    now = current_record(cur, model, model.model_validate(new or base).key())
    moved = now != base
    stale += moved
    lines.append({"table": sub.table_name, "record": " / ".join(json.loads(sub.row_key).values()),
                  "proposed change": review.describe(base, new),
                  "since submitted": review.describe(base, now) if moved else "unchanged"})
st.dataframe(pd.DataFrame(lines), hide_index=True, width="stretch", column_config={
    "record": st.column_config.TextColumn(width="medium"),
    "proposed change": st.column_config.TextColumn(width="medium"),
    "since submitted": st.column_config.TextColumn("changed since submitted", width="medium")})
if stale:
    st.warning(f"{stale} record(s) changed after this was submitted: approving will be refused. Reject it with a "
               "comment so that the focal point can look at the current value and submit again.",
               icon=":material/sync_problem:")

comment = st.text_area("Comment for the focal point (needed to reject)", key="review_comment")
slot = st.empty()
left, right, _ = st.columns([1, 1, 3])
if left.button("Approve and publish", key="review_approve", type="primary", icon=":material/check:"):
    try:
        n = data.write(review.approve, batch_id, actor, comment or None)
    except (RecordChanged, WriteConflict) as exc:
        st.warning(str(exc), icon=":material/sync_problem:")
    except WriteRejected as exc:
        st.error("\n".join(str(p) for p in exc.problems), icon=":material/error:")
    else:
        forms.flash("success", f"Approved: {n} record(s) changed and published.")
        st.rerun()
if right.button("Reject", key="review_reject", icon=":material/close:"):
    if not comment.strip():
        slot.error("Say why it is rejected, so that the focal point can correct it and submit again.")
    else:
        try:
            data.write(review.reject, batch_id, actor, comment)
        except (WriteConflict, WriteRejected) as exc:
            st.error(str(exc))
        else:
            forms.flash("info", "Rejected; the focal point sees your comment under My submissions.")
            st.rerun()
