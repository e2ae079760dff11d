"""Who is signed in: session state, a signed cookie that survives a reload, optional single sign-on.

The cookie is written by the browser (a small script sets document.cookie) and read back from
st.context.cookies when a new session starts. It holds a signed, expiring token (ctatracker.store.auth), never a
password. Roles and countries always come from the users table, whatever signed the person in.
"""

from __future__ import annotations

from collections.abc import Collection
from contextlib import suppress

import duckdb
import streamlit as st

from ctatracker.config import settings
from ctatracker.model.enums import Role
from ctatracker.model.schema import User
from ctatracker.store import auth, queries, sso
from ctatracker.store.database import WriteConflict
from ctatracker.store.permissions import Actor
from ctatracker.text.naming import counted, role_words
from dashboard import data
from dashboard.safe_text import md

COOKIE = "cta_session"
_TOKEN = "cta_token"
_SIGNED_OUT = "cta_signed_out"
_WRITTEN = "cta_cookie_written"
SIGN_IN_PAGE = "views/sign_in.py"
ACCESS_HELP = ("Accounts are created by the tracker's administrator: national focal points ask the ALP "
               "secretariat (Asia LEDS Partnership, ICLEI South Asia) for one. See *Contributing data* in the "
               "documentation.")
ROLE_LABELS = {role: role_words(role) for role in (Role.FOCAL_POINT, Role.SECRETARIAT, Role.ADMIN)}


@st.cache_resource(show_spinner=False)
def _key(db_path: str) -> bytes:
    return auth.secret_key()


def _secret() -> bytes:
    return _key(str(settings().db_path))


def org_providers() -> list[sso.Provider]:
    """The organisation sign-in providers set up in secrets ([auth]); none when there is no secrets file."""
    try:
        return sso.providers(st.secrets.get("auth"))
    except Exception:  # no secrets file at all, or one that does not parse
        return []


def sso_configured() -> bool:
    """True when at least one identity provider is set up in secrets ([auth])."""
    return bool(org_providers())


def sso_installed() -> bool:
    """True when streamlit[auth] (Authlib) is installed, which st.login needs."""
    import importlib.util

    return importlib.util.find_spec("authlib") is not None


def _org_claims() -> dict | None:
    """The identity the provider vouched for in this session (st.user), or None."""
    if not sso_configured():
        return None
    try:
        return st.user.to_dict() if st.user.is_logged_in else None
    except Exception:
        return None


def _trusted_providers() -> list[str]:
    try:
        return [str(name) for name in st.secrets.get("sign_in", {}).get("trust_emails_from", [])]
    except Exception:
        return []


def org_sign_in() -> sso.OrgSignIn | None:
    """What this session's organisation sign-in amounts to (the account, or why none), or None without one."""
    claims = _org_claims()
    if claims is None:
        return None
    try:
        return sso.account_for(data.cursor(), claims, trusted=_trusted_providers())
    except duckdb.Error:  # no database, or one built before accounts existed
        return None


def current_user() -> User | None:
    """The signed-in, active account (organisation sign-in first, then the password session), or None."""
    if data.viewer():  # nobody signs in on a viewer: its snapshot holds no accounts, and its folder is read-only
        return None
    org = org_sign_in()
    if org is not None and org.user is not None:
        return org.user
    token = st.session_state.get(_TOKEN)
    if token is None and not st.session_state.get(_SIGNED_OUT):
        token = st.context.cookies.get(COOKIE)
    if not token:
        return None
    try:
        return auth.user_for_token(data.cursor(), token, _secret())
    except duckdb.Error:  # no database, or one built before accounts existed
        return None


def current_actor() -> Actor | None:
    """The actor the write path sees for this session, or None for an anonymous viewer."""
    user = current_user()
    return auth.actor_of(user) if user else None


