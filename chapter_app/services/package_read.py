"""Reading a package: bounded, streamed and checked before anything is kept.

``PackageFile(path, password=...)`` opens a ``.ctdpkg`` (a protected one is decrypted into
a temporary file, in chunks) and ``verify()`` checks it whole without holding any part in
memory: the zip directory first (how many entries, their sizes and their sum, before one
byte is inflated), then the manifest and the figures against their schemas, then every
part inflated in 1 MiB pieces, counted, its frame checked, and hashed against the manifest:
as stored in the zip when the manifest names that hash (format 2), else inflated. The upper
level keeps each part as it lies in the zip (compressed, as the chapter made it), or, for a
part of at most ``REPACK_MAX_SIZE`` bytes inflated, re-encoded at zstd level 1 in the same
pass when that is smaller (``KeptPart``): its register grows by less than the packages' size.

Limits (README, "Gói số liệu"): a package file of at most 256 MiB, at most 32 entries,
1 GiB uncompressed in all, each part within ``package_schema.part_size_limit``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from chapter_app.errors import WrongPasswordError
from chapter_app.services import protect
from chapter_app.services.package_schema import (
    PackageError,
    PasswordRequiredError,
    check_envelope,
    check_format,
    check_manifest,
    check_stats,
    content_hash,
    damaged,
    malformed,
    part_size_limit,
    records_level,
)

try:  # ISA-L inflates DEFLATE streams about twice as fast as zlib (100 packages: 3 GB)
    from isal import isal_zlib as _inflater
except ImportError:  # pragma: no cover - a platform without its wheel
    _inflater = zlib
_INFLATE_ERRORS = tuple({zlib.error, _inflater.error})

MAX_FILE_SIZE = 256 << 20
MAX_ENTRIES = 32
MAX_TOTAL_SIZE = 1 << 30
MAX_MANIFEST_SIZE = 256 << 10
MAX_ENVELOPE_SIZE = 4 << 10
PIECE = 1 << 20
OUT_PIECE = 8 << 20  # inflated bytes at a time (bounded memory, few calls)
# ... when they go on to the zstd encoder: read again while still in the cache (a fifth
# less CPU to check and re-encode records than with OUT_PIECE)
REPACK_PIECE = 1 << 20
EDGE = 64  # bytes kept from both ends of every part (to check its frame)
KEEP_RAW = 8 << 20  # compressed parts up to this size are kept in memory once checked
KEPT = "kept"  # StoredPart.raw_sha256 of a part whose checked bytes were kept
# Parts up to this size inflated are re-encoded (zstd level 1) while checked, and kept so
# when smaller than in the package; larger ones are kept as they came (a bound on the time).
REPACK_MAX_SIZE = 4 << 20
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile.structFileHeader
_EOCD = b"PK\x05\x06"
# What zipfile and zlib raise on a damaged or hostile zip (zipfile raises NotImplementedError
# for a "version needed" it does not know, struct.error for short records).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    EOFError,
    OSError,
    ValueError,
    KeyError,
    struct.error,
    *_INFLATE_ERRORS,
)


def _not_a_package(name: str) -> PackageError:
    return PackageError(
        f"Tệp «{name}» không phải gói dữ liệu (.ctdpkg) đọc được: tệp bị hỏng, bị cắt cụt "
        "hoặc không phải gói của chương trình. Không nhận tệp này."
    )


def _too_big(name: str, what: str) -> PackageError:
    return PackageError(
        f"Gói «{name}» quá lớn ({what}); gói số liệu của một Hội cơ sở không lớn như vậy. "
        "Không nhận gói này."
    )


@dataclass(frozen=True)
class StoredPart:
    """A verified part: its name, SHA-256 and size (uncompressed), and where its bytes lie."""

    name: str
    sha256: str
    size: int
    encoding: str  # "deflate" (raw DEFLATE stream) or "plain"
    offset: int  # of the compressed bytes in the (plain) zip
    length: int  # compressed length
    raw_sha256: str  # of the compressed bytes, to find a file changed after the check


@dataclass(frozen=True)
class KeptPart:
    """A checked part's bytes kept to be written: as in the zip (the part's own encoding)
    or re-encoded (``zstd``) from the very bytes checked."""

    encoding: str
    content: bytes


@dataclass(frozen=True)
class VerifiedPackage:
    """A package that passed every check (``PackageFile.verify``)."""

    file_name: str
    manifest: dict[str, Any]
    stats: dict[str, Any]
    stored: tuple[StoredPart, ...]
    content_sha256: str
    protected: bool
    source: Path | None = None
    password: str | None = None

    @property
    def chapter_name(self) -> str:
        return self.manifest["chapter"]["name"]

    @property
    def chapter_uuid(self) -> str:
        return self.manifest["chapter"]["uuid"]

    @property
    def period_code(self) -> str:
        return self.manifest["period"]["code"]

    @property
    def created_at(self) -> str:
        return self.manifest["created_at"]

    @property
    def personal_data(self) -> str | None:
        return records_level(self.manifest)

    @property
    def parts(self) -> Mapping[str, bytes]:
        """Each part's bytes, read again from the file on demand (small packages, tests)."""
        return _LazyParts(self)


