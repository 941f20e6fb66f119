"""One exception family whose messages can be shown to the officer as they are."""

from __future__ import annotations


class AppError(Exception):
    """An error with a user-facing Vietnamese message (already formatted)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DatabaseError(AppError):
    """The database file cannot be used as it is."""


class NewerDatabaseError(DatabaseError):
    """The file was written by a newer version of the program."""


class NotFoundError(AppError):
    """A record asked for by id does not exist (or was deleted)."""


class InvalidRecordError(AppError):
    """A record failed validation; `issues` holds the field-level problems."""

    def __init__(self, message: str, issues=()):
        super().__init__(message)
        self.issues = list(issues)


class InvalidPeriodError(AppError):
    """A period string could not be understood."""


# Ways forward the program can offer with a database error (the UI turns them into buttons).
REMEDY_OPEN_BACKUP = "open_backup"  # open (restore) the newest good backup
REMEDY_OPEN_READ_ONLY = "open_read_only"
REMEDY_CHOOSE_FOLDER = "choose_folder"  # keep the data in another folder (or disk)
REMEDY_CHOOSE_FILE = "choose_file"
REMEDY_UPDATE_PROGRAM = "update_program"


class DatabaseInUseError(AppError):
    """Another program window (or computer) has the file open for writing.

    ``holder`` describes who holds it (``pid``, ``host``, ``user``, ``started_at``), when known.
    """

    remedies = (REMEDY_OPEN_READ_ONLY,)

    def __init__(self, message: str, holder=None):
        super().__init__(message)
        self.holder = holder


class DamagedDatabaseError(DatabaseError):
    """The file is damaged, truncated, empty or not a database at all."""

    remedies = (REMEDY_OPEN_BACKUP, REMEDY_CHOOSE_FILE)


class ReadOnlyLocationError(DatabaseError):
    """The file or its folder cannot be written (read-only folder, disk or permission)."""

    remedies = (REMEDY_OPEN_READ_ONLY, REMEDY_CHOOSE_FOLDER)


class DiskFullError(DatabaseError):
    """The disk holding the file (or the backup) is full."""

    remedies = (REMEDY_CHOOSE_FOLDER,)


class WrongPasswordError(AppError):
    """The program password given was not the right one."""
