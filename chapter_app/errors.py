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
