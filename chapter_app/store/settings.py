"""Chapter settings: a key/value table of JSON values with defaults."""

from __future__ import annotations

import json
from typing import Any

from chapter_app.store.codec import utc_now
from chapter_app.store.database import Database
from chapter_app.store.operations import Operations

# Every setting the program knows, with its default. (setting) items of the domain brief.
DEFAULTS: dict[str, Any] = {
    "chapter_name": "",
    "parent_name": "",
    "place_name": "",
    "mode": "chapter",  # chapter | upper (consolidates packages from many chapters)
    "chapter_uuid": "",  # stable identity in exchange packages; generated on first need
    "document_code": "CTĐ",
    "signing_form": "TM. BAN THƯỜNG VỤ",
    "signer_title": "CHỦ TỊCH",
    "signer_name": "",
    "recipients": [
        "Hội CTĐ cấp trên",
        "Đảng ủy xã",
        "UBND xã",
        "UBMTTQ Việt Nam xã",
    ],
    "archive_line": "Lưu: VT.",
    "dues_per_month": 1000,
    "dues_exempt_max_percent": 10,
    "member_min_age": 18,
    "volunteer_min_age": 18,
    "youth_min_age": 16,
    "youth_max_age": 30,
    "backups_dir": "",
    # backups kept: all of today's, then the newest of each day, week and month (issue 6)
    "backup_keep_daily": 14,
    "backup_keep_weekly": 8,
    "backup_keep_monthly": 12,
    "backup_interval_minutes": 30,
    # program password (a salted scrypt hash; empty = none) and lock after idle minutes
    "password_hash": "",
    "lock_idle_minutes": 15,
    # with a program password, automatic backups are locked with it (issue 18)
    "backup_encrypt": True,
    "language": "vi",
    # commune population (0 = not set): blood donors as a share of it (issue 17)
    "population": 0,
    # blood donors (issue 17): days between donations, donor ages, honour thresholds
    "blood_whole_interval_days": 84,
    "blood_component_interval_days": 14,
    "blood_min_age": 18,
    "blood_max_age": 60,
    "blood_honour_thresholds": [5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 100],
    "blood_honour_forms": {},  # threshold (as text) -> form of honour; blank: the default
}


def backups_locked(db: Database) -> bool:
    """True when automatic backups must be locked with the program password: one is set
    and ``backup_encrypt`` is on (readable before the file's migrations have run)."""
    settings = Settings(db, None)
    return bool(settings.get("password_hash")) and bool(settings.get("backup_encrypt", True))


class Settings:
    """Typed access to the settings table; writes are audited operations."""

    def __init__(self, db: Database, ops: Operations):
        self.db = db
        self.ops = ops

    def get(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        if row is None or row[0] is None:
            return DEFAULTS.get(key, default) if default is None else default
        return json.loads(row[0])

    def all(self) -> dict[str, Any]:
        values = dict(DEFAULTS)
        for key, value in self.db.execute("SELECT key, value FROM settings"):
            values[key] = json.loads(value) if value is not None else None
        return values

    def set(self, key: str, value: Any) -> None:
        self.update({key: value})

    def update(self, values: dict[str, Any]) -> None:
        """Write several settings in one operation."""
        with self.ops.run("Sửa cài đặt", undoable=False):
            for key, value in values.items():
                old = self.get(key)
                if old == value:
                    continue
                self.db.execute(
                    "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                    "updated_at = excluded.updated_at",
                    [key, json.dumps(value, ensure_ascii=False), utc_now()],
                )
                self.ops.log_event("setting", details={"key": key, "old": old, "new": value})
