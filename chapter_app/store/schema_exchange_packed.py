"""Received packages' manifests and figures kept deflated (issue 18).

Migrations here register on the shared set: ``@migrations(name="0009_exchange_...")``.
"""

from __future__ import annotations

import json

from chapter_app.store.database import Database
from chapter_app.store.schema import migrations


@migrations(name="0009_exchange_packed_json")
def exchange_packed_json(db: Database) -> None:
    """``received_packages.manifest`` and ``stats`` become compact JSON, deflated (a
    quarter of the text; see ``store.exchange.pack_json``). Rows kept as text before are
    packed here, so every row reads alike and an older program, which reads them as text,
    refuses the file as newer instead of failing on them. A row whose text is not JSON
    (damaged) is left as it is."""
    from chapter_app.store.exchange import pack_json  # the migration only

    rows = db.execute(
        "SELECT id, manifest, stats FROM received_packages "
        "WHERE typeof(manifest) = 'text' OR typeof(stats) = 'text'"
    ).fetchall()
    for row_id, *texts in rows:
        packed = []
        for text in texts:
            try:
                packed.append(pack_json(json.loads(text)) if isinstance(text, str) else text)
            except (ValueError, RecursionError):
                packed.append(text)
        db.execute(
            "UPDATE received_packages SET manifest = ?, stats = ? WHERE id = ?",
            [*packed, row_id],
        )
