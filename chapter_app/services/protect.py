"""Password protection of files that travel (exchange packages, backups on a USB stick).

AES-256-GCM (``cryptography``) with a key derived from the password by scrypt. The data is
encrypted in chunks of 1 MiB, each with its own nonce (a random prefix, the chunk's number
and a "last chunk" flag) and the header as associated data, so a file of any size is
handled in constant memory and a truncated, extended, reordered or edited file is refused.

Layout::

    magic "CTDAES1\\0" | version | log2(N) | r | p | salt (16) | check (8) | nonce prefix (7)
    | chunk size (4) | chunk 0 + tag | chunk 1 + tag | ...

``check`` is derived with the key: a wrong password is told apart from a damaged file and
refused before anything is decrypted. Passwords are NFC-normalised (the same Vietnamese
password typed with different input methods gives the same key).
"""

from __future__ import annotations

import hmac
import io
import os
import stat
import struct
import unicodedata
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from chapter_app.errors import AppError, WrongPasswordError

MAGIC = b"CTDAES1\x00"
VERSION = 1
SCRYPT_LOG2_N = 15  # N = 32768, r = 8: 32 MiB of memory, about 0.1 s
SCRYPT_R = 8
SCRYPT_P = 1
CHUNK_SIZE = 1 << 20
# What a header may ask for: the program's own parameters, with room to raise them once.
# Anything beyond (log2 N = 20, r = 32 ran for minutes at 4 GB) is refused unread: at most
# 128 * 2^17 * 8 bytes = 128 MiB and about a second of work per password tried.
LOG2_N_RANGE = (14, 17)
R_RANGE = (8, 8)
P_RANGE = (1, 2)
CHUNK_RANGE = (1, 1 << 22)
TAG_SIZE = 16
_HEADER = struct.Struct(">8sBBBB16s8s7sI")
HEADER_SIZE = _HEADER.size

MSG_WRONG_PASSWORD = "Mật khẩu không đúng."
MSG_DAMAGED = "Tệp đã khóa bằng mật khẩu bị hỏng, bị cắt cụt hoặc đã bị sửa đổi; không mở được."
MSG_NOT_ENCRYPTED = "Tệp không được khóa bằng mật khẩu của chương trình."
MSG_EMPTY_PASSWORD = "Mật khẩu không được để trống."
MSG_NEWER = "Tệp được khóa bằng phiên bản mới hơn của chương trình; hãy cập nhật chương trình."


class ProtectedFileError(AppError):
    """A password-protected file is damaged, truncated, changed, or not one of ours."""


def normalise_password(password: str) -> str:
    """The password as the key is derived from it (NFC); an empty one is refused."""
    if password is None or password == "":
        raise AppError(MSG_EMPTY_PASSWORD)
    return unicodedata.normalize("NFC", password)


MAX_PASSWORD_FILE = 64 << 10


