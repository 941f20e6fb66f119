"""Password protection (AES-256-GCM, scrypt) of packages and backups."""

from __future__ import annotations

import os
import unicodedata

import pytest

from chapter_app.errors import WrongPasswordError
from chapter_app.services import protect


def test_bytes_round_trip_and_the_ciphertext_hides_the_data():
    data = "Nguyễn Văn An, 051058001234".encode() * 50
    sealed = protect.encrypt_bytes(data, "mật khẩu")
    assert protect.is_protected(sealed)
    assert b"051058001234" not in sealed
    assert protect.decrypt_bytes(sealed, "mật khẩu") == data
    assert protect.encrypt_bytes(data, "mật khẩu") != sealed  # a fresh salt and nonce each time


def test_a_wrong_password_is_refused_with_a_clear_message():
    sealed = protect.encrypt_bytes(b"so lieu", "dung")
    with pytest.raises(WrongPasswordError, match="Mật khẩu không đúng"):
        protect.decrypt_bytes(sealed, "sai")


def test_the_same_password_typed_composed_or_decomposed_opens_the_file():
    sealed = protect.encrypt_bytes(b"x", unicodedata.normalize("NFD", "Hội Chữ thập đỏ"))
    assert protect.decrypt_bytes(sealed, unicodedata.normalize("NFC", "Hội Chữ thập đỏ")) == b"x"


@pytest.mark.parametrize("size", [0, 1, 100, 3 * 1024 + 7])
def test_files_of_several_chunks_round_trip(tmp_path, monkeypatch, size):
    monkeypatch.setattr(protect, "CHUNK_SIZE", 1024)
    source = tmp_path / "a.db"
    source.write_bytes(os.urandom(size))
    protect.encrypt_file(source, tmp_path / "a.enc", "pw")
    protect.decrypt_file(tmp_path / "a.enc", tmp_path / "b.db", "pw")
    assert (tmp_path / "b.db").read_bytes() == source.read_bytes()


def _sealed_in_chunks(monkeypatch) -> bytes:
    monkeypatch.setattr(protect, "CHUNK_SIZE", 64)
    return protect.encrypt_bytes(bytes(range(256)) * 2, "pw")


def test_a_truncated_file_is_refused(monkeypatch):
    sealed = _sealed_in_chunks(monkeypatch)
    chunk = 64 + protect.TAG_SIZE
    for cut in (protect.HEADER_SIZE + chunk, protect.HEADER_SIZE + 2 * chunk, len(sealed) - 1):
        with pytest.raises(protect.ProtectedFileError, match="cắt cụt"):
            protect.decrypt_bytes(sealed[:cut], "pw")


def test_an_edited_extended_or_reordered_file_is_refused(monkeypatch):
    sealed = bytearray(_sealed_in_chunks(monkeypatch))
    flipped = bytes(sealed[:-5]) + bytes([sealed[-5] ^ 1]) + bytes(sealed[-4:])
    with pytest.raises(protect.ProtectedFileError):
        protect.decrypt_bytes(flipped, "pw")
    with pytest.raises(protect.ProtectedFileError):
        protect.decrypt_bytes(bytes(sealed) + b"extra bytes beyond the last chunk....", "pw")
    chunk = 64 + protect.TAG_SIZE
    head = protect.HEADER_SIZE
    swapped = (
        bytes(sealed[:head])
        + bytes(sealed[head + chunk : head + 2 * chunk])
        + bytes(sealed[head : head + chunk])
        + bytes(sealed[head + 2 * chunk :])
    )
    with pytest.raises(protect.ProtectedFileError):
        protect.decrypt_bytes(swapped, "pw")


def test_a_failed_decryption_leaves_no_file(tmp_path):
    (tmp_path / "a").write_bytes(b"data")
    protect.encrypt_file(tmp_path / "a", tmp_path / "a.enc", "pw")
    with pytest.raises(WrongPasswordError):
        protect.decrypt_file(tmp_path / "a.enc", tmp_path / "out", "other")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "a.enc"]


def test_a_file_that_is_not_protected_is_told_apart():
    with pytest.raises(protect.ProtectedFileError, match="không được khóa"):
        protect.decrypt_bytes(b"PK\x03\x04 a plain zip", "pw")


def test_an_empty_password_is_refused(tmp_path):
    from chapter_app.errors import AppError

    with pytest.raises(AppError, match="trống"):
        protect.encrypt_bytes(b"x", "")
    (tmp_path / "pw.txt").write_text("bí mật\n", encoding="utf-8")
    assert protect.read_password_file(tmp_path / "pw.txt") == "bí mật"


@pytest.mark.parametrize(
    "content,match",
    [
        (b"\xef\xbb\xbfb\xc3\xad m\xe1\xba\xadt\r\nrest", None),  # BOM, CRLF: first line only
        (b"\n\nsecond", "trống"),
        (b"\xff\xfe\x00", "UTF-8"),
        (b"a" * (65 << 10), "quá lớn"),
    ],
    ids=["bom-crlf", "blank-first-line", "binary", "huge"],
)
def test_password_files_are_read_within_bounds(tmp_path, content, match):
    from chapter_app.errors import AppError

    path = tmp_path / "pw.txt"
    path.write_bytes(content)
    if match is None:
        assert protect.read_password_file(path) == "bí mật"
    else:
        with pytest.raises(AppError, match=match):
            protect.read_password_file(path)
    with pytest.raises(AppError, match="thư mục"):
        protect.read_password_file(tmp_path)


def test_a_password_file_that_cannot_be_read_gives_a_message(tmp_path):
    from chapter_app.errors import AppError

    too_long = tmp_path / ("x" * 300)  # a name longer than the system allows
    with pytest.raises(AppError, match="Không đọc được tệp mật khẩu"):
        protect.read_password_file(too_long)
