"""Sign-in with an organisation account (OpenID Connect): which providers are set up, and which account an
identity stands for.

The identity provider (Microsoft Entra ID, Google, ...) only vouches for an email address. The tracker accepts it
when the provider says the address is verified, then takes the role and the country from the `users` table, as for
a password sign-in: an admin maps people to roles by creating their accounts. An unknown or switched-off account
gets no rights. No Streamlit here: the page passes the secrets' `[auth]` section and `st.user`'s claims.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb

from ctatracker.model.schema import User
from ctatracker.store.auth import Policy, get_user, utcnow

PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
"""What a provider section needs (Streamlit's `[auth]` or `[auth.NAME]`)."""
LABELS = {"microsoft": "Microsoft", "entra": "Microsoft", "azure": "Microsoft", "google": "Google"}
_TRUE = (True, "true", "True", 1, "1")


@dataclass(frozen=True)
class Provider:
    """One configured identity provider: its `st.login` name and the word shown on its button."""

    name: str
    label: str


@dataclass(frozen=True)
class OrgSignIn:
    """What an organisation sign-in amounts to: the account, or why it gives no rights (plain words)."""

    email: str | None
    user: User | None
    problem: str | None


def providers(auth_section: Mapping[str, Any] | None) -> list[Provider]:
    """The providers set up in secrets: `[auth]` itself (named "default") and each complete `[auth.NAME]`.

    None without `redirect_uri` and `cookie_secret`, which every provider needs."""
    if not auth_section or not auth_section.get("redirect_uri") or not auth_section.get("cookie_secret"):
        return []
    found = []
    if all(auth_section.get(key) for key in PROVIDER_KEYS):
        found.append(Provider("default", "your organisation"))
    for name, section in auth_section.items():
        if isinstance(section, Mapping) and "_" not in name and all(section.get(key) for key in PROVIDER_KEYS):
            found.append(Provider(str(name), LABELS.get(str(name).lower(), str(name).capitalize())))
    return found


def verified_email(claims: Mapping[str, Any], *, trusted: Collection[str] = ()) -> str | None:
    """The email the provider vouches for, lower case, or None when it gave none or did not verify it.

    Verified means `email_verified` is true (Google and most providers), or Entra ID's `xms_edov` (the email's
    domain is owned by the tenant), or the provider is one the admin listed as vouching for every email it sends
    (`trusted`: e.g. a single-tenant Entra ID app whose emails come from the organisation's own directory)."""
    email = claims.get("email")
    if not isinstance(email, str) or email.count("@") != 1 or not email.strip():
        return None
    verified = (claims.get("email_verified") in _TRUE or claims.get("xms_edov") in _TRUE
                or claims.get("provider") in trusted)
    return email.strip().lower() if verified else None


def issued_at(claims: Mapping[str, Any]) -> dt.datetime | None:
    """When the provider issued the identity (the ID token's `iat`, UTC), or None when it is missing."""
    try:
        return dt.datetime.fromtimestamp(float(claims["iat"]), dt.UTC).replace(tzinfo=None)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return None


def account_for(con: duckdb.DuckDBPyConnection, claims: Mapping[str, Any], *, trusted: Collection[str] = (),
                now: dt.datetime | None = None, policy: Policy | None = None) -> OrgSignIn:
    """The active account an organisation sign-in stands for, or why it stands for none.

    The sign-in lasts as long as a password sign-in (from the ID token's issue time, whatever the provider's
    cookie says), and ends when the account signs out everywhere or is switched off or on again
    (`sessions_after`), exactly like a session token."""
    now = now or utcnow()
    policy = policy or Policy.from_settings()
    email = verified_email(claims, trusted=trusted)
    if email is None:
        return OrgSignIn(None, None, "Your organisation signed you in, but did not confirm an email address, so the "
                         "tracker cannot tell which account is yours. Sign out, then use the email and password "
                         "the administrator gave you.")
    user = get_user(con, email)
    if user is None:
        return OrgSignIn(email, None, f"Your organisation signed you in as {email}, but the tracker has no account "
                         "for this email, so you can read the tracker but not change anything.")
    if not user.active:
        return OrgSignIn(email, None, f"Your organisation signed you in as {email}, but the tracker account for "
                         "this email is switched off, so you can read the tracker but not change anything.")
    issued = issued_at(claims)
    if issued is None or issued + policy.session <= now:
        return OrgSignIn(email, None, "Your organisation sign-in has expired. Sign out, then sign in again.")
    if user.sessions_after and issued <= user.sessions_after:
        return OrgSignIn(email, None, "This organisation sign-in was ended (you signed out, or the account was "
                         "changed). Sign out, then sign in again.")
    return OrgSignIn(email, user, None)
