"""Files the program writes beside the register (reports, packages, exports): whole or not
at all."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def write_whole(dest: Path | str, write: Callable[[Path], None], *, sync: bool = False) -> Path:
    """Write ``dest`` through a temporary file beside it: ``write(partial)`` fills the
    temporary file, which then replaces ``dest`` in one rename (synced to disk first when
    ``sync``). On any failure neither a half ``dest`` nor the temporary file is left."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    try:
        write(partial)
        if sync:
            with open(partial, "rb+") as written:
                os.fsync(written.fileno())
        partial.replace(dest)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return dest


def write_bytes_whole(dest: Path | str, data: bytes) -> Path:
    """``data`` into ``dest``, whole or not at all (see :func:`write_whole`)."""
    return write_whole(dest, lambda partial: partial.write_bytes(data))
