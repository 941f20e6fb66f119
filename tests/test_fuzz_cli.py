"""Hostile input at the program's doors: every command-line command, and the record-saving
use cases behind the forms and the importers.

Every registered command gets random and hostile arguments (paths to good, damaged, empty,
foreign and missing files, folders, odd file names, SQL and FTS syntax, formulas, control
characters, impossible dates and periods, absurd numbers). Whatever happens: no traceback,
exit code 0, 1 or 2 only, a message on failure, and a failed command leaves every file as
it was and creates none (no partial write).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chapter_app.cli import build_parser, main
from chapter_app.domain.validation import ValidationFailed
from chapter_app.services import records
from chapter_app.services.backups import create_backup
from chapter_app.services.setup import init_database
from tests.domain.test_validation_fuzz import HOSTILE_TEXT, RAW_RECORDS

PARSER = build_parser()
SUBPARSERS = next(a for a in PARSER._actions if isinstance(a, argparse._SubParsersAction))
COMMANDS = sorted(SUBPARSERS.choices)
# Commands that start Qt get a --db that does not exist and a window size that is not one,
# so they stop before Qt starts: their other arguments are still parsed and checked.
GUI_COMMANDS = {"screenshots", "guide-pictures"}
NOT_A_SIZE = ["0x0", "-5x10", "abc", "99999x99999", "800×600"]
# Choices that would take minutes (the 100,000-person demo).
SLOW_CHOICES = {"large"}
PATH_WORDS = ("db", "out", "json", "file", "path", "dir", "backup", "package", "input", "src")
EXAMPLES_PER_COMMAND = 15
# A successful ``demo`` writes 3,000 people (about a second): fewer examples.
EXAMPLES = {"demo": 6}

ODD_NAMES = [
    "tên có dấu cách.db",
    unicodedata.normalize("NFD", "Hội Tịnh Kỳ.db"),
    "'; DROP TABLE people; --.db",
    "=HYPERLINK(x).db",
    "-.db",
    "a" * 300 + ".db",  # too long for the file system
    ".db",
]
ARG_TEXT = st.one_of(
    st.sampled_from(
        # argv cannot carry NUL; undecodable bytes are tested on their own below
        [t for t in HOSTILE_TEXT if "\x00" not in t and "\udcff" not in t]
        + [
            "2026-Q3",
            "2026-Q5",
            "2026-H3",
            "2026-9M",
            "2026",
            "2026-07-01..2026-06-30",
            "2026-02-30",
            "31/02/2026",
            "0",
            "-5",
            "99999999999999999999",
            "1280x800",
            "0x0",
            "vi",
            "en",
            "small",
            "--help",
            "--version",
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20),
)


class Workspace:
    """Files a command may be pointed at, all inside one temporary folder."""

    def __init__(self, root: Path):
        self.root = root
        self.good = root / "good.db"
        with init_database(self.good, chapter_name="Hội CTĐ xã Thử", user="tester") as store:
            person = store.people.add(full_name="Nguyễn Văn An", id_number="051190001234")
            store.members.add(person_id=person.id, branch_id=None, admitted_on=date(2020, 1, 1))
            self.backup = create_backup(store, dest_dir=root / "bk")
        (root / "garbage.db").write_text("Họ và tên;Năm sinh\nNguyễn Văn An;1980\n" * 40)
        (root / "empty.db").write_bytes(b"")
        (root / "folder.db").mkdir()
        fixed = [
            self.good,
            self.backup,
            root / "garbage.db",
            root / "empty.db",
            root / "folder.db",
            root / "missing.db",
            root / "new folder" / "x.db",
            root / "out.pdf",
            root / "bk",
        ]
        self.paths = st.one_of(
            st.sampled_from(fixed),
            st.sampled_from(ODD_NAMES).map(lambda name: root / name),
        )


def _fingerprint(path: Path) -> str:
    """What a file holds: the logical content of a database, else its bytes."""
    data = path.read_bytes()
    if data.startswith(b"SQLite format 3\x00"):
        try:
            conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
            try:
                return (
                    "db:"
                    + hashlib.sha256(
                        "\n".join(conn.iterdump()).encode("utf-8", "surrogatepass")
                    ).hexdigest()
                )
            finally:
                conn.close()
        except sqlite3.Error:
            pass
    return "bytes:" + hashlib.sha256(data).hexdigest()


def snapshot(root: Path) -> dict[str, str]:
    state = {}
    for path in root.rglob("*"):
        rel = str(path.relative_to(root))
        if path.is_dir():
            state[rel] = "dir"
        elif path.name.endswith(("-wal", "-shm", "-journal", ".lock")):
            continue  # SQLite's and the lock's own companions
        else:
            state[rel] = _fingerprint(path)
    return state


def _is_path(action: argparse.Action) -> bool:
    return action.type is Path or any(word in action.dest for word in PATH_WORDS)


def _value(data, action: argparse.Action, ws: Workspace, command: str):
    if action.dest == "db" and command in GUI_COMMANDS:
        return str(ws.root / "missing.db")
    if action.dest == "size" and command in GUI_COMMANDS:
        return data.draw(st.sampled_from(NOT_A_SIZE))
    if _is_path(action):
        return str(data.draw(ws.paths))
    if action.choices:
        choices = [c for c in action.choices if c not in SLOW_CHOICES]
        return data.draw(st.one_of(st.sampled_from(choices), ARG_TEXT))
    return data.draw(ARG_TEXT)


def arguments(data, command: str, ws: Workspace) -> list[str]:
    parser = SUBPARSERS.choices[command]
    argv = [command]
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if action.option_strings:
            forced = command in GUI_COMMANDS and action.dest == "size"
            if not action.required and not forced and not data.draw(st.booleans()):
                continue
            argv.append(data.draw(st.sampled_from(action.option_strings)))
            if action.nargs != 0:
                argv.append(_value(data, action, ws, command))
        elif data.draw(st.integers(0, 9)) > 0:  # now and then a positional is missing
            argv.append(_value(data, action, ws, command))
    if data.draw(st.integers(0, 5)) == 0:  # now and then something extra, anywhere
        argv.insert(data.draw(st.integers(1, len(argv))), data.draw(ARG_TEXT))
    return argv


def _reported_findings(command: str, code: int, out: str) -> bool:
    """``check`` exits 1 when it found problems: a report, not a failed command."""
    return command == "check" and code == 1 and "Tìm thấy" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_survives_hostile_arguments(command, tmp_path, monkeypatch, capsys):
    ws = Workspace(tmp_path)
    monkeypatch.chdir(tmp_path)  # relative names land in the temporary folder too
    outcomes = {0: 0, 1: 0, 2: 0}

    examples = EXAMPLES.get(command, EXAMPLES_PER_COMMAND)

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,  # the same examples on every run: CI stays reproducible
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(data=st.data())
    def run(data):
        argv = arguments(data, command, ws)
        before = snapshot(tmp_path)
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: usage error (2), --help / --version (0)
            code = 0 if exc.code is None else exc.code
        out, err = capsys.readouterr()
        assert code in (0, 1, 2), (argv, code, err)
        assert "Traceback" not in out + err
        outcomes[code] += 1
        if code != 0 and not _reported_findings(command, code, out):
            assert err.strip(), f"{argv}: failed without a message"
            assert snapshot(tmp_path) == before, f"{argv} failed but changed files"

    run()
    assert sum(outcomes.values()) >= examples // 2


def test_a_file_name_with_an_undecodable_byte_gives_a_message_not_a_traceback(tmp_path):
    missing = os.fsencode(tmp_path) + b"/t\xeap c\xf3 d\xe2u.db"  # Latin-1 bytes, not UTF-8
    result = subprocess.run(
        [sys.executable, "-m", "chapter_app", "stats", "--db", missing, "--period", "2026"],
        capture_output=True,
    )
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert "Không tìm thấy".encode() in result.stderr


def test_the_safety_commands_are_registered_and_fuzzed():
    assert {"backup", "restore", "check", "init", "stats"} <= set(COMMANDS)


def test_a_pdf_that_cannot_be_written_leaves_no_partial_file(tmp_path, capsys):
    ws = Workspace(tmp_path)
    folder = tmp_path / "folder.db"
    code = main(["list", "members", "--db", str(ws.good), "--out", str(folder)])
    assert code == 1
    assert "Lỗi" in capsys.readouterr().err
    assert not (tmp_path / "folder.db.part").exists()


# --- the record-saving use cases ---------------------------------------------------------------

SAVERS = {
    "person": records.save_person,
    "member": records.save_member,
    "volunteer": records.save_volunteer,
    "address": records.save_address,
    "sponsor": records.save_sponsor,
    "commitment": records.save_commitment,
    "aid": records.save_aid,
}


VALID = {
    "person": {"full_name": "Nguyễn Văn An", "birth": "1980"},
    "member": {
        "full_name": "Trần Thị Bình",
        "branch": "Chi hội Thôn 1",
        "admitted_on": "01/02/2020",
    },
    "volunteer": {"full_name": "Lê Văn Cường", "registered_on": "05/01/2021"},
    "address": {"name": "Hộ ông Dũng", "opened_on": "01/01/2022"},
    "sponsor": {"name": "Công ty B", "phone": "0912345678"},
    "commitment": {"start_on": "01/01/2023", "amount": "500.000"},
    "aid": {
        "given_on": "10/01/2026",
        "recipient_kind": "nhóm",
        "head_count": "12",
        "cash_value": "1.200.000",
    },
}


def _state(store) -> tuple:
    audit = store.db.execute("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetchone()[0]
    tables = ("people", "members", "volunteers", "addresses", "sponsors", "commitments")
    counts = tuple(store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables)
    return audit, counts, store.db.execute("SELECT COUNT(*) FROM aid_records").fetchone()[0]


@pytest.mark.parametrize("kind", sorted(SAVERS))
def test_saving_hostile_values_writes_all_or_nothing(kind, store):
    sponsor = store.sponsors.add(name="Công ty A")
    address = store.addresses.add(name="Hộ Bà Tư", opened_on=date(2020, 1, 1))
    store.branches.add(name="Chi hội Thôn 1")
    save = SAVERS[kind]

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @example(raw=VALID[kind], links=True)  # the success branch, at least once
    @given(raw=RAW_RECORDS, links=st.booleans())
    def run(raw, links):
        # ``*_id`` values are picked from lists by the program, never typed: they are given
        # valid targets below, not fuzzed (save_sponsor passes person_id to SQLite as is).
        raw = {k: v for k, v in raw.items() if not k.endswith("_id")}
        if links:  # give the references a valid target now and then
            raw = {"sponsor_id": sponsor.id, "address_id": address.id, **raw}
        before = _state(store)
        try:
            save(store, raw)
        except ValidationFailed as failed:
            assert failed.issues and all(issue.message for issue in failed.issues)
            assert _state(store) == before  # nothing half-written
        else:
            assert _state(store)[0] > before[0]
            saved.append(raw)

    saved: list = []
    run()
    assert saved  # the success branch ran too
