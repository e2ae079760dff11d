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
import secrets
from dataclasses import dataclass
from pathlib import Path

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ctatracker.config import settings
from ctatracker.enums import Role
from ctatracker.permissions import SYSTEM, Actor
from ctatracker.schema import User
from ctatracker.store import WriteConflict, current_record, write_rows

MIN_PASSWORD_LENGTH = 10
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("not a real password")  # so unknown emails take as long as wrong passwords


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


def hash_password(password: str) -> str:
    """argon2id hash of a password, refusing passwords that are too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


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
    """Create an account. Without a password the person can sign in only through single sign-on."""
    if get_user(con, email) is not None:
        raise ValueError(f"an account for {email.strip().lower()} already exists")
    user = User(email=email, name=name or email.split("@")[0], role=role, country_iso3=country or None,
                password_hash=hash_password(password) if password else None, created_at=utcnow())
    save_user(con, user, by, reason=f"account created by {by.name}")
    return user


def set_password(con: duckdb.DuckDBPyConnection, email: str, password: str, by: Actor = SYSTEM) -> None:
    """Give an account a new password; it also unlocks it and ends its sessions."""
    user = _existing(con, email)
    save_user(con, user.model_copy(update={"password_hash": hash_password(password), "failed_logins": 0,
                                           "locked_until": None, "sessions_after": utcnow()}),
              by, reason=f"password set by {by.name}")


def update_user(con: duckdb.DuckDBPyConnection, email: str, by: Actor, **changes: object) -> User:
    """Change an account's role, country, name or active flag (validated like a new account)."""
    user = _existing(con, email)
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
    """Check a password. Wrong passwords are counted; too many in a row lock the account for a while."""
    now = now or utcnow()
    policy = policy or Policy.from_settings()
    user = get_user(con, email) if email.strip() else None
    if user is None or not user.active or user.password_hash is None:
        _verify(_DUMMY_HASH, password)
        raise SignInRefused("The email or the password is wrong.")
    if user.locked_until and user.locked_until > now:
        minutes = max(1, round((user.locked_until - now).total_seconds() / 60))
        raise SignInRefused(f"This account is locked after {policy.max_failed} wrong passwords. "
                            f"Try again in {minutes} minute(s), or ask an admin to reset the password.")
    if not _verify(user.password_hash, password):
        raise SignInRefused(_count_failure(con, user.email, now, policy))
    if user.failed_logins or user.locked_until:
        user = user.model_copy(update={"failed_logins": 0, "locked_until": None})
        save_user(con, user, SYSTEM, reason="signed in")
    return user


def _count_failure(con: duckdb.DuckDBPyConnection, email: str, now: dt.datetime, policy: Policy) -> str:
    """Count a wrong password (retrying when parallel attempts collide) and say what happens next."""
    for _attempt in range(10):
        user = _existing(con, email)
        failed = user.failed_logins + 1
        locked = failed >= policy.max_failed
        changed = user.model_copy(update={"failed_logins": 0 if locked else failed,
                                          "locked_until": now + policy.lockout if locked else None})
        try:
            write_rows(con, [changed], SYSTEM, reason="sign-in failed",
                       expected={user.key(): user.model_dump(mode="json")})
        except WriteConflict:
            continue
        if locked:
            return (f"Wrong password {policy.max_failed} times: the account is locked for "
                    f"{round(policy.lockout.total_seconds() / 60)} minutes.")
        return (f"The email or the password is wrong. {policy.max_failed - failed} attempt(s) left before "
                "the account is locked.")
    return "The email or the password is wrong."


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
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
