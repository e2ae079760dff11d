"""Bulk update: download the country's data as an Excel template, upload it, preview every change, submit."""

import hashlib

import streamlit as st

from ctatracker.model.enums import Role
from ctatracker.store import bulk, queries
from ctatracker.store.database import RecordChanged, WriteConflict, WriteRejected
from ctatracker.text.naming import counted
from dashboard import auth_ui, data, forms
from dashboard.safe_text import md

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

st.title("Bulk upload")
actor = auth_ui.require({Role.FOCAL_POINT, Role.SECRETARIAT, Role.ADMIN}, "Bulk upload")
countries = data.load(queries.countries)
names = dict(zip(countries["iso3"], countries["name"], strict=True))
if actor.role is Role.FOCAL_POINT:
    country = actor.country_iso3
else:
    country = st.selectbox("Country", list(names), format_func=names.get, key="bulk_country")
forms.show_flash()

st.subheader("1. Download your country's current data")
st.download_button(f"Excel template for {names.get(country, country)}",
                   lambda: bulk.template(data.cursor(), country),  # built when clicked
                   f"cta-tracker-{country.lower()}.xlsx", XLSX, key="bulk_template", on_click="ignore",
                   icon=":material/download:")
st.caption("One sheet per kind of record (observations, implementation stages, policies, needs, new sources), "
           "prefilled with what the tracker holds now. Change values in place or add rows; type values, not "
           "formulas.")

st.subheader("2. Upload it")
round_ = st.session_state.setdefault("bulk_round", 0)  # a new uploader after each submit
file = st.file_uploader(f"The filled-in template (.xlsx, at most {bulk.MAX_UPLOAD_MB} MB)", type=["xlsx"],
                        key=f"bulk_file_{round_}", max_upload_size=bulk.MAX_UPLOAD_MB)
if file is None:
    st.stop()
raw = file.getvalue()
digest = hashlib.sha256(raw).hexdigest()
if st.session_state.get("bulk_digest") != (digest, country):  # parse once per file: the preview is the base
    st.session_state["bulk_upload"] = data.load(bulk.parse, data=raw, filename=file.name, actor=actor)
    st.session_state["bulk_digest"] = (digest, country)
upload: bulk.Upload = st.session_state["bulk_upload"]

st.subheader("3. Check the preview")
preview = upload.preview()
counts = preview["status"].value_counts().to_dict() if not preview.empty else {}
st.write(", ".join(f"{n} {s}" for s, n in counts.items()) or "No rows found.")
if upload.problems:
    shown_problems = upload.problems[:20]
    more = f"\n\n...and {len(upload.problems) - 20} more (see the table)." if len(upload.problems) > 20 else ""
    st.error(f"{counted(len(upload.problems), 'problem')}: nothing can be submitted until they are fixed in the file. "
             "Correct them and upload it again.\n\n" + "\n".join(f"- {md(p)}" for p in shown_problems) + more,
             icon=":material/error:")
shown = preview if st.toggle("Show unchanged rows too", key="bulk_all") else preview[preview["status"] != "unchanged"]
st.dataframe(shown[["sheet", "row", "status", "problems", "change", "record"]], hide_index=True, placeholder="–",
             width="stretch",
             column_config={"sheet": "Sheet", "row": "Row", "status": "Status", "record": "Record",
                            "problems": st.column_config.TextColumn("Problems", width="large"),
                            "change": st.column_config.TextColumn("What changes", width="large")})

st.subheader("4. Submit")
verb = "Submit for review" if actor.role is Role.FOCAL_POINT else "Apply"
note = st.text_input("Note for the reviewer (optional)", key="bulk_note") if actor.role is Role.FOCAL_POINT else ""
if st.button(f"{verb}: {counted(len(upload.changes), 'change')}, all or nothing", key="bulk_submit", type="primary",
             disabled=not upload.ok or not upload.changes, icon=":material/send:"):
    try:
        message = data.write(bulk.submit, upload, actor, note=note or None)
    except (RecordChanged, WriteConflict) as exc:
        st.warning(f"{md(exc)} Upload the file again to see a fresh preview.", icon=":material/sync_problem:")
        st.session_state.pop("bulk_digest", None)
    except WriteRejected as exc:
        st.error("Nothing was written:\n\n" + "\n".join(f"- {md(p)}" for p in exc.problems), icon=":material/error:")
    else:
        for key in ("bulk_digest", "bulk_upload"):
            st.session_state.pop(key, None)
        st.session_state["bulk_round"] = round_ + 1
        forms.flash("success", message)
        st.rerun()
