"""The writer that the kill test kills: it writes records in a loop and prints each one
it has committed.

Every line is one ``os.write`` (atomic on a pipe) and names the writing process:

- ``ready <pid> <stale|clean>`` once the store is open (``stale``: the lock file left by
  the previous, killed writer was found unlocked and cleared);
- ``ok <pid> <uuid>`` after each committed operation (a person, a member and the member's
  first status event, plus their audit entries: one transaction);
- ``imported <pid> <tag>`` / ``restored <pid>`` / ``consolidated <pid> <tag>``: an import
  of a member sheet, a restore of a backup, or the receipt of a few packages at the upper
  level finished (``spawn TAG import FOLDER`` / ``spawn TAG restore BACKUP`` /
  ``spawn TAG consolidate PACKAGE``).

Two ways to run it:

- ``crash_child.py once DB TAG``: one writer (the parent kills it);
- ``crash_child.py serve DB``: a fork server (POSIX). It imports the program once and,
  for each ``spawn TAG`` line on stdin, forks a writer and prints ``pid <pid>``; ``reap
  <pid>`` waits for that writer and prints ``reaped <pid> <signal> <exit code>``. Forking a
  ready process instead of starting Python 200 times keeps the test within seconds.
"""

from __future__ import annotations

import os
import sys
from datetime import date


def out(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))


def write_loop(db_path: str, tag: str) -> None:
    from chapter_app.store.store import Store

    pid = os.getpid()
    store = Store.open(db_path, user=f"writer-{pid}")
    out(f"ready {pid} {'stale' if store.lock and store.lock.stale else 'clean'}")
    n = 0
    while True:
        n += 1
        with store.operation("Kiểm tra mất điện"):
            person = store.people.add(full_name=f"Người Thử {tag} {n}", notes=tag)
            store.members.add(person_id=person.id, branch_id=None, admitted_on=date(2026, 1, 1))
        out(f"ok {pid} {person.uuid}")


IMPORT_ROWS = 40


def import_sheet(db_path: str, tag: str, folder: str) -> None:
    """Write a member sheet of ``IMPORT_ROWS`` rows named after ``tag`` and import it
    (plan, backup before import, one transaction); ``imported <pid> <tag>`` once committed."""
    from chapter_app.services.importer import apply_import, plan_import
    from chapter_app.store.store import Store

    pid = os.getpid()
    sheet = os.path.join(folder, f"{tag}.csv")
    with open(sheet, "w", encoding="utf-8") as handle:
        handle.write("Họ và tên,Năm sinh,Ngày vào Hội,Chi hội\n")
        for n in range(IMPORT_ROWS):
            handle.write(f"Người Nhập {tag} Số {n},{1950 + n},01/02/2020,Chi hội Thôn 1\n")
    store = Store.open(db_path, user=f"import-{pid}")
    out(f"ready {pid} {'stale' if store.lock and store.lock.stale else 'clean'}")
    plan = plan_import(store, sheet, "members")
    apply_import(store, plan)
    out(f"imported {pid} {tag}")
    store.close()


def restore(db_path: str, backup: str) -> None:
    """Restore ``backup`` over ``db_path``; ``restored <pid>`` once it is in place."""
    from chapter_app.services.backups import restore_backup

    pid = os.getpid()
    out(f"ready {pid} clean")
    restore_backup(db_path, backup, user=f"restore-{pid}")
    out(f"restored {pid}")


PACKAGES = 4


def consolidate(db_path: str, tag: str, base: str) -> None:
    """Receive ``PACKAGES`` packages made from ``base`` (its chapter renamed ``Hội CTĐ xã
    TAG Số N``) in one command; ``consolidated <pid> <tag>`` once they are kept."""
    import json
    import uuid
    import zipfile

    from chapter_app.services.receive import receive_packages
    from chapter_app.store.store import Store

    pid = os.getpid()
    with zipfile.ZipFile(base) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    manifest = json.loads(parts.pop("manifest.json"))
    paths = []
    for n in range(PACKAGES):
        manifest["chapter"] = {
            **manifest["chapter"],
            "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tag}-{n}")),
            "name": f"Hội CTĐ xã {tag} Số {n}",
        }
        path = os.path.join(os.path.dirname(base), f"{tag}-{n}.ctdpkg")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
            for name, data in parts.items():
                archive.writestr(name, data)
        paths.append(path)
    store = Store.open(db_path, user=f"upper-{pid}")
    out(f"ready {pid} {'stale' if store.lock and store.lock.stale else 'clean'}")
    batch = receive_packages(store, paths)
    if not batch.ok:
        raise RuntimeError([v.message for v in batch.verdicts if not v.ok])
    out(f"consolidated {pid} {tag}")
    store.close()


def serve(db_path: str) -> None:
    import chapter_app.services.backups
    import chapter_app.services.importer
    import chapter_app.services.receive
    import chapter_app.store.store  # noqa: F401

    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "spawn":
            pid = os.fork()
            if pid == 0:  # the writer
                code = 0 if len(words) > 2 else 3
                try:
                    if len(words) > 2 and words[2] == "import":
                        import_sheet(db_path, words[1], words[3])
                    elif len(words) > 2 and words[2] == "restore":
                        restore(db_path, words[3])
                    elif len(words) > 2 and words[2] == "consolidate":
                        consolidate(db_path, words[1], words[3])
                    else:
                        write_loop(db_path, words[1])
                except BaseException as exc:
                    os.write(2, f"writer {os.getpid()} failed: {exc!r}\n".encode())
                    code = 4
                finally:
                    os._exit(code)
            out(f"pid {pid}")
        elif words[0] == "reap":
            pid = int(words[1])
            _, status = os.waitpid(pid, 0)
            signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
            code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
            out(f"reaped {pid} {signal} {code}")
        elif words[0] == "quit":
            break


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        write_loop(sys.argv[2], sys.argv[3])
