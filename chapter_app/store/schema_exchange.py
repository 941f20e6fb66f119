"""Tables for import mappings, exchange packages and consolidation (issue 5).

Migrations here register on the shared set: ``@migrations(name="00NN_exchange_...")``.
"""

from __future__ import annotations

from chapter_app.store.schema import execute_all, migrations  # noqa: F401
