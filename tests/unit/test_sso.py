"""Organisation sign-in: configured providers, verified emails, and the account (and rights) an identity gets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ctatracker.model.schema import Observation
from ctatracker.store import auth, review, sso
from ctatracker.store.auth import Policy
from ctatracker.store.database import WriteRejected, connect, current_record

FOCAL = "fp@ind.example"
NOW = dt.datetime(2025, 6, 1, 12, 0, 0)
POLICY = Policy(max_failed=5, lockout=dt.timedelta(minutes=15), session=dt.timedelta(hours=12))
KEY = ("IND", "ev_sales_share", "all_vehicles", 2024, "business-standard-2025-ind-niti")
SHARED = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32}
PROVIDER = {"client_id": "id", "client_secret": "secret",
            "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}


def claims(email: str = FOCAL, *, verified: object = True, issued: dt.datetime = NOW - dt.timedelta(minutes=5),
           **extra: object) -> dict:
    return {"is_logged_in": True, "email": email, "email_verified": verified, "provider": "default",
            "iat": int(issued.replace(tzinfo=dt.UTC).timestamp()), **extra}


@pytest.fixture()
def con(seed_copy: Path):
    path = seed_copy
    con = connect(path)
    auth.add_user(con, FOCAL, "focal_point", country="IND")  # no password: organisation sign-in only
    yield con
    con.close()


def test_providers_are_the_complete_sections_of_auth() -> None:
    assert sso.providers(None) == [] and sso.providers({}) == []
    assert sso.providers({**SHARED}) == []  # nothing to sign in with
    assert sso.providers({**PROVIDER, "redirect_uri": SHARED["redirect_uri"]}) == []  # no cookie_secret
    assert sso.providers({**SHARED, **PROVIDER}) == [sso.Provider("default", "your organisation")]
    named = sso.providers({**SHARED, "microsoft": PROVIDER, "google": PROVIDER,
                           "okta": {"client_id": "only an id"}, "my_idp": PROVIDER})
    assert named == [sso.Provider("microsoft", "Microsoft"), sso.Provider("google", "Google")]


@pytest.mark.parametrize(("identity", "trusted", "expected"), [
    ({"email": "FP@Ind.Example", "email_verified": True}, (), FOCAL),
    ({"email": FOCAL, "email_verified": "true"}, (), FOCAL),
    ({"email": FOCAL, "email_verified": False}, (), None),
    ({"email": FOCAL}, (), None),  # Entra ID sends no email_verified ...
    ({"email": FOCAL, "xms_edov": True}, (), FOCAL),  # ... unless the domain is the tenant's own
    ({"email": FOCAL, "provider": "microsoft"}, ("microsoft",), FOCAL),  # or the admin trusts the provider
    ({"email": FOCAL, "provider": "google"}, ("microsoft",), None),
    ({"email": "", "email_verified": True}, (), None),
    ({"email": "a@b@c", "email_verified": True}, (), None),
    ({"email": None, "email_verified": True}, (), None),
    ({"email_verified": True}, (), None),
])
def test_only_a_verified_email_counts(identity: dict, trusted: tuple, expected: str | None) -> None:
    assert sso.verified_email(identity, trusted=trusted) == expected


def test_a_known_focal_point_gets_their_countrys_rights_in_the_write_path(con) -> None:
    org = sso.account_for(con, claims(), now=NOW, policy=POLICY)
    assert org.problem is None and org.user.role.value == "focal_point" and org.user.country_iso3 == "IND"
    actor = auth.actor_of(org.user)
    record = current_record(con, Observation, KEY)
    own = Observation.model_validate({**record, "value": 9.9})
    batch = review.propose(con, actor, [review.change_now(con, own)])
    assert batch and current_record(con, Observation, KEY)["value"] == record["value"]  # pending, not applied
    other = con.execute("SELECT * FROM observations WHERE country_iso3 = 'LKA' LIMIT 1").df().iloc[0].to_dict()
    foreign = Observation.model_validate({**{k: v for k, v in other.items() if v == v}, "value": 1.0})
    with pytest.raises(WriteRejected, match="not allowed: a focal point for IND cannot file submissions for LKA"):
        review.propose(con, actor, [review.change_now(con, foreign)])


def test_an_unknown_email_gets_no_account_and_a_clear_message(con) -> None:
    org = sso.account_for(con, claims("stranger@example.org"), now=NOW, policy=POLICY)
    assert org.user is None and org.email == "stranger@example.org"
    assert "no account for this email" in org.problem


def test_a_switched_off_account_gets_nothing(con) -> None:
    auth.update_user(con, FOCAL, auth.SYSTEM, active=False)
    org = sso.account_for(con, claims(issued=auth.utcnow()), policy=POLICY)
    assert org.user is None and "switched off" in org.problem


def test_an_unverified_email_is_not_looked_up(con) -> None:
    org = sso.account_for(con, claims(verified=False), now=NOW, policy=POLICY)
    assert org.user is None and org.email is None and "did not confirm an email" in org.problem


def test_the_sign_in_lasts_as_long_as_a_password_session(con) -> None:
    assert sso.account_for(con, claims(issued=NOW - dt.timedelta(hours=11)), now=NOW, policy=POLICY).user
    late = sso.account_for(con, claims(issued=NOW - dt.timedelta(hours=12)), now=NOW, policy=POLICY)
    assert late.user is None and "expired" in late.problem
    no_time = {k: v for k, v in claims().items() if k != "iat"}
    assert sso.account_for(con, no_time, now=NOW, policy=POLICY).user is None


def test_signing_out_everywhere_or_switching_off_and_on_ends_it(con) -> None:
    now = auth.utcnow()
    before, after = now - dt.timedelta(minutes=20), now - dt.timedelta(minutes=5)
    assert sso.account_for(con, claims(issued=before), policy=POLICY).user is not None
    auth.sign_out_everywhere(con, FOCAL, now=now - dt.timedelta(minutes=10))
    ended = sso.account_for(con, claims(issued=before), policy=POLICY)
    assert ended.user is None and "was ended" in ended.problem
    assert sso.account_for(con, claims(issued=after), policy=POLICY).user is not None  # signed in again since
    auth.update_user(con, FOCAL, auth.SYSTEM, active=False)
    auth.update_user(con, FOCAL, auth.SYSTEM, active=True)
    assert sso.account_for(con, claims(issued=after), policy=POLICY).user is None


def test_the_example_secrets_file_sets_up_microsoft_and_google() -> None:
    import tomllib

    from ctatracker.config import PROJECT_ROOT

    example = tomllib.loads((PROJECT_ROOT / ".streamlit" / "secrets.example.toml").read_text())
    assert [p.label for p in sso.providers(example["auth"])] == ["Microsoft", "Google"]
    assert example["sign_in"]["trust_emails_from"] == []
