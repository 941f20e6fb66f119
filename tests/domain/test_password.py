"""The program password: salted scrypt hash, constant-time check, lock after idle time."""

from __future__ import annotations

import base64
import hashlib
import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chapter_app.domain.password import (
    SCRYPT_N,
    IdleLock,
    PasswordPolicyError,
    check_new_password,
    hash_password,
    verify_password,
)


def test_stored_form_names_scrypt_and_its_parameters():
    stored = hash_password("bí mật 2026")
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert len(base64.b64decode(salt)) == 16
    assert len(base64.b64decode(digest)) == 32


def test_the_hash_is_scrypt_of_the_password_and_salt():
    salt = bytes(range(16))
    stored = hash_password("bí mật", salt=salt)
    expected = hashlib.scrypt("bí mật".encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    assert stored.split("$")[5] == base64.b64encode(expected).decode()


def test_each_hash_has_its_own_salt():
    assert hash_password("giống nhau") != hash_password("giống nhau")


def test_right_password_accepted_wrong_ones_refused():
    stored = hash_password("Hội CTĐ 2026")
    assert verify_password("Hội CTĐ 2026", stored)
    for wrong in ("hội ctđ 2026", "Hội CTĐ 2026 ", "Hoi CTD 2026", "", "Hội CTĐ 202"):
        assert not verify_password(wrong, stored)


def test_composed_and_decomposed_typing_of_the_same_password_match():
    stored = hash_password(unicodedata.normalize("NFD", "Mật khẩu"))
    assert verify_password(unicodedata.normalize("NFC", "Mật khẩu"), stored)


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "plain text",
        "scrypt$16384$8$1$not base64!$AAAA",
        "md5$1$1$1$AAAA$AAAA",
        "scrypt$16384$8$1$$",
        f"scrypt${2**30}$8$1$AAAAAAAAAAAAAAAAAAAAAA==$" + "A" * 44,  # would take minutes
        "scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$" + "A" * 44,  # n not a power of two
    ],
)
def test_a_damaged_or_tampered_stored_hash_never_matches_and_never_hangs(stored):
    started = time.monotonic()
    assert not verify_password("anything", stored)
    assert time.monotonic() - started < 5


@settings(max_examples=60, deadline=None, derandomize=True)
@given(password=st.text(max_size=50), stored=st.text(max_size=120))
def test_checking_anything_against_anything_never_raises(password, stored):
    assert verify_password(password, stored) in (True, False)


@pytest.mark.parametrize("bad", ["", "   ", "abc", "x" * 1025, None])
def test_new_password_policy(bad):
    with pytest.raises(PasswordPolicyError) as caught:
        check_new_password(bad)
    assert caught.value.message
    with pytest.raises(PasswordPolicyError):
        hash_password(bad)


def test_scrypt_cost_is_the_documented_one():
    assert SCRYPT_N == 2**14


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_idle_lock_locks_after_the_minutes_without_use():
    clock = FakeClock()
    idle = IdleLock(15, clock=clock)
    clock.now += 14 * 60
    assert not idle.should_lock()
    idle.touch()  # a key press
    clock.now += 14 * 60
    assert not idle.should_lock()
    clock.now += 60
    assert idle.should_lock()
    idle.touch()  # typing on a locked program does not unlock it
    assert idle.should_lock()
    idle.unlock()
    assert not idle.should_lock()


def test_idle_lock_of_zero_minutes_never_locks():
    clock = FakeClock()
    idle = IdleLock(0, clock=clock)
    clock.now += 10**6
    assert not idle.should_lock()
