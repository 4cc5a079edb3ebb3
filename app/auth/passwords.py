"""Password hashing with Argon2id (OWASP ASVS 5.0: t>=2, m>=19 MiB, p=1) and
the rules a new password must pass.

Common and breached passwords are refused with zxcvbn (its frequency lists of
leaked passwords, words, names and keyboard patterns ship with the package:
nothing is fetched at run time). A password zxcvbn scores below
``MIN_STRENGTH`` (about 10^8 guesses) is refused: ``Password123``,
``qwertyuiop1``, ``!!!!!!!!!!`` and the like. See docs/operations.md.
"""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 10
MIN_STRENGTH = 3  # zxcvbn's score, 0-4: 3 is "safely unguessable" (>= 10^8 guesses)
# zxcvbn's cost grows with the length; a password this long is judged by its start.
STRENGTH_CHECKED_LENGTH = 100
# Words an attacker would try first for this application, beside the username.
CONTEXT_WORDS = ("kinerja", "skp", "asn", "pns", "bkpsdm", "pemda", "admin", "operator")


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


def password_problems(password: str, username: str = "", context: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with a new password, in the user's language.

    ``context`` names words of the account's world (the tenant's name) that
    count as easy to guess, beside the username."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(str(_l("Kata sandi minimal %(n)d karakter.", n=MIN_LENGTH)))
    if any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in password):
        problems.append(str(_l("Kata sandi tidak boleh memuat karakter kontrol.")))
    if username and username.lower() in password.lower():
        problems.append(str(_l("Kata sandi tidak boleh memuat nama pengguna.")))
    if password.isdigit() or password.isalpha():
        problems.append(str(_l("Kata sandi harus memuat huruf dan angka atau simbol.")))
    if not problems and is_common(password, (username, *context)):
        problems.append(str(_l("Kata sandi ini terlalu umum atau mudah ditebak (ada dalam daftar kata sandi "
                               "yang bocor atau berpola sederhana). Pilih kata sandi lain yang lebih panjang.")))
    return problems


def is_common(password: str, user_inputs: tuple[str, ...] = ()) -> bool:
    """A common, breached or patterned password (zxcvbn score below ``MIN_STRENGTH``)."""
    # Imported here: its frequency lists cost start-up time and memory; only setting a password needs them.
    from zxcvbn import zxcvbn

    words = [w for w in (*CONTEXT_WORDS, *user_inputs) if w]
    sample = password[:STRENGTH_CHECKED_LENGTH]
    result = zxcvbn(sample, user_inputs=words, max_length=STRENGTH_CHECKED_LENGTH)
    return result["score"] < MIN_STRENGTH