def sign_in(email: str, password: str) -> str | None:
    """Check the password and start a session; returns a message in plain words when it fails."""
    if not data.editable():
        return "Signing in is switched off: this copy of the tracker is read-only."
    try:
        user = data.write(auth.authenticate, email, password)
    except auth.SignInRefused as exc:
        return str(exc)
    except WriteConflict:
        return "Sign-in was busy for a moment; please try again."
    st.session_state[_TOKEN] = auth.make_token(user.email, _secret())
    st.session_state.pop(_SIGNED_OUT, None)
    return None


def sign_out() -> None:
    """End this person's sessions (every device, password and organisation sign-ins) and forget the cookie."""
    user = current_user()
    if user is not None and data.editable():
        with suppress(WriteConflict):  # the session is forgotten below either way
            data.write(auth.sign_out_everywhere, user.email)
    st.session_state.pop(_TOKEN, None)
    st.session_state[_SIGNED_OUT] = True
    if _org_claims() is not None:
        st.logout()  # clears Streamlit's identity cookie and, where the provider offers it, signs out there too


def sync_cookie(signed_in: bool) -> None:
    """Write the session cookie when the browser lacks it; clear it after sign-out or when it is no longer valid."""
    token = st.session_state.get(_TOKEN)
    sent = st.context.cookies.get(COOKIE)
    if token and token != sent:
        _set_cookie(token, int(settings().session_hours * 3600))
        st.session_state[_WRITTEN] = True
    elif not token and (st.session_state.pop(_WRITTEN, False) or (sent and not signed_in)):
        _set_cookie("", 0)


def _set_cookie(value: str, max_age: int) -> None:
    # The token alphabet is base64url plus '.', so it needs no quoting inside the script.
    script = (f"<script>document.cookie = '{COOKIE}={value}; path=/; max-age={max_age}; SameSite=Strict'"
              " + (location.protocol === 'https:' ? '; Secure' : '');</script>")
    with st.sidebar:
        st.html(script, unsafe_allow_javascript=True)


def describe(actor: Actor) -> str:
    """'national focal point for India' and the like."""
    label = ROLE_LABELS.get(actor.role, actor.role.value)
    if not actor.country_iso3:
        return label
    countries = data.load(queries.countries)
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    return f"{label} for {names.get(actor.country_iso3, actor.country_iso3)}"


def require(roles: Collection[Role], what: str, *, writes: bool = True) -> Actor:
    """Stop the page with a plain explanation unless someone with one of `roles` is signed in."""
    actor = current_actor()
    who = " or ".join(label for role, label in ROLE_LABELS.items() if role in roles)
    if actor is None:
        st.info(f"**{what}** is for the {who}. Sign in to use it.\n\n{ACCESS_HELP}", icon=":material/lock:")
        st.page_link(SIGN_IN_PAGE, label="Sign in", icon=":material/login:")
        st.stop()
    if actor.role not in roles:
        st.warning(f"**{what}** is for the {who}; you are signed in as {describe(actor)}. If you need it, "
                   "ask the tracker's administrator to change your account.", icon=":material/lock:")
        st.stop()
    if writes and not data.editable():
        st.warning("This copy of the tracker is read-only, so nothing can be changed here.")
        st.stop()
    return actor


def sidebar_status() -> None:
    """Who is signed in (and their pending changes) and a Sign out button, in the sidebar; keeps the cookie in step."""
    actor = current_actor()
    sync_cookie(actor is not None)
    if actor is None:
        return
    text = f"Signed in as **{md(actor.name)}**, {md(describe(actor))}."
    if actor.role is Role.FOCAL_POINT:
        pending = pending_count(actor)
        if pending:
            text += f" {counted(pending, 'change')} of yours {'is' if pending == 1 else 'are'} pending review."
    st.sidebar.caption(text)
    if st.sidebar.button("Sign out", key="sidebar_sign_out", icon=":material/logout:"):
        sign_out()
        st.rerun()


def pending_count(actor: Actor) -> int:
    """How many of this person's submissions wait for review (the sidebar and My submissions show this number)."""
    from ctatracker.store import contributions

    return int(data.load(contributions.pending_count, author=actor.name))
