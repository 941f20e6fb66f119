"""Writing a long transaction's log to disk while it goes on (issue 18).

A transaction that writes hundreds of megabytes (100 packages received at once) leaves
them in the operating system's cache until its COMMIT, whose one sync then waits for all
of them: at the end, with nothing else to do. ``LogFlusher`` syncs the WAL file from a
background thread every ``every`` bytes written, so the disk works while the next packages
are checked and the final sync has only the last few megabytes left.

It changes nothing in the file (a sync of another handle on it); when the WAL cannot be
opened or synced the flusher just stops: COMMIT syncs everything anyway.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

EVERY = 32 << 20


class LogFlusher:
    """Sync ``<database>-wal`` in the background every ``every`` bytes noted by ``wrote``."""

    def __init__(self, database: Path | str, *, every: int = EVERY):
        self.path = Path(f"{database}-wal")
        self.every = every
        self.pending = 0
        self.flushes = 0
        self._fd: int | None = None
        self._thread: threading.Thread | None = None
        self._broken = False

    def __enter__(self) -> LogFlusher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def wrote(self, size: int) -> None:
        """Note ``size`` more bytes written; start a sync when enough are waiting and the
        previous sync has ended."""
        self.pending += size
        if self._broken or self.pending < self.every:
            return
        if self._thread is not None and self._thread.is_alive():
            return
        if self._fd is None:
            try:
                # writable: Windows syncs only a handle opened for writing; nothing is written
                self._fd = os.open(self.path, os.O_RDWR | getattr(os, "O_BINARY", 0))
            except OSError:
                self._broken = True
                return
        self.pending = 0
        self._thread = threading.Thread(target=self._sync, name="wal-flush", daemon=True)
        self._thread.start()

    def _sync(self) -> None:
        try:
            os.fsync(self._fd)
            self.flushes += 1
        except OSError:
            self._broken = True

    def close(self) -> None:
        """Wait for a sync under way and let the file go."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
