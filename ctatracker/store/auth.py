"""Accounts and sign-in: argon2 password hashes in the users table, lockout, signed session tokens.

Sign-in decides *who* someone is; what they may change is decided in the write path (permissions.py)
from their account's role and country, whatever signed them in (password or single sign-on).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import random
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from ctatracker.config import settings
from ctatracker.model.enums import Role
from ctatracker.model.schema import User
from ctatracker.store.database import WriteConflict, current_record, write_rows
from ctatracker.store.permissions import SYSTEM, Actor

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
"""Longest password accepted (a long passphrase fits; argon2 hashes any length)."""
JUDGED_CHARACTERS = 72
"""zxcvbn judges at most this many characters (it refuses longer input): a longer passphrase is judged by its
first 72, so padding a weak start does not make it strong."""
MIN_PASSWORD_SCORE = 3
"""zxcvbn strength score (0-4) a new password needs: 3 is 'safely unguessable' (about 10^8 guesses or more)."""
CLAIM_TRIES = 200
REFUSED = ("The email or the password is wrong, or the account is locked for a while after too many attempts. "
           "Try again later, or ask an admin to reset the password.")
"""The one answer to every refused sign-in: it never tells whether the email has an account or is locked."""


@lru_cache(maxsize=2)
def _hasher_at(time_cost: int, memory_kib: int) -> tuple[PasswordHasher, str]:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
    return hasher, hasher.hash("not a real password")  # the dummy: unknown emails take as long as wrong passwords


def password_hasher() -> tuple[PasswordHasher, str]:
    """The argon2id hasher at the cost set in settings (argon2's own defaults unless changed), with a dummy hash
    made at the same cost."""
    cfg = settings()
    return _hasher_at(cfg.argon2_time_cost, cfg.argon2_memory_kib)


class SignInRefused(Exception):
    """Sign-in failed; the message is safe to show (it never says whether the email exists)."""


@dataclass(frozen=True)
class Policy:
    """Lockout and session lengths (from settings by default)."""

    max_failed: int
    lockout: dt.timedelta
    session: dt.timedelta

    @classmethod
    def from_settings(cls) -> Policy:
        cfg = settings()
        return cls(cfg.max_failed_logins, dt.timedelta(minutes=cfg.lockout_minutes),
                   dt.timedelta(hours=cfg.session_hours))


def utcnow() -> dt.datetime:
    """Now in UTC, without time zone (as stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def password_weakness(password: str, *, context: Sequence[str] = ()) -> str | None:
    """Why a new password is too weak (judged by zxcvbn, given the person's email and name), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"a password holds at most {MAX_PASSWORD_LENGTH} characters (this one has {len(password):,})"
    result = zxcvbn(password[:JUDGED_CHARACTERS], user_inputs=[c[:JUDGED_CHARACTERS] for c in context if c])
    if result["score"] >= MIN_PASSWORD_SCORE:
        return None
    advice = " ".join([result["feedback"]["warning"], *result["feedback"]["suggestions"]]).strip()
    return ("this password is too easy to guess" + (f": {advice}" if advice else "") +
            " A few unrelated words make a strong password.")


def hash_password(password: str, *, context: Sequence[str] = ()) -> str:
    """argon2id hash of a password, refusing passwords that are short or easy to guess."""
    weakness = password_weakness(password, context=context)
    if weakness:
        raise ValueError(weakness)
    return password_hasher()[0].hash(password)


def get_user(con: duckdb.DuckDBPyConnection, email: str) -> User | None:
    """The account with this email (any case), or None."""
    record = current_record(con, User, (email.strip().lower(),))
    return User.model_validate(record) if record else None


def actor_of(user: User) -> Actor:
    """The actor an account acts as in the write path."""
    return Actor(name=user.email, role=user.role, country_iso3=user.country_iso3)


def save_user(con: duckdb.DuckDBPyConnection, user: User, by: Actor, reason: str) -> None:
    """Create or change an account through the write path (only admins and the system may)."""
    write_rows(con, [user], by, reason=reason)


def add_user(con: duckdb.DuckDBPyConnection, email: str, role: Role | str, *, name: str | None = None,
             country: str | None = None, password: str | None = None, by: Actor = SYSTEM) -> User:
    """Create an account. Without a password (None) the person can sign in only through single sign-on; an empty
    password is refused like any other that is too short."""
    if get_user(con, email) is not None:
        raise ValueError(f"an account for {email.strip().lower()} already exists")
    context = [email, name or "", *email.replace("@", ".").split(".")]
    user = User(email=email, name=name or email.split("@")[0], role=role, country_iso3=country or None,
                password_hash=hash_password(password, context=context) if password is not None else None,
                created_at=utcnow())
    save_user(con, user, by, reason=f"account created by {by.name}")
    return user


def set_password(con: duckdb.DuckDBPyConnection, email: str, password: str, by: Actor = SYSTEM) -> None:
    """Give an account a new password; it also unlocks it and ends its sessions."""
    user = _existing(con, email)
    context = [user.email, user.name, *user.email.replace("@", ".").split(".")]
    save_user(con, user.model_copy(update={"password_hash": hash_password(password, context=context),
                                           "failed_logins": 0,
                                           "locked_until": None, "sessions_after": utcnow()}),
              by, reason=f"password set by {by.name}")


def update_user(con: duckdb.DuckDBPyConnection, email: str, by: Actor, **changes: object) -> User:
    """Change an account's role, country, name or active flag (validated like a new account).

    Switching an account off or on ends its sessions: a token issued before cannot come back to life.
    """
    user = _existing(con, email)
    if "active" in changes and bool(changes["active"]) != user.active:
        changes = {**changes, "sessions_after": utcnow()}
    changed = User.model_validate({**user.model_dump(), **changes})
    save_user(con, changed, by, reason=f"account changed by {by.name}")
    return changed


def _existing(con: duckdb.DuckDBPyConnection, email: str) -> User:
    user = get_user(con, email)
    if user is None:
        raise ValueError(f"no account for {email}")
    return user


def authenticate(con: duckdb.DuckDBPyConnection, email: str, password: str, *, now: dt.datetime | None = None,
                 policy: Policy | None = None) -> User:
    """Check a password. Every attempt is counted *before* the password is checked, atomically, so parallel
    attempts cannot exceed the limit; too many in a row lock the account for a while.

    Unknown emails, wrong passwords and locked accounts get the same message and take about the same time (one
    password hash is always checked, against a dummy hash when there is nothing to check).
    """
    now = now or utcnow()
    policy = policy or Policy.from_settings()
    user = get_user(con, email) if email.strip() else None
    claimed = None
    if user is not None and user.active and user.password_hash is not None:
        claimed = _claim_attempt(con, user.email, now, policy)
    if claimed is None or claimed.password_hash is None:  # unknown, switched off, locked or not countable
        _verify(password_hasher()[1], password)
        raise SignInRefused(REFUSED)
    if not _verify(claimed.password_hash, password):
        raise SignInRefused(REFUSED)
    return _clear_attempts(con, claimed.email)


def _retry_pause(attempt: int) -> None:
    time.sleep(random.uniform(0, 0.002 * (attempt + 1)))  # parallel attempts collide less on the next try


def _claim_attempt(con: duckdb.DuckDBPyConnection, email: str, now: dt.datetime, policy: Policy) -> User | None:
    """Count one sign-in attempt (compare-and-set on the users row); None when the account is locked, or when
    the attempt could not be counted (then it is refused: no password is checked without being counted)."""
    for attempt in range(CLAIM_TRIES):
        user = get_user(con, email)
        if user is None or not user.active:
            return None
        if user.locked_until and user.locked_until > now:
            return None
        failed = user.failed_logins + 1
        locked = failed >= policy.max_failed
        changed = user.model_copy(update={"failed_logins": 0 if locked else failed,
                                          "locked_until": now + policy.lockout if locked else user.locked_until})
        try:
            write_rows(con, [changed], SYSTEM, reason="sign-in attempt",
                       expected={user.key(): user.model_dump(mode="json")})
        except (WriteConflict, duckdb.TransactionException):
            _retry_pause(attempt)
            continue
        return changed
    return None


def _clear_attempts(con: duckdb.DuckDBPyConnection, email: str) -> User:
    """After a right password: the count starts again from zero and any lock is lifted."""
    for attempt in range(CLAIM_TRIES):
        user = _existing(con, email)
        if not user.failed_logins and not user.locked_until:
            return user
        cleared = user.model_copy(update={"failed_logins": 0, "locked_until": None})
        try:
            write_rows(con, [cleared], SYSTEM, reason="signed in", expected={user.key(): user.model_dump(mode="json")})
        except (WriteConflict, duckdb.TransactionException):
            _retry_pause(attempt)
            continue
        return cleared
    return _existing(con, email)


def _verify(hashed: str, password: str) -> bool:
    try:
        return password_hasher()[0].verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def sign_out_everywhere(con: duckdb.DuckDBPyConnection, email: str, *, now: dt.datetime | None = None) -> None:
    """End every session of an account (tokens issued before now stop working)."""
    user = get_user(con, email)
    if user is not None:
        save_user(con, user.model_copy(update={"sessions_after": now or utcnow()}), SYSTEM, reason="signed out")


# Session tokens: base64(JSON {email, issued, expires}) "." HMAC-SHA256, kept in a browser cookie.

def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_token(email: str, key: bytes, *, now: dt.datetime | None = None, ttl: dt.timedelta | None = None) -> str:
    """A signed, expiring token naming the account."""
    now = now or utcnow()
    ttl = ttl or Policy.from_settings().session
    body = _b64(json.dumps({"e": email, "i": _stamp(now), "x": _stamp(now + ttl)}).encode())
    return f"{body}.{hmac.new(key, body.encode(), hashlib.sha256).hexdigest()}"


def _stamp(moment: dt.datetime) -> float:
    return moment.replace(tzinfo=dt.UTC).timestamp()


def _from_stamp(value: object) -> dt.datetime:
    return dt.datetime.fromtimestamp(float(value), dt.UTC).replace(tzinfo=None)  # type: ignore[arg-type]


@dataclass(frozen=True)
class TokenClaims:
    """What a valid token says."""

    email: str
    issued: dt.datetime
    expires: dt.datetime


def read_token(token: str | None, key: bytes, *, now: dt.datetime | None = None) -> TokenClaims | None:
    """The claims of a token if its signature is right and it has not expired, else None."""
    if not token or token.count(".") != 1:
        return None
    body, signature = token.split(".")
    if not hmac.compare_digest(hmac.new(key, body.encode(), hashlib.sha256).hexdigest(), signature):
        return None
    try:
        data = json.loads(_unb64(body))
        claims = TokenClaims(str(data["e"]), _from_stamp(data["i"]), _from_stamp(data["x"]))
    except (ValueError, KeyError, TypeError):
        return None
    return claims if claims.expires > (now or utcnow()) else None


def user_for_token(con: duckdb.DuckDBPyConnection, token: str | None, key: bytes, *,
                   now: dt.datetime | None = None) -> User | None:
    """The active account a token stands for, unless it expired or its sessions were ended since."""
    claims = read_token(token, key, now=now)
    if claims is None:
        return None
    user = get_user(con, claims.email)
    if user is None or not user.active:
        return None
    if user.sessions_after and claims.issued <= user.sessions_after:
        return None
    return user


def secret_key(db_path: Path | None = None) -> bytes:
    """The key that signs tokens: CTA_SECRET_KEY, else a random key kept in a file beside the database."""
    cfg = settings()
    if cfg.secret_key is not None and cfg.secret_key.get_secret_value():
        return cfg.secret_key.get_secret_value().encode()
    path = (db_path or cfg.db_path).parent / ".cta_secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".cta_secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(draft, path)  # atomic: the first process to get here wins, the others read its key
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip().encode()
