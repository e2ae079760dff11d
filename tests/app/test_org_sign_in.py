"""AppTest: sign-in with an organisation account (st.user set by the test), mapped to accounts in the users table."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ctatracker.store import auth
from ctatracker.store.database import connect
from tests.app.conftest import APP

FOCAL = "fp@ind.example"
OFF = "off@lka.example"
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32, "client_id": "tracker",
        "client_secret": "not-a-secret", "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}
BUTTON = "Sign in with your organisation account"


@pytest.fixture()
def db(seed_copy: Path, point_at) -> Path:
    """A copy of the seed database with an India focal point (no password) and a switched-off account."""
    path = seed_copy
    con = connect(path)
    auth.add_user(con, FOCAL, "focal_point", country="IND", name="India focal point")
    auth.add_user(con, OFF, "focal_point", country="LKA")
    auth.update_user(con, OFF, auth.SYSTEM, active=False)
    con.close()
    point_at(path)
    return path


def identity(email: str, **extra: object) -> dict:
    """st.user as Streamlit fills it after a provider's callback (the ID token's claims)."""
    return {"is_logged_in": True, "email": email, "email_verified": True, "provider": "default",
            "iat": int(time.time()) - 60, **extra}


def open_as(user: dict | None, page: str, *, secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH if secrets is None else secrets
    if user is not None:
        at.user = user
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest, kind: str) -> str:
    return " ".join(str(e.value) for e in getattr(at, kind))


def buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def test_a_known_focal_point_gets_their_countrys_edit_rights(db: Path) -> None:
    at = open_as(identity(FOCAL.upper()), "views/my_country.py")
    assert at.title[0].value == "My country's data"
    assert "Propose updates for **India**" in texts(at, "markdown")
    at = open_as(identity(FOCAL), "views/sign_in.py")
    assert at.title[0].value == "Your account" and "national focal point for India" in texts(at, "success")


@pytest.mark.parametrize(("email", "says"), [
    ("stranger@example.org", "no account for this email"),
    (OFF, "switched off"),
])
def test_an_unknown_or_switched_off_identity_gets_no_rights_and_a_clear_message(db: Path, email: str,
                                                                             says: str) -> None:
    at = open_as(identity(email), "views/my_country.py")
    assert "Sign in to use it" in texts(at, "info") and "Propose updates" not in texts(at, "markdown")
    at = open_as(identity(email), "views/sign_in.py")
    assert at.title[0].value == "Sign in" and says in texts(at, "warning")
    assert "Sign out of your organisation account" in buttons(at) and BUTTON not in buttons(at)


def test_an_unverified_email_gets_no_rights(db: Path) -> None:
    at = open_as(identity(FOCAL, email_verified=False), "views/my_country.py")
    assert "Sign in to use it" in texts(at, "info")


def test_the_button_shows_only_when_a_provider_is_configured(db: Path) -> None:
    at = open_as(None, "views/sign_in.py", secrets={})
    assert BUTTON not in " ".join(buttons(at)) and at.text_input(key="sign_in_email") is not None
    incomplete = {k: v for k, v in AUTH.items() if k != "client_secret"}
    assert BUTTON not in " ".join(buttons(open_as(None, "views/sign_in.py", secrets=incomplete)))
    at = open_as({"is_logged_in": False}, "views/sign_in.py")
    assert BUTTON in buttons(at) and at.text_input(key="sign_in_email") is not None  # passwords still work
    two = {**{k: AUTH[k] for k in ("redirect_uri", "cookie_secret")},
           "microsoft": {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")},
           "google": {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}}
    at = open_as({"is_logged_in": False}, "views/sign_in.py", secrets=two)
    assert [b for b in buttons(at) if b.startswith(BUTTON)] == [f"{BUTTON} (Microsoft)", f"{BUTTON} (Google)"]


def test_sign_out_ends_the_organisation_sign_in_and_its_sessions(db: Path) -> None:
    at = open_as(identity(FOCAL), "views/sign_in.py")
    at.button(key="sign_out").click().run()
    assert at.user == {"is_logged_in": False}  # st.logout ran
    con = connect(db)
    assert auth.get_user(con, FOCAL).sessions_after is not None
    con.close()
    at.user = identity(FOCAL, iat=int(time.time()) - 60)  # the same identity cookie played back
    at.run()
    assert at.title[0].value == "Sign in" and "was ended" in texts(at, "warning")
