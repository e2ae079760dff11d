"""Import IEA data: upload IEA's Global EV Data Explorer file, preview what would change, apply (secretariat)."""

import hashlib

import pandas as pd
import streamlit as st

from ctatracker.io import iea
from ctatracker.model.enums import Role
from ctatracker.store import queries
from ctatracker.store.database import WriteConflict
from dashboard import auth_ui, data, forms

MAX_UPLOAD_MB = 100

st.title("Import IEA data")
actor = auth_ui.require({Role.SECRETARIAT, Role.ADMIN}, "Import IEA data")
forms.show_flash()
st.markdown("Upload IEA's **Global EV Data Explorer** as IEA publishes it: the Excel workbook (for example "
            "*EVDataExplorer2025.xlsx*), its CSV export, or an older edition's CSV. The tracker reads the edition "
            "from the file, keeps its member countries, shows you what would change, and writes nothing until you "
            "apply. Projections (such as IEA's STEPS scenario) are kept apart from measured values.")

round_ = st.session_state.setdefault("iea_round", 0)  # a new uploader after each import
file = st.file_uploader(f"IEA file (.xlsx or .csv, at most {MAX_UPLOAD_MB} MB)", type=["xlsx", "csv"],
                        key=f"iea_file_{round_}", max_upload_size=MAX_UPLOAD_MB)
if file is None:
    st.stop()
raw = file.getvalue()
digest = hashlib.sha256(raw).hexdigest()
if st.session_state.get("iea_digest") != digest:  # read and map once per file
    bar = st.progress(0.0, text="Reading the file")
    covered = set(data.load(queries.countries)["iso3"])
    try:
        prepared = iea.prepare(raw, covered, name=file.name,
                               progress=lambda fraction, message: bar.progress(min(fraction, 1.0), text=message))
    except iea.ImportRejected as exc:
        bar.empty()
        st.session_state.pop("iea_digest", None)
        st.error(f"This file cannot be imported, and nothing was written.\n\n```\n{exc}\n```",
                 icon=":material/error:")
        st.stop()
    bar.empty()
    st.session_state["iea_prepared"], st.session_state["iea_digest"] = prepared, digest
prepared: iea.Prepared = st.session_state["iea_prepared"]
mapped = prepared.mapped

overwrite = st.toggle("Overwrite values edited in the tracker since the last import", key="iea_overwrite",
                      help="Off: such values are left as they are and listed below as conflicts.")
plan = iea.plan(data.cursor(), prepared, overwrite_edits=overwrite)  # reads only

st.subheader("What would change")
st.write(f"**{prepared.source.title}**, read as {iea.LAYOUTS[prepared.layout]} (edition from "
         f"{prepared.edition_rule}){'; a new source' if plan.new_source else ''}.")
cols = st.columns(5)
for col, (label, n) in zip(cols, [("Added", len(plan.add)), ("Updated", len(plan.update)),
                                  ("Unchanged", plan.unchanged), ("Conflicts", len(plan.conflicts)),
                                  ("Scenario values", plan.scenario_changes)], strict=True):
    col.metric(label, f"{n:,}")
st.caption(f"Rows read {mapped.rows_read:,}: kept {mapped.rows_kept:,}, skipped {sum(mapped.skipped.values()):,}, "
           f"exact duplicates {mapped.duplicates:,}.")
with st.expander("Rows skipped, by reason"):
    st.dataframe(pd.DataFrame(sorted(mapped.skipped.items(), key=lambda kv: -kv[1]), columns=["reason", "rows"]),
                 hide_index=True, width="stretch")
if plan.conflicts:
    st.warning(f"{len(plan.conflicts)} value(s) were edited in the tracker since the last import: they are "
               + ("overwritten by IEA's." if overwrite else "left as they are."), icon=":material/edit_note:")
    st.dataframe(pd.DataFrame([{"country": o.country_iso3, "indicator": o.indicator_code, "mode": o.mode.value,
                                "year": o.year, "IEA's value": o.value, "in the tracker": now}
                               for o, now in plan.conflicts]), hide_index=True, width="stretch", key="iea_conflicts")
changes = len(plan.writes) + plan.scenario_changes + int(plan.new_source)
if st.button(f"Apply: {changes:,} change(s), all or nothing", key="iea_apply", type="primary",
             disabled=changes == 0, icon=":material/cloud_upload:"):
    try:
        summary = data.write(iea.apply, prepared, actor, overwrite_edits=overwrite)
    except iea.ImportRejected as exc:
        st.error(f"Nothing was written:\n\n```\n{exc}\n```", icon=":material/error:")
    except WriteConflict as exc:
        st.warning(f"{exc}", icon=":material/sync_problem:")
    else:
        for key in ("iea_digest", "iea_prepared"):
            st.session_state.pop(key, None)
        st.session_state["iea_round"] = round_ + 1
        forms.flash("success", f"Imported {prepared.source.title}: {summary.counts['added']:,} added, "
                    f"{summary.counts['updated']:,} updated, {len(summary.plan.conflicts):,} edited value(s) "
                    f"{'overwritten' if overwrite else 'left as they are'}, {summary.counts['scenario_values']:,} "
                    "scenario values.")
        st.rerun()
if changes == 0:
    st.info("The tracker already holds everything in this file.", icon=":material/check_circle:")
