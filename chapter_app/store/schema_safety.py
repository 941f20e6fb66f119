"""Tables for locks, backups and personal-data protection (issue 6).

Migrations here register on the shared set: ``@migrations(name="00NN_safety_...")``.
"""

from __future__ import annotations

from chapter_app.store.schema import execute_all, migrations  # noqa: F401
