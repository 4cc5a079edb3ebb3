"""Password hashing with Argon2id (OWASP ASVS 5.0: t>=2, m>=19 MiB, p=1)."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 10


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
        type=Type.ID,
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists (no user enumeration)."""
    hasher = _hasher()
    if not stored_hash:
        # Spend the same effort as a real check, then fail.
        hasher.hash(password)
        return False
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


def password_problems(password: str, username: str = "") -> list[str]:
    """What is wrong with a new password, in the user's language."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(str(_l("Kata sandi minimal %(n)d karakter.", n=MIN_LENGTH)))
    if username and username.lower() in password.lower():
        problems.append(str(_l("Kata sandi tidak boleh memuat nama pengguna.")))
    if password.isdigit() or password.isalpha():
        problems.append(str(_l("Kata sandi harus memuat huruf dan angka atau simbol.")))
    return problems
