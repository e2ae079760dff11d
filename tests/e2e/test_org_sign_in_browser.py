"""Browser: sign in with an organisation account against a local OpenID Connect provider (oidc-provider-mock),
with a real `streamlit run` given a secrets file pointing at it; the identity lands with its account's role."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ctatracker.store import auth
from ctatracker.store.database import connect
from tests.e2e.conftest import PortTaken, _free_port, start_app, stop, wait_for_app

pytestmark = pytest.mark.e2e
FOCAL = "fp@ind.example"
STRANGER = "stranger@example.org"
BUTTON = "Sign in with your organisation account"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """A local OpenID Connect provider that vouches for two verified emails (over plain http, on loopback)."""
    from oidc_provider_mock import User, run_server_in_thread

    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # the provider refuses plain http otherwise
    users = [User(sub=email, claims={"email": email, "email_verified": True}) for email in (FOCAL, STRANGER)]
    with run_server_in_thread(port=_free_port(), user_claims=users) as server:
        yield f"http://127.0.0.1:{server.server_port}"
    os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)


@pytest.fixture(scope="module")
def sso_app(built_db: Path, provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a copy of the seed database (an India focal point without a password), signing in through
    the provider; the secrets file is a temporary one, given to `streamlit run` by STREAMLIT_SECRETS_FILES."""
    folder = tmp_path_factory.mktemp("sso")
    db = folder / "tracker.duckdb"
    db.write_bytes(built_db.read_bytes())
    con = connect(db)
    auth.add_user(con, FOCAL, "focal_point", country="IND", name="India focal point")
    con.close()
    secrets_file = folder / "secrets.toml"
    old = os.environ.get("STREAMLIT_SECRETS_FILES")
    os.environ["STREAMLIT_SECRETS_FILES"] = str(secrets_file)
    try:
        for attempt in range(3):  # the secrets name the port: another port means another file
            port = _free_port()
            secrets_file.write_text(
                "[auth]\n"
                f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
                f'cookie_secret = "{secrets.token_hex(32)}"\n'
                'client_id = "cta-tracker"\n'
                'client_secret = "not-a-real-secret"\n'
                f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n')
            try:
                proc = start_app(db, port)
                break
            except PortTaken:
                if attempt == 2:
                    raise
    finally:
        if old is None:
            os.environ.pop("STREAMLIT_SECRETS_FILES", None)
        else:
            os.environ["STREAMLIT_SECRETS_FILES"] = old
    yield f"http://127.0.0.1:{port}"
    stop(proc)


def shows(page, text: str, timeout: float = 30_000) -> bool:
    """Wait until the page's main area shows `text` (the script may still be drawing it)."""
    page.locator("[data-testid='stMain']").get_by_text(text).first.wait_for(timeout=timeout)
    return True


def sign_in_as(page, app: str, who: str) -> None:
    """Open the Sign in page, click the organisation button, pick `who` on the provider's form."""
    page.goto(f"{app}/sign_in")
    wait_for_app(page)
    page.get_by_role("button", name=BUTTON).click()
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"), timeout=30_000)
    page.get_by_role("button", name=who, exact=True).click()
    page.wait_for_url(re.compile(rf"^{re.escape(app)}/?(\?.*)?$"), timeout=30_000)
    wait_for_app(page)


def test_a_focal_point_signs_in_with_their_organisation_and_gets_their_role(sso_app: str, page) -> None:
    sign_in_as(page, sso_app, FOCAL)
    page.goto(f"{sso_app}/sign_in")
    wait_for_app(page)
    assert shows(page, "Your account") and shows(page, "national focal point for India")
    page.goto(f"{sso_app}/my_country")
    wait_for_app(page)
    assert shows(page, "Propose updates for")
    assert "India" in page.locator("[data-testid='stMain']").inner_text()

    identity_cookies = [c for c in page.context.cookies() if c["name"].startswith("_streamlit_user")]
    organisation = page.get_by_role("button", name=BUTTON)
    for _attempt in range(6):  # signing out goes through the server's logout redirect: wait for it, not a clock
        page.goto(f"{sso_app}/sign_in")
        wait_for_app(page)
        if organisation.count():
            break
        sign_out = page.locator("[data-testid='stMain']").get_by_role("button", name="Sign out")
        if sign_out.count():  # still signed in: a click made while the page was still connecting can be lost
            sign_out.click()
        with contextlib.suppress(PlaywrightTimeoutError):  # signed out when the sign-in button shows
            organisation.wait_for(timeout=10_000)
    organisation.wait_for(timeout=30_000)
    assert "Your account" not in page.locator("[data-testid='stMain']").inner_text()
    page.goto(f"{sso_app}/my_country")
    wait_for_app(page)
    assert shows(page, "Sign in to use it")

    page.context.add_cookies(identity_cookies)  # the identity cookie from before signing out, played back
    page.goto(f"{sso_app}/sign_in")
    wait_for_app(page)
    assert shows(page, "was ended") and "Your account" not in page.locator("[data-testid='stMain']").inner_text()


def test_an_identity_without_an_account_gets_no_rights_and_is_told_why(sso_app: str, page) -> None:
    sign_in_as(page, sso_app, STRANGER)
    page.goto(f"{sso_app}/sign_in")
    wait_for_app(page)
    assert shows(page, "no account for this email")
    assert "stranger" in page.locator("[data-testid='stMain']").inner_text()
    page.goto(f"{sso_app}/my_country")
    wait_for_app(page)
    assert shows(page, "Sign in to use it")
    assert "Propose updates" not in page.locator("[data-testid='stMain']").inner_text()
