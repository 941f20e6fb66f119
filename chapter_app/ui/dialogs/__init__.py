"""Dialogs of the safety net (backups, checks, password, audit log) and Excel in/out."""
