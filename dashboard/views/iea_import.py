"""Import IEA data: upload IEA's Global EV Data Explorer file or EDGAR's GHG workbook (told apart by content),
preview what would change, apply (secretariat)."""

import hashlib

import pandas as pd
import streamlit as st

from ctatracker.io import edgar, iea
from ctatracker.model.enums import Role
from ctatracker.store import queries
from ctatracker.store.database import WriteConflict
from ctatracker.text.naming import counted, words
from dashboard import auth_ui, data, forms
from dashboard.safe_text import problem_lines

MAX_UPLOAD_MB = 100

st.title("Import IEA data")
actor = auth_ui.require({Role.SECRETARIAT, Role.ADMIN}, "Import IEA data")
forms.show_flash()
st.markdown("Upload IEA's **Global EV Data Explorer** as IEA publishes it: the Excel workbook of an edition, "
            "its CSV export, or an older edition's CSV. The tracker reads the edition "
            "from the file, keeps its member countries, shows you what would change, and writes nothing until you "
            "apply. Projections (such as IEA's STEPS scenario) are kept apart from measured values.")
st.markdown("The same page takes the JRC's **EDGAR** workbook of *GHG emissions of all world countries* (the "
            "booklet workbook of any edition): its transport CO2 and transport greenhouse gases by country, each "
            "edition as its own source with the citation and conditions of use the workbook gives. The tracker "
            "tells the two kinds of file apart by what they hold, not by their names.")

round_ = st.session_state.setdefault("iea_round", 0)  # a new uploader after each import
file = st.file_uploader(f"IEA or EDGAR file (.xlsx or .csv, at most {MAX_UPLOAD_MB} MB)", type=["xlsx", "csv"],
                        key=f"iea_file_{round_}", max_upload_size=MAX_UPLOAD_MB)
if file is None:
    st.stop()
raw = file.getvalue()
digest = hashlib.sha256(raw).hexdigest()
if st.session_state.get("iea_digest") != digest:  # read and map once per file
    bar = st.progress(0.0, text="Reading the file")
    countries = data.load(queries.countries)
    kind = "edgar" if edgar.looks_like(raw) else "iea"
    covered = dict(zip(countries["iso3"], countries["name"], strict=True)) if kind == "edgar" else set(
        countries["iso3"])
    try:
        prepared = (edgar if kind == "edgar" else iea).prepare(
            raw, covered, name=file.name,
            progress=lambda fraction, message: bar.progress(min(fraction, 1.0), text=message))
    except iea.ImportRejected as exc:
        bar.empty()
        st.session_state.pop("iea_digest", None)
        st.error(f"This file cannot be imported, and nothing was written.\n\n{problem_lines(exc)}",
                 icon=":material/error:")
        st.stop()
    bar.empty()
    st.session_state["iea_prepared"], st.session_state["iea_digest"] = prepared, digest
    st.session_state["iea_kind"] = kind
importer = edgar if st.session_state.get("iea_kind") == "edgar" else iea
prepared = st.session_state["iea_prepared"]
mapped = prepared.mapped

overwrite = st.toggle("Overwrite values edited in the tracker since the last import", key="iea_overwrite",
                      help="Off: such values are left as they are and listed below as conflicts.")
plan = importer.plan(data.cursor(), prepared, overwrite_edits=overwrite)  # reads only

st.subheader("What would change")
st.write(f"**{prepared.source.title}**, read as {importer.LAYOUTS[prepared.layout]} (edition from "
         f"{prepared.edition_rule}){'; a new source' if plan.new_source else ''}.")
last = ("Countries matched", len(mapped.matched)) if importer is edgar else ("Scenario values", plan.scenario_changes)
cols = st.columns(5)
for col, (label, n) in zip(cols, [("Added", len(plan.add)), ("Updated", len(plan.update)),
                                  ("Unchanged", plan.unchanged), ("Conflicts", len(plan.conflicts)), last],
                           strict=True):
    col.metric(label, f"{n:,}")
st.caption(f"Rows read {mapped.rows_read:,}: kept {mapped.rows_kept:,}, skipped {sum(mapped.skipped.values()):,}, "
           f"exact duplicates {mapped.duplicates:,}.")
if importer is edgar:
    st.caption("; ".join(line[:1].upper() + line[1:] for line in edgar.Summary(plan).facts()) + ".")
with st.expander("Rows skipped, by reason"):
    st.dataframe(pd.DataFrame(sorted(mapped.skipped.items(), key=lambda kv: -kv[1]), columns=["Reason", "Rows"]),
                 hide_index=True, placeholder="–", width="stretch")
if plan.conflicts:
    edited = f"{counted(len(plan.conflicts), 'value')} {'was' if len(plan.conflicts) == 1 else 'were'} edited"
    st.warning(f"{edited} in the tracker since the last import: they are "
               + ("overwritten by the file's." if overwrite else "left as they are."), icon=":material/edit_note:")
    names = getattr(prepared, "countries", {})
    st.dataframe(pd.DataFrame([{"country": names.get(o.country_iso3, o.country_iso3),
                                "indicator": edgar.WORDS.get(o.indicator_code, words(o.indicator_code)),
                                "vehicles": words(o.mode.value), "year": o.year, "the file's value": o.value,
                                "in the tracker": now}
                               for o, now in plan.conflicts]), hide_index=True, placeholder="–", width="stretch",
                 key="iea_conflicts")
changes = len(plan.writes) + plan.scenario_changes + int(plan.new_source)
if st.button(f"Apply: {counted(changes, 'change')}, all or nothing", key="iea_apply", type="primary",
             disabled=changes == 0, icon=":material/cloud_upload:"):
    try:
        summary = data.write(importer.apply, prepared, actor, overwrite_edits=overwrite)
    except iea.ImportRejected as exc:
        st.error(f"Nothing was written:\n\n{problem_lines(exc)}", icon=":material/error:")
    except WriteConflict as exc:
        st.warning(f"{exc}", icon=":material/sync_problem:")
    else:
        for key in ("iea_digest", "iea_prepared", "iea_kind"):
            st.session_state.pop(key, None)
        st.session_state["iea_round"] = round_ + 1
        forms.flash("success", f"Imported {prepared.source.title}: {summary.counts['added']:,} added, "
                    f"{summary.counts['updated']:,} updated, {counted(len(summary.plan.conflicts), 'edited value')} "
                    f"{'overwritten' if overwrite else 'left as they are'}"
                    + (f", {summary.counts['scenario_values']:,} scenario values." if importer is iea else "."))
        st.rerun()
if changes == 0:
    st.info("The tracker already holds everything in this file.", icon=":material/check_circle:")
