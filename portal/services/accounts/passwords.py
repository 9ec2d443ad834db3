"""Passwords: the rules of NIST SP 800-63B (section 3.1.1.2) and argon2id hashes.

The rules: at least 12 characters (the organisation's choice above NIST's 8), up to
256, no composition rules (no "one capital, one digit"), and no password that is
common, or made from the person's own name or email address.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

MIN_LENGTH = 12
MAX_LENGTH = 256
COMMON_PASSWORDS = Path(__file__).resolve().parents[2] / "data" / "common_passwords.txt"

TOO_SHORT = f"Enter a password of at least {MIN_LENGTH} characters"
TOO_LONG = f"Password must be {MAX_LENGTH} characters or fewer"
TOO_COMMON = "Enter a password that is harder to guess. This one is too common"
TOO_PERSONAL = "Enter a password that does not include your name or email address"


@lru_cache(maxsize=2)
def _hasher(cheap: bool) -> PasswordHasher:
    # argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile: 64 MiB, 3
    # passes). Tests ask for cheap parameters so that hundreds of sign-ins stay fast.
    if cheap:
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


def hasher() -> PasswordHasher:
    return _hasher(bool(current_app.config.get("PASSWORD_HASH_CHEAP")))


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """Check a password against its hash. With no hash (an unknown email address, or an
    account not yet set up) a dummy hash is checked instead, so that the time taken does
    not tell anyone whether the address has an account."""
    target = password_hash or _dummy_hash(bool(current_app.config.get("PASSWORD_HASH_CHEAP")))
    try:
        ok = hasher().verify(target, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return ok and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)


@lru_cache(maxsize=2)
def _dummy_hash(cheap: bool) -> str:
    return _hasher(cheap).hash("not a password anyone has")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def problem(password: str, email: str = "", name: str = "") -> str | None:
    """The first reason to refuse a new password, worded for the person; None if it is fine."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    folded = password.lower()
    if folded in common_passwords() or len(set(folded)) <= 2 or _is_run(folded):
        return TOO_COMMON
    if any(part in folded for part in _personal_parts(email, name)):
        return TOO_PERSONAL
    return None


def _is_run(text: str) -> bool:
    """A run of consecutive characters, like 123456789012 or abcdefghijkl."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:])}
    return len(steps) == 1 and steps <= {1, -1}


def _personal_parts(email: str, name: str) -> set[str]:
    local = email.lower().partition("@")[0]
    parts = set(re.split(r"[^a-z0-9]+", local)) | set(re.split(r"[^a-z0-9]+", name.lower()))
    if len(local) >= 4:
        parts.add(local)
    # Short parts ("jo", "li") would refuse too many good passwords by chance.
    return {p for p in parts if len(p) >= 4}
