"""Files written beside the register are whole or not there at all."""

from __future__ import annotations

import pytest

from chapter_app.store.files import write_bytes_whole, write_whole


def test_a_file_is_replaced_whole(tmp_path):
    dest = tmp_path / "sub" / "report.pdf"
    write_bytes_whole(dest, b"first")
    write_bytes_whole(dest, b"second")
    assert dest.read_bytes() == b"second"
    assert sorted(p.name for p in dest.parent.iterdir()) == ["report.pdf"]


def test_a_failed_write_leaves_the_old_file_and_no_partial(tmp_path):
    dest = tmp_path / "list.xlsx"
    dest.write_bytes(b"old")

    def fails(partial):
        partial.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_whole(dest, fails, sync=True)
    assert dest.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.xlsx"]
