"""The program password, guarding personal data everywhere (issue 18).

- ``check_program_password(store, password)``: True when right. Wrong tries are counted in
  the register itself (table ``password_throttle``), so quitting and starting again does
  not give fresh tries: after ``FREE_TRIES`` failures every further try waits
  ``delay_after(failures)`` seconds (5 s, doubling, at most 15 minutes);
  ``PasswordThrottledError`` says how long is left. A right password clears the count and
  is kept in memory for the session (``store.session_password``): automatic backups are
  locked with it.
- ``backup_password(store)``: the password an automatic backup is locked with, when the
  setting ``backup_encrypt`` is on (the default) and a program password is set.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chapter_app.domain.password import verify_password
from chapter_app.errors import AppError, WrongPasswordError
from chapter_app.store.schema_throttle import RECORD_FAILURE_SQL, RESET_SQL, throttle_state
from chapter_app.store.store import Store

PASSWORD_KEY = "password_hash"
ENCRYPT_KEY = "backup_encrypt"
THROTTLE_NAME = "program"
FREE_TRIES = 3
BASE_DELAY = 5  # seconds, after the FREE_TRIES-th failure
MAX_DELAY = 15 * 60


class PasswordThrottledError(WrongPasswordError):
    """Too many wrong tries: ``seconds`` to wait before the next one is even checked."""

    def __init__(self, message: str, seconds: int):
        super().__init__(message)
        self.seconds = seconds


def has_program_password(store: Store) -> bool:
    return bool(store.settings.get(PASSWORD_KEY))


def delay_after(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong tries in a row."""
    if failures < FREE_TRIES:
        return 0
    return min(MAX_DELAY, BASE_DELAY * 2 ** (failures - FREE_TRIES))


def wait_left(store: Store, *, now: datetime | None = None) -> int:
    """Seconds before the password may be tried again (0: now)."""
    failures, last = throttle_state(store.db, THROTTLE_NAME)
    if not last or failures < FREE_TRIES:
        return 0
    now = now or datetime.now(UTC)
    try:
        then = min(datetime.fromisoformat(last), now)  # a clock set back never lengthens it
    except ValueError:
        then = now
    left = then + timedelta(seconds=delay_after(failures)) - now
    return max(0, int(left.total_seconds() + 0.999))


def _write(store: Store, sql: str, params: list) -> None:
    if store.read_only:
        store.write_aside(sql, params)
        return
    with store.ops.run("Mật khẩu chương trình", undoable=False):
        store.db.execute(sql, params)


def check_program_password(store: Store, password: str, *, now: datetime | None = None) -> bool:
    """True when no password is set or ``password`` is the right one (see module doc)."""
    stored = store.settings.get(PASSWORD_KEY)
    if not stored:
        return True
    now = now or datetime.now(UTC)
    left = wait_left(store, now=now)
    if left:
        failures, _last = throttle_state(store.db, THROTTLE_NAME)
        raise PasswordThrottledError(
            f"Đã nhập sai mật khẩu {failures} lần liền; hãy đợi {left} giây rồi thử lại.",
            left,
        )
    if verify_password(password or "", str(stored)):
        if throttle_state(store.db, THROTTLE_NAME)[0]:
            _write(store, RESET_SQL, [THROTTLE_NAME])
        store.session_password = password
        return True
    _write(store, RECORD_FAILURE_SQL, [THROTTLE_NAME, now.isoformat()])
    return False


def require_program_password(store: Store, password: str) -> None:
    if not check_program_password(store, password):
        raise WrongPasswordError("Mật khẩu không đúng.")


def backup_password(store: Store) -> str | None:
    """The password automatic backups are locked with, or None when they stay plain.

    ``AppError`` when they must be locked but the password was not given this session."""
    if not has_program_password(store) or not store.settings.get(ENCRYPT_KEY, True):
        return None
    if not store.session_password:
        raise AppError(
            "Sổ có mật khẩu chương trình nên bản sao lưu tự động được khóa bằng mật khẩu đó, "
            "nhưng chưa nhập mật khẩu trong lần mở này. Hãy nhập mật khẩu (hoặc dùng "
            "--password-file) rồi làm lại."
        )
    return store.session_password
