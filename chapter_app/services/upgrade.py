"""The backup taken before a register is upgraded, locked like its automatic backups.

A file written by an older version is copied before its migrations run. When the register
has a program password and its automatic backups are locked with it (``backup_encrypt``),
that copy is locked too: ``locked_upgrade_backup(password)`` gives ``Store.open`` a
backup function that checks the password against the register's own hash, then writes the
copy encrypted (``*.ctdbak`` in ``backups/`` beside the file; restore asks the password).
Without the password the upgrade waits (``UpgradeNeedsPasswordError``), the file unchanged.

Wrong passwords here are refused without being counted: the throttle's table may not exist
yet in an old file, and nothing may be written to a file before its upgrade is allowed.
"""

from __future__ import annotations

from pathlib import Path

from chapter_app.domain.password import verify_password
from chapter_app.errors import WrongPasswordError
from chapter_app.paths import default_backups_dir
from chapter_app.store.backup import PROTECTED_SUFFIX, backup_file_name, copy_database
from chapter_app.store.database import Database
from chapter_app.store.settings import Settings, backups_locked
from chapter_app.store.store import plain_upgrade_backup

REASON_MIGRATE = "migrate"


class LockedUpgradeBackup:
    """A ``Store.open(upgrade_backup=...)`` function: the plain copy when backups are not
    locked; otherwise the copy locked with ``password`` (checked first). ``checked`` is
    True once the password was found right."""

    def __init__(self, password: str | None):
        self.password = password
        self.checked = False

    def __call__(self, db: Database, path: Path) -> Path:
        if not backups_locked(db) or self.password is None:
            return plain_upgrade_backup(db, path)  # refuses a locked register's plain copy
        if not verify_password(self.password, str(Settings(db, None).get("password_hash"))):
            raise WrongPasswordError(
                f"Mật khẩu chương trình không đúng; tệp «{path.name}» chưa được nâng cấp và "
                "không bị thay đổi."
            )
        self.checked = True
        return _locked_copy(db, path, self.password)


def _locked_copy(db: Database, path: Path, password: str) -> Path:
    from chapter_app.services.protect import encrypt_file

    folder = default_backups_dir(path)
    dest = folder / backup_file_name(path, reason=REASON_MIGRATE, suffix=PROTECTED_SUFFIX)
    plain = dest.with_name(dest.name + ".plain.partial")
    try:
        copy_database(db.conn, plain)
        encrypt_file(plain, dest, password)
    finally:
        plain.unlink(missing_ok=True)
    return dest
