"""``--password-file`` reads only a regular file, and at most 64 KiB of it: a pipe or a
device is refused at once (never waited on, never read), a huge file is refused unread."""

from __future__ import annotations

import contextlib
import os
import threading
import tracemalloc
from pathlib import Path

import pytest

from chapter_app.errors import AppError
from chapter_app.services import protect

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def _read_within(path, seconds: float = 5.0):
    """``read_password_file(path)``'s result or exception; fails (not hangs) if it blocks."""
    outcome: list = []

    def call():
        try:
            outcome.append(protect.read_password_file(path))
        except BaseException as exc:  # handed back to the test
            outcome.append(exc)

    worker = threading.Thread(target=call, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"reading {path} blocked"
    return outcome[0]


@needs_fifo
def test_a_named_pipe_with_no_writer_is_refused_without_waiting(tmp_path):
    pipe = tmp_path / "matkhau.fifo"
    os.mkfifo(pipe)
    try:
        result = _read_within(pipe)
    finally:  # a reader stuck waiting for a writer is let go (a writer comes and closes)
        with contextlib.suppress(OSError):  # ENXIO: nobody reads it, as it should be
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    assert isinstance(result, AppError)
    assert "không phải tệp thường" in result.message
    assert str(pipe) in result.message


@needs_fifo
def test_a_named_pipe_with_a_writer_is_refused_unread(tmp_path):
    pipe = tmp_path / "matkhau.fifo"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # so the writer can open it
    writer = os.open(pipe, os.O_WRONLY)
    try:
        os.write(writer, b"bi mat\n")
        result = _read_within(pipe)
        assert os.read(reader, 100) == b"bi mat\n"  # still in the pipe: nothing was read
    finally:
        os.close(writer)
        os.close(reader)
    assert isinstance(result, AppError) and "không phải tệp thường" in result.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused_without_reading_it():
    result = _read_within("/dev/zero")
    assert isinstance(result, AppError)
    assert "không phải tệp thường" in result.message


def test_an_oversized_file_is_refused_after_reading_at_most_64_kib(tmp_path):
    huge = tmp_path / "matkhau.txt"
    with open(huge, "wb") as handle:
        handle.write(b"bi mat\n")
        handle.truncate(1 << 30)  # 1 GiB, sparse
    tracemalloc.start()
    try:
        with pytest.raises(AppError, match="quá lớn"):
            protect.read_password_file(huge)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * protect.MAX_PASSWORD_FILE


def test_a_file_of_exactly_64_kib_is_still_read(tmp_path):
    path = tmp_path / "matkhau.txt"
    path.write_bytes(b"bi mat\n".ljust(protect.MAX_PASSWORD_FILE, b"x"))
    assert protect.read_password_file(path) == "bi mat"


def test_a_link_to_a_regular_file_is_read(tmp_path):
    target = tmp_path / "that.txt"
    target.write_text("mật khẩu\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert protect.read_password_file(link) == "mật khẩu"
