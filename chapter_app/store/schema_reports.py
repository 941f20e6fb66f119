"""Tables for issued reports (issue 4).

Migrations here register on the shared set: ``@migrations(name="00NN_reports_...")``.
"""

from __future__ import annotations

from chapter_app.store.schema import execute_all, migrations  # noqa: F401