class _LazyParts(Mapping[str, bytes]):
    def __init__(self, package: VerifiedPackage):
        self._package = package
        self._names = [p.name for p in package.stored]

    def __getitem__(self, key: str) -> bytes:
        if key not in self._names or self._package.source is None:
            raise KeyError(key)
        with PackageFile(self._package.source, password=self._package.password) as reader:
            part = next(p for p in self._package.stored if p.name == key)
            return inflate(reader.raw(part), part.encoding)

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def inflate(data: bytes, encoding: str) -> bytes:
    """A stored part's bytes as the chapter wrote them."""
    if encoding == "plain":
        return bytes(data)
    return _inflater.decompress(bytes(data), -15)


def _entry_count(handle: IO[bytes], size: int, name: str) -> int:
    """Entries declared by the end-of-directory record (read before zipfile reads them)."""
    tail_size = min(size, 22 + 0xFFFF)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise _not_a_package(name)
    (entries,) = struct.unpack("<H", tail[at + 10 : at + 12])
    return entries


class PackageFile:
    """One package file open for checking and storing; use as a context manager."""

    def __init__(self, path: Path | str, *, password: str | None = None):
        self.path = Path(path)
        self.name = self.path.name
        self.password = password
        self.protected = False
        self._handles: list[IO[bytes]] = []
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> PackageFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        while self._handles:
            handle = self._handles.pop()
            with contextlib.suppress(OSError):
                handle.close()

    # --- opening ---------------------------------------------------------------------------

    def _open(self) -> None:
        try:
            handle = open(self.path, "rb", buffering=0)  # noqa: SIM115 - closed by close()
        except FileNotFoundError:
            raise PackageError(f"Không tìm thấy tệp «{self.path}».") from None
        except IsADirectoryError:
            raise PackageError(f"«{self.path}» là một thư mục, không phải gói dữ liệu.") from None
        except OSError as exc:
            raise PackageError(f"Không đọc được tệp «{self.path}»: {exc.strerror}.") from None
        self._handles.append(handle)
        archive = self._zip(handle)
        if "package.enc" in archive.namelist():
            handle = self._decrypt(archive)
            archive = self._zip(handle)
            self.protected = True
        self.handle = handle
        self.archive = archive

    def _zip(self, handle: IO[bytes]) -> zipfile.ZipFile:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_FILE_SIZE:
            raise _too_big(self.name, f"{size:,} byte".replace(",", "."))
        if _entry_count(handle, size, self.name) > MAX_ENTRIES:
            raise malformed(self.name, "quá nhiều phần")
        handle.seek(0)
        try:
            archive = zipfile.ZipFile(handle)
        except _ZIP_ERRORS:
            raise _not_a_package(self.name) from None
        infos = archive.infolist()
        names = [i.filename for i in infos]
        if len(infos) > MAX_ENTRIES:
            raise malformed(self.name, "quá nhiều phần")
        if len(set(names)) != len(names):
            raise malformed(self.name, "có phần trùng tên")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise malformed(self.name, "phần bị mã hóa kiểu zip")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise malformed(self.name, "cách nén không được hỗ trợ")
            if info.compress_size > size:
                raise damaged(self.name, f"phần {info.filename} vượt quá cỡ tệp")
            total += info.file_size
        if total > MAX_TOTAL_SIZE:
            raise _too_big(self.name, f"{total:,} byte khi giải nén".replace(",", "."))
        return archive

    def _decrypt(self, outer: zipfile.ZipFile) -> IO[bytes]:
        names = set(outer.namelist())
        if names != {"envelope.json", "package.enc"}:
            raise malformed(self.name, "gói đã khóa có phần lạ")
        envelope = _json(
            self._small(outer, "envelope.json", MAX_ENVELOPE_SIZE), "envelope.json", self.name
        )
        check_envelope(envelope, self.name)
        if not self.password:
            raise PasswordRequiredError(
                f"Gói «{self.name}» được khóa bằng mật khẩu; hãy nhập mật khẩu để mở."
            )
        info = outer.getinfo("package.enc")
        plain = tempfile.TemporaryFile(prefix="chapter-pkg-")  # noqa: SIM115 - closed by close()
        self._handles.append(plain)
        try:
            with outer.open(info) as sealed:
                protect.decrypt_stream(
                    sealed, _Capped(plain, MAX_FILE_SIZE, self.name), self.password
                )
        except WrongPasswordError:
            raise WrongPasswordError(
                f"Mật khẩu không đúng: không mở được gói «{self.name}»."
            ) from None
        except protect.ProtectedFileError as exc:
            raise damaged(self.name, f"phần đã khóa không khớp: {exc.message}") from None
        except _ZIP_ERRORS:
            raise damaged(self.name, "không đọc được phần đã khóa") from None
        plain.flush()
        return plain

    def _small(self, archive: zipfile.ZipFile, member: str, limit: int) -> bytes:
        info = archive.getinfo(member)
        if info.file_size > limit:
            raise malformed(self.name, f"phần {member} quá lớn")
        try:
            with archive.open(info) as stream:
                data = stream.read(limit + 1)
        except _ZIP_ERRORS:
            raise damaged(self.name, f"không đọc được phần {member}") from None
        if len(data) > limit:
            raise malformed(self.name, f"phần {member} quá lớn")
        return data

    # --- checking --------------------------------------------------------------------------

    def verify(self) -> VerifiedPackage:
        """Check the package whole; ``PackageError`` (or ``WrongPasswordError``) says why not."""
        return self.verify_parts(self.verify_head())

    def verify_head(self) -> VerifiedPackage:
        """The quick part of ``verify``: the zip directory, the manifest and the figures
        (``stored`` holds only stats.json). ``verify_parts`` checks the rest."""
        archive, name = self.archive, self.name
        names = set(archive.namelist())
        if "manifest.json" not in names:
            raise damaged(name, "thiếu bản kê manifest.json")
        manifest = _json(
            self._small(archive, "manifest.json", MAX_MANIFEST_SIZE), "manifest.json", name
        )
        check_format(manifest, name)
        check_manifest(manifest, name)
        listed = {p["name"]: p for p in manifest["parts"]}
        missing = sorted(set(listed) - names)
        if missing:
            raise damaged(name, f"thiếu phần {', '.join(missing)}")
        extra = sorted(names - set(listed) - {"manifest.json"})
        if extra:
            raise PackageError(
                f"Gói «{name}» có phần lạ không có trong bản kê ({', '.join(extra[:3])}): gói đã "
                "bị sửa đổi sau khi tạo. Không nhận gói này."
            )
        for part_name, entry in listed.items():
            if archive.getinfo(part_name).file_size != entry["size"]:
                raise _mismatch(name, part_name)
        info = archive.getinfo("stats.json")
        part, content, _ends = self._check_part(info, listed["stats.json"], keep=True)
        stats = check_stats(_json(content, "stats.json", name), name)
        return VerifiedPackage(
            name,
            manifest,
            stats,
            (part,),
            content_hash(manifest),
            self.protected,
            self.path,
            self.password,
        )

    def verify_parts(
        self, head: VerifiedPackage, *, keep_raw: dict[str, KeptPart] | None = None
    ) -> VerifiedPackage:
        """Every part besides the figures of a package that passed ``verify_head``, inflated
        and hashed (the long part of the check); the package with all its parts.

        With ``keep_raw``, each part of up to ``KEEP_RAW`` compressed bytes is put there as
        it was checked (by part name, a ``KeptPart``: re-encoded when that is smaller, see
        ``REPACK_MAX_SIZE``), to be stored without reading the file again; ``raw()``
        refuses those parts."""
        stored = list(head.stored)
        for entry in head.manifest["parts"]:
            part_name = entry["name"]
            if part_name == "stats.json":
                continue
            part, _content, ends = self._check_part(
                self.archive.getinfo(part_name), entry, keep=False, keep_raw=keep_raw
            )
            stored.append(part)
            if part_name.startswith("records/"):
                self._check_records_shape(part, ends, records_level(head.manifest))
            elif part_name == "report.pdf" and not ends[0].startswith(b"%PDF"):
                raise malformed(self.name, "phần report.pdf không phải tệp PDF")
        stored.sort(key=lambda p: p.name)
        return dataclasses.replace(head, stored=tuple(stored))

    def _data_offset(self, info: zipfile.ZipInfo) -> int:
        self.handle.seek(info.header_offset)
        header = self.handle.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise damaged(self.name, f"không đọc được phần {info.filename}")
        fields = _LOCAL_HEADER.unpack(header)
        return info.header_offset + _LOCAL_HEADER.size + fields[10] + fields[11]

    def _raw_pieces(self, part: StoredPart) -> Iterator[bytes]:
        self.handle.seek(part.offset)
        left = part.length
        while left:
            piece = self.handle.read(min(PIECE, left))
            if not piece:
                raise damaged(self.name, f"phần {part.name} bị cắt cụt")
            left -= len(piece)
            yield piece

    def _check_part(
        self,
        info: zipfile.ZipInfo,
        entry: Mapping[str, Any],
        *,
        keep: bool,
        keep_raw: dict[str, KeptPart] | None = None,
    ) -> tuple[StoredPart, bytes, tuple[bytes, bytes]]:
        name, part_name = self.name, info.filename
        encoding = "deflate" if info.compress_type == zipfile.ZIP_DEFLATED else "plain"
        part = StoredPart(
            part_name,
            entry["sha256"],
            entry["size"],
            encoding,
            self._data_offset(info),
            info.compress_size,
            "",
        )
        limit = min(entry["size"], part_size_limit(part_name))
        # version 2 names the hash of the bytes as stored: those are hashed (an eighth of
        # the data), and inflating them only checks their bounds and frame
        zip_sha256 = entry.get("zip_sha256")
        digest = hashlib.sha256() if zip_sha256 is None else None
        raw_digest = hashlib.sha256()
        kept = bytearray()
        size = 0
        ends = [b"", b""]  # the first and the last EDGE bytes
        inflater = _inflater.decompressobj(-15) if encoding == "deflate" else None
        pieces: list[bytes] | None = None
        repack = None
        if keep_raw is not None and part.length <= KEEP_RAW:
            pieces = []  # the checked bytes themselves are kept: no digest to compare later
            if entry["size"] <= REPACK_MAX_SIZE:
                # receiving only: zstd is not loaded to open a register or read a package
                from chapter_app.store.part_codec import ZstdEncoder

                repack = ZstdEncoder(part.length)
        out_piece = OUT_PIECE if repack is None else REPACK_PIECE

        def take(data: bytes) -> None:
            nonlocal size
            if not data:
                return
            size += len(data)
            if size > limit:
                raise _mismatch(name, part_name)
            if digest is not None:
                digest.update(data)
            if len(ends[0]) < EDGE:
                ends[0] = (ends[0] + data[:EDGE])[:EDGE]
            ends[1] = (ends[1] + data[-EDGE:])[-EDGE:]
            if keep:
                kept.extend(data)
            if repack is not None:
                repack.feed(data)

        try:
            for piece in self._raw_pieces(part):
                if pieces is None or zip_sha256 is not None:
                    raw_digest.update(piece)
                if pieces is not None:
                    pieces.append(piece)
                if inflater is None:
                    take(piece)
                    continue
                data = piece
                while data:
                    take(inflater.decompress(data, out_piece))
                    data = inflater.unconsumed_tail
                    if inflater.eof:
                        break
            if inflater is not None:
                take(inflater.flush())
                if not inflater.eof or inflater.unused_data:
                    raise damaged(name, f"phần {part_name} bị cắt cụt")
        except _INFLATE_ERRORS:
            raise damaged(name, f"không giải nén được phần {part_name}") from None
        if size != entry["size"]:
            raise _mismatch(name, part_name)
        if digest is not None and digest.hexdigest() != entry["sha256"]:
            raise _mismatch(name, part_name)
        if zip_sha256 is not None and raw_digest.hexdigest() != zip_sha256:
            raise _mismatch(name, part_name)
        if pieces is not None:
            smaller = repack.result() if repack is not None else None
            keep_raw[part_name] = (
                KeptPart(encoding, b"".join(pieces))
                if smaller is None
                else KeptPart("zstd", smaller)
            )
        stored = StoredPart(
            part.name,
            part.sha256,
            part.size,
            encoding,
            part.offset,
            part.length,
            KEPT if pieces is not None else raw_digest.hexdigest(),
        )
        return stored, bytes(kept), (ends[0], ends[1])

    def _check_records_shape(
        self, part: StoredPart, ends: tuple[bytes, bytes], level: str | None
    ) -> None:
        """Records are kept as sent, never read at the upper level: their frame is checked
        (the canonical JSON the program writes), not every row."""
        table = part.name.removeprefix("records/").removesuffix(".json")
        head = f'{{"personal_data":"{level}","rows":['.encode()
        tail = f'],"table":"{table}"}}'.encode()
        if (
            part.size < len(head) + len(tail)
            or not ends[0].startswith(head)
            or not ends[1].endswith(tail)
        ):
            raise malformed(self.name, f"phần {part.name} không đúng dạng")

    # --- storing ---------------------------------------------------------------------------

    def raw(self, part: StoredPart) -> bytes:
        """A verified part's compressed bytes, refused if the file changed since the check."""
        if part.raw_sha256 == KEPT:
            raise ValueError(f"{part.name}: its checked bytes were kept (verify_parts)")
        data = b"".join(self._raw_pieces(part))
        if part.raw_sha256 and hashlib.sha256(data).hexdigest() != part.raw_sha256:
            raise PackageError(f"Tệp «{self.name}» đã bị thay đổi trong khi nhận; hãy nhận lại.")
        return data


def _mismatch(name: str, part: str) -> PackageError:
    return PackageError(
        f"Phần {part} của gói «{name}» không khớp mã kiểm tra SHA-256 ghi trong bản kê: gói "
        "đã bị sửa đổi hoặc bị hỏng. Không nhận gói này."
    )


def _json(data: bytes, part: str, name: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise damaged(name, f"phần {part} không đọc được") from None


class _Capped:
    """A writable file that refuses to grow past ``limit`` bytes (a decrypted package)."""

    def __init__(self, handle: IO[bytes], limit: int, name: str):
        self.handle, self.limit, self.name, self.written = handle, limit, name, 0

    def write(self, data: bytes) -> int:
        self.written += len(data)
        if self.written > self.limit:
            raise _too_big(self.name, "phần đã khóa")
        return self.handle.write(data)


def read_package(path: Path | str, *, password: str | None = None) -> VerifiedPackage:
    """Open and verify a package; raises ``PackageError`` with the reason if it is not sound."""
    with PackageFile(path, password=password) as reader:
        return reader.verify()
