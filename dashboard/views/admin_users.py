"""Accounts (admins only): create them, change role or country, reset passwords, unlock, switch off."""

import secrets

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from ctatracker.model.enums import Role
from ctatracker.model.schema import ACCOUNT_ROLES
from ctatracker.store import auth, contributions, queries
from ctatracker.store.database import WriteConflict, WriteRejected
from ctatracker.text.naming import role_words
from ctatracker.text.validation import field_messages
from dashboard import auth_ui, data, forms
from dashboard.safe_text import md

st.title("Users")
actor = auth_ui.require({Role.ADMIN}, "Managing accounts")
forms.show_flash()
countries = data.load(queries.countries)
names = dict(zip(countries["iso3"], countries["name"], strict=True))
users = data.load(contributions.users)
st.dataframe(users.assign(role=users["role"].map(role_words),
                          country_iso3=users["country_iso3"].map(names).fillna("")),
             hide_index=True, placeholder="–", width="stretch", column_config={
    "email": "Email", "name": "Name", "role": "Role", "country_iso3": "Country", "active": "Switched on",
    "has_password": "Has a password", "failed_logins": "Failed sign-ins",
    "locked_until": st.column_config.DatetimeColumn("Locked until (UTC)", format="D MMM HH:mm"),
    "created_at": st.column_config.DatetimeColumn("Created", format="D MMM YYYY")})


def _run(action, *args, done: str, **kwargs) -> None:
    """Run one account change through the write path and report it in plain words."""
    try:
        data.write(action, *args, **kwargs)
    except ValidationError as exc:
        st.error(md("; ".join(f"{k}: {v}" if k else v for k, v in field_messages(exc).items())))
    except (ValueError, WriteRejected, WriteConflict) as exc:
        st.error(md(exc))
    else:
        forms.flash("success", done)
        st.rerun()


st.subheader("Add an account")
with st.form("add_user"):
    email = st.text_input("Email", key="new_email")
    name = st.text_input("Name", key="new_name")
    role = st.selectbox("Role", [r.value for r in ACCOUNT_ROLES], key="new_role",
                        format_func=role_words)
    country = st.selectbox("Country (focal points only)", [None, *names], key="new_country",
                           format_func=lambda c: "none" if c is None else names[c])
    st.caption("A temporary password is generated and shown once: pass it on privately.")
    add = st.form_submit_button("Create the account", key="new_go", type="primary")
if add:
    password = secrets.token_urlsafe(12)
    _run(auth.add_user, email, role, name=name or None, country=country, password=password, by=actor,
         done=f"Account created for {email.strip().lower()}. Temporary password: `{password}`")

if users.empty:
    st.stop()
st.subheader("Change an account")
who = st.selectbox("Account", list(users["email"]), key="edit_user")
row = users.set_index("email").loc[who]
left, middle, right = st.columns(3)
if left.button("Reset the password", key="user_reset", icon=":material/password:"):
    password = secrets.token_urlsafe(12)
    _run(auth.set_password, who, password, by=actor, done=f"New password for {who}: `{password}` (it also "
         "unlocks the account and ends its sessions).")
if middle.button("Unlock", key="user_unlock", icon=":material/lock_open:", disabled=not row["failed_logins"]
                 and pd.isna(row["locked_until"])):
    _run(auth.update_user, who, actor, failed_logins=0, locked_until=None, done=f"{who} is unlocked.")
if right.button("Switch off" if row["active"] else "Switch on", key="user_active", icon=":material/block:",
                disabled=who == actor.name):
    _run(auth.update_user, who, actor, active=not row["active"],
         done=f"{who} is {'switched off' if row['active'] else 'switched on'}.")
with st.form("change_role"):
    new_role = st.selectbox("Role", [r.value for r in ACCOUNT_ROLES], key="user_role", format_func=role_words,
                            index=[r.value for r in ACCOUNT_ROLES].index(row["role"]))
    current = row["country_iso3"] if isinstance(row["country_iso3"], str) else None
    options = [None, *names]
    new_country = st.selectbox("Country", options, index=options.index(current), key="user_country",
                               format_func=lambda c: "none" if c is None else names[c])
    change = st.form_submit_button("Change role and country", key="user_role_go")
if change:
    _run(auth.update_user, who, actor, role=new_role, country_iso3=new_country,
         done=f"{who} is now {role_words(new_role)}{' for ' + names[new_country] if new_country else ''}.")
