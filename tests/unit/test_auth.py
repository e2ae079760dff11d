"""Accounts and sign-in: argon2 hashes, lockout, signed expiring tokens, the users command."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from ctatracker.config import settings
from ctatracker.model.enums import Role
from ctatracker.model.schema import Country, Source, User
from ctatracker.store import auth, contributions
from ctatracker.store.database import WriteRejected, connect, create_schema, write_rows
from ctatracker.store.permissions import SYSTEM
from pipelines.__main__ import main

PASSWORD = "correct horse battery"
T0 = dt.datetime(2025, 3, 1, 9, 0)
POLICY = auth.Policy(max_failed=5, lockout=dt.timedelta(minutes=15), session=dt.timedelta(hours=12))
KEY = b"k" * 32


@pytest.fixture()
def con():
    con = connect(":memory:")
    create_schema(con)
    write_rows(con, [Source(id="src", title="t", publisher="p", year=2024, url="https://example.org")], SYSTEM)
    write_rows(con, [Country(iso3="IND", name="India", subregion="South Asia")], SYSTEM)
    auth.add_user(con, "FP@Example.org", Role.FOCAL_POINT, country="IND", password=PASSWORD)
    return con


def login(con, password: str = PASSWORD, now: dt.datetime = T0, policy: auth.Policy = POLICY) -> User:
    return auth.authenticate(con, "fp@example.org", password, now=now, policy=policy)


def test_password_is_stored_as_argon2_hash_and_never_in_the_audit_log(con) -> None:
    user = auth.get_user(con, "fp@example.org")
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    audit = " ".join(r[0] for r in con.execute("SELECT new_values FROM audit_log WHERE table_name = 'users'")
                     .fetchall())
    assert "$argon2" not in audit and "[redacted]" in audit


def test_right_password_signs_in_and_email_case_does_not_matter(con) -> None:
    assert login(con).email == "fp@example.org"
    assert auth.authenticate(con, " FP@EXAMPLE.ORG ", PASSWORD, now=T0, policy=POLICY).role is Role.FOCAL_POINT


def test_unknown_email_wrong_password_and_locked_account_get_the_same_message(con) -> None:
    with pytest.raises(auth.SignInRefused) as unknown:
        auth.authenticate(con, "nobody@example.org", PASSWORD, now=T0, policy=POLICY)
    with pytest.raises(auth.SignInRefused) as wrong:
        login(con, "wrong password!")
    for _ in range(4):
        with pytest.raises(auth.SignInRefused):
            login(con, "wrong password!")
    with pytest.raises(auth.SignInRefused) as locked:
        login(con)
    assert str(unknown.value) == str(wrong.value) == str(locked.value) == auth.REFUSED
    assert "attempt(s) left" not in auth.REFUSED


@pytest.fixture()
def production_cost(monkeypatch: pytest.MonkeyPatch):
    """Passwords hashed at the cost the app uses (the suite otherwise hashes at a low cost: tests/conftest.py);
    asked for before any account is made."""
    monkeypatch.delenv("CTA_ARGON2_TIME_COST")
    monkeypatch.delenv("CTA_ARGON2_MEMORY_KIB")
    settings.cache_clear()
    yield
    settings.cache_clear()


def test_passwords_are_hashed_at_argon2s_own_cost_unless_set(production_cost) -> None:
    from argon2 import PasswordHasher

    def cost(h: PasswordHasher) -> tuple[int, int, int]:
        return h.time_cost, h.memory_cost, h.parallelism

    hasher, dummy = auth.password_hasher()
    assert cost(hasher) == cost(PasswordHasher()) == (3, 65536, 4)  # argon2's own (RFC 9106 low memory): 64 MiB
    for hashed in (auth.hash_password(PASSWORD), dummy):  # the dummy costs what a real hash costs
        assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_unknown_wrong_and_locked_take_about_the_same_time(production_cost, con) -> None:
    """One hash is always checked, so the time does not tell a locked or unknown account from a wrong password
    (at the app's cost: a hash then takes far longer than the rest of a sign-in)."""
    auth.add_user(con, "locked@example.org", Role.FOCAL_POINT, country="IND", password=PASSWORD)
    for _ in range(POLICY.max_failed):
        with pytest.raises(auth.SignInRefused):
            auth.authenticate(con, "locked@example.org", "wrong password!", now=T0, policy=POLICY)
    never_locks = dataclasses.replace(POLICY, max_failed=1000)
    cases = {"wrong": ("fp@example.org", "wrong password!", never_locks),
             "locked": ("locked@example.org", PASSWORD, POLICY), "unknown": ("nobody@example.org", PASSWORD, POLICY)}
    times: dict[str, list[float]] = {case: [] for case in cases}
    for _ in range(5):  # in turns, so that the machine's load falls on the three alike; the least of each counts
        for case, (email, password, policy) in cases.items():
            started = time.perf_counter()
            with pytest.raises(auth.SignInRefused):
                auth.authenticate(con, email, password, now=T0, policy=policy)
            times[case].append(time.perf_counter() - started)
    least = {case: min(seconds) for case, seconds in times.items()}
    assert min(least.values()) > 0.5 * max(least.values()), least


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(con) -> None:
    for i in range(5):
        with pytest.raises(auth.SignInRefused):
            login(con, "wrong password!", now=T0 + dt.timedelta(seconds=i))
    assert auth.get_user(con, "fp@example.org").locked_until == T0 + dt.timedelta(seconds=4, minutes=15)
    with pytest.raises(auth.SignInRefused):  # even the right password
        login(con, now=T0 + dt.timedelta(minutes=14))
    assert login(con, now=T0 + dt.timedelta(minutes=16)).email == "fp@example.org"
    user = auth.get_user(con, "fp@example.org")
    assert user.failed_logins == 0 and user.locked_until is None


def test_a_good_sign_in_resets_the_count(con) -> None:
    for _ in range(4):
        with pytest.raises(auth.SignInRefused):
            login(con, "wrong password!")
    login(con)
    assert auth.get_user(con, "fp@example.org").failed_logins == 0
    for _ in range(4):
        with pytest.raises(auth.SignInRefused):
            login(con, "wrong password!")
    assert auth.get_user(con, "fp@example.org").locked_until is None  # four more are allowed again


def _parallel_sign_ins(con, passwords: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """Sign in with every password at once, one thread each; returns (real hash checks, sign-ins)."""
    checks, signed_in, lock = [], [], threading.Lock()
    real_verify = auth._verify

    def counting_verify(hashed: str, password: str) -> bool:
        with lock:
            checks.append(hashed != auth.password_hasher()[1])
        return real_verify(hashed, password)

    monkeypatch.setattr(auth, "_verify", counting_verify)
    start = threading.Barrier(len(passwords))

    def attempt(password: str) -> None:
        cur = con.cursor()
        start.wait()
        try:
            auth.authenticate(cur, "fp@example.org", password, now=T0, policy=POLICY)
            signed_in.append(password)
        except auth.SignInRefused:
            pass

    threads = [threading.Thread(target=attempt, args=(p,)) for p in passwords]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checks) == len(passwords)  # every attempt checked exactly one hash (real or dummy)
    return sum(checks), len(signed_in)


def test_sixty_parallel_wrong_passwords_check_at_most_five(con, monkeypatch: pytest.MonkeyPatch) -> None:
    real_checks, signed_in = _parallel_sign_ins(con, ["wrong password!"] * 60, monkeypatch)
    assert real_checks <= POLICY.max_failed and signed_in == 0
    assert auth.get_user(con, "fp@example.org").locked_until is not None


def test_the_right_password_after_39_parallel_wrong_ones_does_not_sign_in(con, monkeypatch) -> None:
    real_checks, _ = _parallel_sign_ins(con, ["wrong password!"] * 39, monkeypatch)
    assert real_checks <= POLICY.max_failed
    with pytest.raises(auth.SignInRefused):
        login(con)
    user = auth.get_user(con, "fp@example.org")
    assert user.locked_until is not None and user.failed_logins == 0


def test_the_right_password_among_parallel_wrong_ones_checks_at_most_five(con, monkeypatch) -> None:
    real_checks, signed_in = _parallel_sign_ins(con, ["wrong password!"] * 39 + [PASSWORD], monkeypatch)
    user = auth.get_user(con, "fp@example.org")
    if signed_in:  # the right one came among the first five counted; its success starts the count again
        assert signed_in == 1 and real_checks <= 2 * POLICY.max_failed
    else:
        assert real_checks <= POLICY.max_failed and user.locked_until is not None


def test_lockout_is_configurable(con, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTA_MAX_FAILED_LOGINS", "2")
    monkeypatch.setenv("CTA_LOCKOUT_MINUTES", "1")
    settings.cache_clear()
    try:
        policy = auth.Policy.from_settings()
        assert (policy.max_failed, policy.lockout) == (2, dt.timedelta(minutes=1))
        for _ in range(2):
            with pytest.raises(auth.SignInRefused):
                login(con, "wrong password!", policy=policy)
        with pytest.raises(auth.SignInRefused):
            login(con, policy=policy)
        assert auth.get_user(con, "fp@example.org").locked_until is not None
        assert login(con, now=T0 + dt.timedelta(minutes=2), policy=policy)
    finally:
        settings.cache_clear()


def test_switched_off_accounts_cannot_sign_in(con) -> None:
    auth.update_user(con, "fp@example.org", SYSTEM, active=False)
    with pytest.raises(auth.SignInRefused):
        login(con)


def test_token_round_trip_tamper_expiry_and_wrong_key(con) -> None:
    token = auth.make_token("fp@example.org", KEY, now=T0, ttl=dt.timedelta(hours=12))
    claims = auth.read_token(token, KEY, now=T0 + dt.timedelta(hours=1))
    assert claims.email == "fp@example.org" and claims.issued == T0
    assert auth.read_token(token, KEY, now=T0 + dt.timedelta(hours=13)) is None
    assert auth.read_token(token, b"another key", now=T0) is None
    body, sig = token.split(".")
    forged = auth.make_token("admin@example.org", b"guess", now=T0).split(".")[0] + "." + sig
    assert auth.read_token(forged, KEY, now=T0) is None
    for junk in (None, "", "abc", "a.b.c", body + ".00"):
        assert auth.read_token(junk, KEY, now=T0) is None


def test_sign_out_ends_earlier_sessions_and_a_new_sign_in_works(con) -> None:
    now = auth.utcnow()
    old = auth.make_token("fp@example.org", KEY, now=now - dt.timedelta(minutes=5))
    assert auth.user_for_token(con, old, KEY).email == "fp@example.org"
    auth.sign_out_everywhere(con, "fp@example.org", now=now - dt.timedelta(minutes=1))
    assert auth.user_for_token(con, old, KEY) is None
    assert auth.user_for_token(con, auth.make_token("fp@example.org", KEY), KEY) is not None


def test_account_rules() -> None:
    base = dict(email="a@example.org", name="A", created_at=T0)
    User(**base, role="secretariat")
    for bad in ({"role": "focal_point"}, {"role": "admin", "country_iso3": "IND"}, {"role": "viewer"},
                {"role": "secretariat", "email": "not an email"}):
        with pytest.raises(ValueError):
            User(**{**base, **bad})
    with pytest.raises(ValueError, match="at least 10"):
        auth.hash_password("short")


@pytest.mark.parametrize("weak", [" " * 10, "aaaaaaaaaaaa", "1234567890", "password123", "qwertyuiop",
                                  "fp@example.org1"])
def test_a_password_is_judged_by_strength_not_length(weak: str) -> None:
    with pytest.raises(ValueError, match="too easy to guess"):
        auth.hash_password(weak, context=["fp@example.org", "fp", "example"])


def test_weak_passwords_are_refused_everywhere_and_nothing_is_written(con) -> None:
    with pytest.raises(ValueError, match="too easy to guess"):
        auth.add_user(con, "new@example.org", "secretariat", password=" " * 10)
    assert auth.get_user(con, "new@example.org") is None
    before = auth.get_user(con, "fp@example.org").password_hash
    with pytest.raises(ValueError, match="too easy to guess"):
        auth.set_password(con, "fp@example.org", "password1234")
    assert auth.get_user(con, "fp@example.org").password_hash == before
    auth.set_password(con, "fp@example.org", "tram depot lantern 42")  # a strong one is taken


def test_switching_an_account_off_and_on_ends_its_sessions(con) -> None:
    old = auth.make_token("fp@example.org", KEY, now=auth.utcnow() - dt.timedelta(minutes=5))
    assert auth.user_for_token(con, old, KEY) is not None
    auth.update_user(con, "fp@example.org", SYSTEM, active=False)
    assert auth.user_for_token(con, old, KEY) is None
    auth.update_user(con, "fp@example.org", SYSTEM, active=True)
    assert auth.user_for_token(con, old, KEY) is None  # the old token does not come back to life
    assert auth.user_for_token(con, auth.make_token("fp@example.org", KEY), KEY) is not None


def test_only_admins_manage_accounts(con) -> None:
    fp = auth.actor_of(auth.get_user(con, "fp@example.org"))
    with pytest.raises(WriteRejected, match="only an admin manages accounts"):
        auth.add_user(con, "x@example.org", "admin", password=PASSWORD, by=fp)
    with pytest.raises(ValueError, match="already exists"):
        auth.add_user(con, "fp@example.org", "secretariat", password=PASSWORD)


def test_secret_key_from_environment_or_a_private_generated_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CTA_DB_PATH", str(tmp_path / "t.duckdb"))
    monkeypatch.delenv("CTA_SECRET_KEY", raising=False)
    settings.cache_clear()
    try:
        first = auth.secret_key()
        path = tmp_path / ".cta_secret_key"
        assert len(first) == 64 and auth.secret_key() == first
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        monkeypatch.setenv("CTA_SECRET_KEY", "from-the-environment")
        settings.cache_clear()
        assert auth.secret_key() == b"from-the-environment"
    finally:
        settings.cache_clear()


def test_users_command_adds_lists_and_refuses_bad_input(built_db: Path, tmp_path: Path, monkeypatch,
                                                        capsys) -> None:
    db = tmp_path / "t.duckdb"
    db.write_bytes(built_db.read_bytes())
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", "fp@ind.example", "--role", "focal_point", "--country", "IND",
                 "--password-stdin", "--db", str(db)]) == 0
    assert "Account created: fp@ind.example (focal_point for IND)" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "add", "x@ind.example", "--role", "admin", "--password-stdin", "--db", str(db)]) == 1
    assert "at least 10 characters" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", "y@ind.example", "--role", "focal_point", "--password-stdin",
                 "--db", str(db)]) == 1
    assert "needs a country" in capsys.readouterr().err
    assert main(["users", "list", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "fp@ind.example" in out and "argon2" not in out
    con = connect(db)
    assert auth.authenticate(con, "fp@ind.example", PASSWORD).country_iso3 == "IND"
    assert contributions.account_count(con) == 1


def test_an_older_database_gets_the_account_tables_without_touching_the_others() -> None:
    from ctatracker.model.ddl import create_table_sql
    from ctatracker.model.schema import FACT_MODELS
    from ctatracker.store.database import create_missing_tables

    old = connect(":memory:")
    for model in FACT_MODELS:
        for statement in create_table_sql(model):
            old.execute(statement)
    from ctatracker.model.schema import TABLES

    expected = [t for t in TABLES if t not in {m.__table__ for m in FACT_MODELS}]
    assert {"needs", "audit_log", "users", "submissions"} <= set(expected)
    assert create_missing_tables(old) == expected
    assert create_missing_tables(old) == []


def test_a_long_passphrase_is_accepted_up_to_the_documented_maximum(con) -> None:
    """Over 72 characters, zxcvbn's own 'Password exceeds max length of 72 characters.' was the answer."""
    passphrase = "the tram depot lantern hums at dusk while forty green buses wait by the quiet river bend"
    assert len(passphrase) > 72
    auth.set_password(con, "fp@example.org", passphrase)
    assert auth.authenticate(con, "fp@example.org", passphrase).email == "fp@example.org"
    with pytest.raises(ValueError, match=rf"a password holds at most {auth.MAX_PASSWORD_LENGTH} characters") as err:
        auth.hash_password("x" * (auth.MAX_PASSWORD_LENGTH + 1))
    assert "exceeds max length" not in str(err.value)
    with pytest.raises(ValueError, match="too easy to guess"):  # a weak start is not made strong by padding
        auth.hash_password("a" * 100)


def test_an_empty_password_never_creates_an_account_without_one(built_db: Path, tmp_path: Path, monkeypatch,
                                                                capsys) -> None:
    """An empty line on --password-stdin created an account without a password."""
    db = tmp_path / "t.duckdb"
    db.write_bytes(built_db.read_bytes())
    for given in ("\n", ""):
        monkeypatch.setattr("sys.stdin", io.StringIO(given))
        assert main(["users", "add", "sec@alp.example", "--role", "secretariat", "--password-stdin",
                     "--db", str(db)]) == 1
        assert "no password was read" in capsys.readouterr().err
    con = connect(db)
    try:
        assert auth.get_user(con, "sec@alp.example") is None
        with pytest.raises(ValueError, match="at least 10 characters"):
            auth.add_user(con, "sec@alp.example", "secretariat", password="")
        assert auth.get_user(con, "sec@alp.example") is None
    finally:
        con.close()
