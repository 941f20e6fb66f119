"""The writer that the kill test kills: it writes records in a loop and prints each one
it has committed.

Every line is one ``os.write`` (atomic on a pipe) and names the writing process:

- ``ready <pid> <stale|clean>`` once the store is open (``stale``: the lock file left by
  the previous, killed writer was found unlocked and cleared);
- ``ok <pid> <uuid>`` after each committed operation (a person, a member and the member's
  first status event, plus their audit entries: one transaction).

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


def serve(db_path: str) -> None:
    import chapter_app.store.store  # noqa: F401  (imported once, before forking)

    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "spawn":
            pid = os.fork()
            if pid == 0:  # the writer
                code = 3
                try:
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
