"""Tables and columns of the chapter's organisation (issue 13).

Chi hội get a head and the chi hội their members moved to when dissolved; the
reference lists (campaigns, activity areas, household categories, aid forms) get an
English name, an order and a hidden flag; officers, renames, branch moves of members
and unit moves of people and households are kept as history.
"""

from __future__ import annotations

from chapter_app.store.codec import utc_now
from chapter_app.store.database import Database
from chapter_app.store.schema import COMMON, execute_all, migrations

# The aid forms the program has always known (codes kept: records store the code).
AID_FORMS = [
    ("cash", "Tiền mặt", "Cash"),
    ("goods", "Hiện vật, quà", "Goods, gifts"),
    ("rice", "Gạo", "Rice"),
    ("workdays", "Ngày công", "Workdays"),
    ("livelihood", "Vốn sinh kế", "Livelihood capital"),
    ("insurance", "Thẻ bảo hiểm y tế", "Health insurance card"),
    ("scholarship", "Học bổng", "Scholarship"),
    ("house_repair", "Sửa nhà", "House repair"),
    ("other", "Khác", "Other"),
]


@migrations(name="0005_organisation")
def organisation(db: Database) -> None:
    """Organisation: branch head, officers, list entries' English names and order, history."""
    from uuid import uuid4  # the migration only: not imported to open a register

    statements = [
        "ALTER TABLE branches ADD COLUMN head_person_id INTEGER REFERENCES people(id)",
        "ALTER TABLE branches ADD COLUMN dissolved_into_id INTEGER REFERENCES branches(id)",
        "ALTER TABLE campaigns ADD COLUMN name_en TEXT",
        "ALTER TABLE campaigns ADD COLUMN sort_order INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE activity_areas ADD COLUMN name_en TEXT",
        "ALTER TABLE activity_areas ADD COLUMN sort_order INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE activity_areas ADD COLUMN active INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE categories ADD COLUMN name_en TEXT",
        "UPDATE campaigns SET sort_order = id",
        "UPDATE activity_areas SET sort_order = id",
        f"""CREATE TABLE aid_forms ({COMMON},
            code TEXT NOT NULL,
            name TEXT NOT NULL,
            name_en TEXT,
            sort_order INTEGER NOT NULL DEFAULT 0,
            active INTEGER NOT NULL DEFAULT 1
        )""",
        "CREATE UNIQUE INDEX idx_aid_forms_code ON aid_forms(code) WHERE deleted_at IS NULL",
        f"""CREATE TABLE officers ({COMMON},
            person_id INTEGER NOT NULL REFERENCES people(id),
            title TEXT NOT NULL
                CHECK (title IN ('chairman', 'vice_chairman', 'standing_member', 'member')),
            from_on TEXT,
            to_on TEXT,
            sort_order INTEGER NOT NULL DEFAULT 0,
            notes TEXT
        )""",
        "CREATE INDEX idx_officers_person ON officers(person_id)",
        f"""CREATE TABLE name_history ({COMMON},
            table_name TEXT NOT NULL CHECK (table_name IN ('branches', 'units')),
            row_id INTEGER NOT NULL,
            old_name TEXT NOT NULL,
            new_name TEXT NOT NULL,
            on_date TEXT NOT NULL
        )""",
        "CREATE INDEX idx_name_history_row ON name_history(table_name, row_id)",
        f"""CREATE TABLE member_branch_moves ({COMMON},
            member_id INTEGER NOT NULL REFERENCES members(id),
            from_branch_id INTEGER REFERENCES branches(id),
            to_branch_id INTEGER NOT NULL REFERENCES branches(id),
            on_date TEXT NOT NULL,
            reason TEXT
        )""",
        "CREATE INDEX idx_member_branch_moves ON member_branch_moves(member_id, on_date)",
        f"""CREATE TABLE unit_moves ({COMMON},
            table_name TEXT NOT NULL CHECK (table_name IN ('people', 'addresses')),
            row_id INTEGER NOT NULL,
            from_unit_id INTEGER NOT NULL REFERENCES units(id),
            to_unit_id INTEGER NOT NULL REFERENCES units(id),
            on_date TEXT NOT NULL
        )""",
        "CREATE INDEX idx_unit_moves_row ON unit_moves(table_name, row_id)",
        # covering: the thôn list counts people and households per unit from these alone
        "CREATE INDEX idx_people_unit ON people(unit_id, deleted_at)",
        "CREATE INDEX idx_addresses_unit ON addresses(unit_id, deleted_at)",
    ]
    execute_all(db, statements)
    now = utc_now()
    for order, (code, name, name_en) in enumerate(AID_FORMS, start=1):
        db.execute(
            "INSERT INTO aid_forms (uuid, created_at, updated_at, code, name, name_en, sort_order) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [str(uuid4()), now, now, code, name, name_en, order],
        )
