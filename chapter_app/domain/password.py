"""The optional program password: a salted, slow scrypt hash, and locking after idle time.

The stored form is ``scrypt$<n>$<r>$<p>$<salt, base64>$<hash, base64>``, so the cost
parameters can be raised later without breaking passwords already set. Standard library
only (``hashlib.scrypt``); comparison in constant time (``hmac.compare_digest``).
"""

from __future__ import annotations

import base64
import binascii
import os
import time
import unicodedata
from collections.abc import Callable

SCHEME = "scrypt"
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_LENGTH = 4
MAX_LENGTH = 1024
# Refuse stored parameters that would make a check take minutes (a tampered setting).
_MAX_N = 2**17  # 128 MiB at r = 8: the bound the package and backup locks use too


class PasswordPolicyError(ValueError):
    """A new password is not acceptable; ``message`` is Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _normalise(password: str) -> bytes:
    # The same word typed with a composed or decomposed keyboard must match.
    return unicodedata.normalize("NFC", password).encode("utf-8")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, dklen: int = HASH_BYTES) -> bytes:
    import hashlib  # here: loading OpenSSL's digests is not needed to start the program

    return hashlib.scrypt(
        _normalise(password),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=max(64 * 1024 * 1024, 256 * n * r),
        dklen=dklen,
    )


def check_new_password(password: str) -> None:
    """Raise ``PasswordPolicyError`` for a password too short, too long or blank."""
    if not isinstance(password, str) or not password.strip():
        raise PasswordPolicyError("Mật khẩu không được để trống.")
    if len(password) < MIN_LENGTH:
        raise PasswordPolicyError(f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự.")
    if len(password) > MAX_LENGTH:
        raise PasswordPolicyError(f"Mật khẩu không được dài quá {MAX_LENGTH} ký tự.")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """The stored form of ``password`` with a new random salt (or the given one)."""
    check_new_password(password)
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    b64 = base64.b64encode
    return (
        f"{SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}$"
        f"{b64(salt).decode('ascii')}${b64(digest).decode('ascii')}"
    )


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored``; False for anything else (never raises)."""
    if not isinstance(password, str) or not isinstance(stored, str):
        return False
    if len(password) > MAX_LENGTH:
        return False
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return False
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return False
    if not (2**10 <= n <= _MAX_N and n & (n - 1) == 0 and 1 <= r <= 8 and 1 <= p <= 2):
        return False
    if not salt or not 16 <= len(expected) <= 128:
        return False
    try:
        digest = _scrypt(password, salt, n, r, p, dklen=len(expected))
    except (ValueError, MemoryError):
        return False
    import hmac

    return hmac.compare_digest(digest, expected)


class IdleLock:
    """Decides when the program locks itself after ``minutes`` without use (0 = never).

    The UI calls ``touch()`` on every key press or click and asks ``should_lock()`` from a
    timer; ``clock`` is injectable for tests (seconds, monotonic).
    """

    def __init__(self, minutes: float, *, clock: Callable[[], float] = time.monotonic):
        self.minutes = max(0.0, float(minutes))
        self._clock = clock
        self._last = clock()
        self.locked = False

    def touch(self) -> None:
        if not self.locked:
            self._last = self._clock()

    def should_lock(self) -> bool:
        """True (and from then on locked) once idle time reaches the limit."""
        if self.locked:
            return True
        if self.minutes > 0 and self._clock() - self._last >= self.minutes * 60:
            self.locked = True
        return self.locked

    def unlock(self) -> None:
        """Call after the right password was typed again."""
        self.locked = False
        self._last = self._clock()