def read_password_file(path: Path | str) -> str:
    """A password kept in a text file (UTF-8, at most 64 KiB): the first line, without its
    line break. Only a regular file is read: a pipe, a device (``/dev/zero``) or a directory
    is refused without blocking or reading it, and at most 64 KiB is ever read."""
    from chapter_app.i18n import _

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError as exc:
        raise AppError(f"Không tìm thấy tệp mật khẩu «{path}».") from exc
    except OSError as exc:  # no permission, a name too long… (a directory: fstat below)
        raise _unreadable(path, exc) from exc
    try:
        status = os.fstat(fd)
        kind = status.st_mode
        if stat.S_ISDIR(kind):
            raise AppError(f"«{path}» là một thư mục, không phải tệp mật khẩu.")
        if not stat.S_ISREG(kind):
            raise AppError(
                _(
                    "«{path}» không phải tệp thường (là ống dẫn, thiết bị hay ổ cắm): "
                    "hãy ghi mật khẩu vào một tệp văn bản rồi chỉ tới tệp đó."
                ).format(path=path)
            )
        too_big = status.st_size > MAX_PASSWORD_FILE
        data = b"" if too_big else _read_at_most(fd, MAX_PASSWORD_FILE + 1)
    except OSError as exc:  # a disk that fails…
        raise _unreadable(path, exc) from exc
    finally:
        os.close(fd)
    if too_big or len(data) > MAX_PASSWORD_FILE:
        raise AppError(f"Tệp mật khẩu «{path}» quá lớn (hơn 64 KiB): đó không phải tệp mật khẩu.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AppError(f"Tệp mật khẩu «{path}» không phải văn bản UTF-8.") from exc
    return normalise_password(text.splitlines()[0] if text else "")


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    while limit > 0 and (chunk := os.read(fd, limit)):
        chunks.append(chunk)
        limit -= len(chunk)
    return b"".join(chunks)


def _unreadable(path: Path | str, exc: OSError) -> AppError:
    return AppError(
        f"Không đọc được tệp mật khẩu «{path}» ({exc.strerror or exc}). Hãy kiểm tra tên "
        "tệp và quyền đọc, rồi chạy lại."
    )


def kdf_parameters_allowed(log2_n: int, r: int, p: int, chunk_size: int) -> bool:
    """True when a header's scrypt cost and chunk size are within the program's bounds."""
    return (
        LOG2_N_RANGE[0] <= log2_n <= LOG2_N_RANGE[1]
        and R_RANGE[0] <= r <= R_RANGE[1]
        and P_RANGE[0] <= p <= P_RANGE[1]
        and CHUNK_RANGE[0] <= chunk_size <= CHUNK_RANGE[1]
    )


def _derive(password: str, salt: bytes, log2_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    material = Scrypt(salt=salt, length=40, n=1 << log2_n, r=r, p=p).derive(
        normalise_password(password).encode("utf-8")
    )
    return material[:32], material[32:]


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


def is_protected(data: bytes) -> bool:
    """True when ``data`` starts like a file written by :func:`encrypt_stream`."""
    return data[: len(MAGIC)] == MAGIC


def encrypt_stream(source: BinaryIO, dest: BinaryIO, password: str) -> None:
    """Encrypt everything read from ``source`` into ``dest``."""
    salt, prefix = os.urandom(16), os.urandom(7)
    key, check = _derive(password, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)
    header = _HEADER.pack(
        MAGIC, VERSION, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, salt, check, prefix, CHUNK_SIZE
    )
    dest.write(header)
    aead = AESGCM(key)
    counter = 0
    chunk = source.read(CHUNK_SIZE)
    while True:
        following = source.read(CHUNK_SIZE)
        last = not following
        dest.write(aead.encrypt(_nonce(prefix, counter, last), chunk, header))
        if last:
            return
        counter += 1
        chunk = following


def decrypt_stream(source: BinaryIO, dest: BinaryIO, password: str) -> None:
    """Decrypt a file written by :func:`encrypt_stream` into ``dest``.

    Raises ``WrongPasswordError`` for a wrong password and ``ProtectedFileError`` when the
    file is not ours, damaged, truncated or changed (``dest`` may then hold a part of the
    data: write to a temporary file and keep it only on success, as :func:`decrypt_file`).
    """
    header = source.read(HEADER_SIZE)
    if len(header) < len(MAGIC) or not is_protected(header):
        raise ProtectedFileError(MSG_NOT_ENCRYPTED)
    if len(header) < HEADER_SIZE:
        raise ProtectedFileError(MSG_DAMAGED)
    _magic, version, log2_n, r, p, salt, check, prefix, chunk_size = _HEADER.unpack(header)
    if version > VERSION:
        raise ProtectedFileError(MSG_NEWER)
    if not kdf_parameters_allowed(log2_n, r, p, chunk_size):
        raise ProtectedFileError(MSG_DAMAGED)
    key, expected = _derive(password, salt, log2_n, r, p)
    if not hmac.compare_digest(check, expected):
        raise WrongPasswordError(MSG_WRONG_PASSWORD)
    aead = AESGCM(key)
    counter = 0
    sealed = source.read(chunk_size + TAG_SIZE)
    while True:
        if len(sealed) < TAG_SIZE:
            raise ProtectedFileError(MSG_DAMAGED)
        following = source.read(chunk_size + TAG_SIZE)
        last = not following
        try:
            dest.write(aead.decrypt(_nonce(prefix, counter, last), sealed, header))
        except InvalidTag:
            raise ProtectedFileError(MSG_DAMAGED) from None
        if last:
            return
        counter += 1
        sealed = following


def encrypt_bytes(data: bytes, password: str) -> bytes:
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(data), out, password)
    return out.getvalue()


def decrypt_bytes(blob: bytes, password: str) -> bytes:
    out = io.BytesIO()
    decrypt_stream(io.BytesIO(blob), out, password)
    return out.getvalue()


def _write_beside(dest: Path, write) -> Path:
    """``write(stream)`` into ``dest``, whole or not at all, synced to disk."""
    from chapter_app.store.files import write_whole

    def fill(partial: Path) -> None:
        with open(partial, "wb") as out:
            write(out)

    return write_whole(dest, fill, sync=True)


def encrypt_file(source: Path | str, dest: Path | str, password: str) -> Path:
    """Encrypt the file ``source`` to ``dest`` (written beside, then renamed)."""
    password = normalise_password(password)
    with open(source, "rb") as src:
        return _write_beside(Path(dest), lambda out: encrypt_stream(src, out, password))


def decrypt_file(source: Path | str, dest: Path | str, password: str) -> Path:
    """Decrypt ``source`` to ``dest``; on any error nothing is left at ``dest``."""
    password = normalise_password(password)
    with open(source, "rb") as src:
        return _write_beside(Path(dest), lambda out: decrypt_stream(src, out, password))
