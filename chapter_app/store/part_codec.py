"""How a received package's part is kept: its bytes ``plain``, the raw DEFLATE stream taken
from the package's zip (``deflate``), or re-encoded at zstd level 1 (``zstd``, issue 18: a
third less than DEFLATE on records, at a fraction of its time).

``ZstdEncoder`` takes a part's bytes piece by piece as they are checked (the inflated part is
never held whole) and gives the zstd frame, or ``None`` once it cannot be smaller than
``limit`` bytes. ``decode`` gives a kept part's bytes back, bounded by its recorded size.
"""

from __future__ import annotations

import zlib

try:  # Python 3.14 has zstd built in; backports.zstd is the same module for older ones
    from compression import zstd
except ImportError:  # pragma: no cover - depends on the Python version
    from backports import zstd

LEVEL = 1


class ZstdEncoder:
    """A zstd level-1 frame built from pieces fed in order; gives up (``result()`` is
    ``None``) as soon as the frame reaches ``limit`` bytes (it would not be smaller)."""

    def __init__(self, limit: int):
        self.limit = limit
        self._compressor: zstd.ZstdCompressor | None = zstd.ZstdCompressor(level=LEVEL)
        self._out: list[bytes] = []
        self._size = 0

    def _add(self, data: bytes) -> None:
        if not data:
            return
        self._size += len(data)
        self._out.append(data)
        if self._size >= self.limit:
            self._compressor = None
            self._out.clear()

    def feed(self, data: bytes) -> None:
        if self._compressor is not None and data:
            self._add(self._compressor.compress(data))

    def result(self) -> bytes | None:
        """The whole frame, or ``None`` when it is not smaller than ``limit``."""
        if self._compressor is None:
            return None
        self._add(self._compressor.flush())
        if self._compressor is None:
            return None
        self._compressor = None
        return b"".join(self._out)


class DecodeError(ValueError):
    """A kept part's stream is broken or holds more than its recorded size."""


def decode(content: bytes, encoding: str, size: int) -> bytes:
    """A kept part's bytes, at most ``size + 1`` of them produced (a hostile stream cannot
    fill the memory); ``DecodeError`` when the stream is broken, unknown, not whole or
    followed by other bytes. The caller compares the size and SHA-256."""
    data = bytes(content)
    if encoding == "plain":
        return data
    try:
        if encoding == "deflate":
            inflater = zlib.decompressobj(-15)
            out = inflater.decompress(data, size + 1)
            whole = inflater.eof and not inflater.unused_data
        elif encoding == "zstd":
            decompressor = zstd.ZstdDecompressor()
            out = decompressor.decompress(data, max_length=size + 1)
            whole = decompressor.eof and not decompressor.unused_data
        else:
            raise DecodeError(encoding)
    except (zlib.error, zstd.ZstdError) as exc:
        raise DecodeError(str(exc)) from None
    if not whole:
        raise DecodeError("stream not whole")
    return out
