"""The schema: named, append-only migrations (kept as sqlite-utils 4 ``Migrations`` keeps them).

Every table is created in a migration: the register's tables here, each feature's
own tables in its ``schema_<feature>.py`` module, registered on the same
``migrations`` set and imported at the bottom of this file in a fixed order.
Never edit a migration that has shipped: add a new one. A fresh database runs the
same list as an upgraded one.
"""

from __future__ import annotations

from chapter_app.store.database import Database
from chapter_app.store.migrations import Migrations

MIGRATION_SET = "chapter_app"
migrations = Migrations(MIGRATION_SET)

# Columns every register table has: a row id, a stable UUID for merging upward,
# timestamps (ISO 8601, UTC) and a tombstone.
COMMON = """
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
"""

REGISTER_TABLES = {
    "units": """
        name TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'thon',
        valid_from TEXT,
        valid_to TEXT,
        merged_into_id INTEGER REFERENCES units(id),
        notes TEXT
    """,
    "branches": """
        name TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'residential'
            CHECK (kind IN ('residential', 'agency', 'school', 'interest')),
        founded_on TEXT,
        dissolved_on TEXT,
        notes TEXT
    """,
    "branch_units": """
        branch_id INTEGER NOT NULL REFERENCES branches(id),
        unit_id INTEGER NOT NULL REFERENCES units(id)
    """,
    "branch_ratings": """
        branch_id INTEGER NOT NULL REFERENCES branches(id),
        year INTEGER NOT NULL,
        rating TEXT NOT NULL
    """,
    "people": """
        family_name TEXT NOT NULL DEFAULT '',
        middle_name TEXT NOT NULL DEFAULT '',
        given_name TEXT NOT NULL,
        full_name TEXT NOT NULL,
        sort_key TEXT NOT NULL,
        search_fold TEXT NOT NULL,
        sex TEXT CHECK (sex IN ('M', 'F')),
        birth_date TEXT,
        birth_year INTEGER,
        id_number TEXT,
        phone TEXT,
        address TEXT,
        old_address TEXT,
        unit_id INTEGER REFERENCES units(id),
        notes TEXT,
        ethnicity TEXT,
        religion TEXT,
        health_notes TEXT,
        disability TEXT,
        agent_orange INTEGER NOT NULL DEFAULT 0,
        consent_date TEXT,
        consent_scope TEXT,
        consent_method TEXT,
        consent_withdrawn_on TEXT,
        anonymised_at TEXT
    """,
    "members": """
        person_id INTEGER NOT NULL REFERENCES people(id),
        branch_id INTEGER REFERENCES branches(id),
        admitted_on TEXT NOT NULL,
        decision_no TEXT,
        card_no TEXT,
        status TEXT NOT NULL DEFAULT 'admitted',
        status_on TEXT,
        notes TEXT
    """,
    "member_status": """
        member_id INTEGER NOT NULL REFERENCES members(id),
        status TEXT NOT NULL CHECK (status IN ('admitted', 'moved_in', 'readmitted',
            'moved_out', 'left', 'removed', 'died')),
        on_date TEXT NOT NULL,
        reason TEXT,
        decision_no TEXT
    """,
    "volunteers": """
        person_id INTEGER NOT NULL REFERENCES people(id),
        registered_on TEXT NOT NULL,
        left_on TEXT,
        is_core INTEGER NOT NULL DEFAULT 0,
        skills TEXT,
        team TEXT,
        hours INTEGER NOT NULL DEFAULT 0 CHECK (hours >= 0),
        branch_id INTEGER REFERENCES branches(id),
        notes TEXT
    """,
    "youth": """
        person_id INTEGER NOT NULL REFERENCES people(id),
        kind TEXT NOT NULL DEFAULT 'youth' CHECK (kind IN ('youth', 'teen')),
        registered_on TEXT NOT NULL,
        left_on TEXT,
        school_or_unit TEXT,
        notes TEXT
    """,
    "dues_payments": """
        member_id INTEGER NOT NULL REFERENCES members(id),
        period_from TEXT NOT NULL,
        period_to TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount >= 0),
        paid_on TEXT,
        receipt_no TEXT,
        exempt INTEGER NOT NULL DEFAULT 0,
        notes TEXT
    """,
    "categories": """
        name TEXT NOT NULL,
        sort_order INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1
    """,
    "addresses": """
        name TEXT NOT NULL,
        head_person_id INTEGER REFERENCES people(id),
        unit_id INTEGER REFERENCES units(id),
        street_address TEXT,
        circumstances TEXT,
        needs TEXT,
        opened_on TEXT NOT NULL,
        survey_date TEXT,
        certified_on TEXT,
        file_no TEXT,
        registry_id TEXT,
        status TEXT NOT NULL DEFAULT 'following',
        status_on TEXT,
        notes TEXT
    """,
    "address_members": """
        address_id INTEGER NOT NULL REFERENCES addresses(id),
        person_id INTEGER NOT NULL REFERENCES people(id),
        relation TEXT
    """,
    "address_categories": """
        address_id INTEGER NOT NULL REFERENCES addresses(id),
        category_id INTEGER NOT NULL REFERENCES categories(id)
    """,
    "address_status": """
        address_id INTEGER NOT NULL REFERENCES addresses(id),
        status TEXT NOT NULL CHECK (status IN ('following', 'out_of_hardship', 'stopped')),
        on_date TEXT NOT NULL,
        reason TEXT
    """,
    "sponsors": """
        name TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'org' CHECK (kind IN ('org', 'person')),
        person_id INTEGER REFERENCES people(id),
        contact_name TEXT,
        phone TEXT,
        email TEXT,
        address TEXT,
        notes TEXT
    """,
    "commitments": """
        sponsor_id INTEGER NOT NULL REFERENCES sponsors(id),
        address_id INTEGER NOT NULL REFERENCES addresses(id),
        start_on TEXT NOT NULL,
        end_on TEXT,
        form TEXT NOT NULL DEFAULT 'cash',
        frequency TEXT,
        amount INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
        description TEXT,
        notes TEXT
    """,
    "campaigns": """
        name TEXT NOT NULL,
        code TEXT,
        description TEXT,
        active INTEGER NOT NULL DEFAULT 1
    """,
    "activity_areas": """
        name TEXT NOT NULL,
        code TEXT NOT NULL
    """,
    "distributions": """
        given_on TEXT NOT NULL,
        campaign_id INTEGER REFERENCES campaigns(id),
        area_id INTEGER REFERENCES activity_areas(id),
        form TEXT NOT NULL DEFAULT 'goods',
        description TEXT,
        cash_per_recipient INTEGER NOT NULL DEFAULT 0 CHECK (cash_per_recipient >= 0),
        goods_per_recipient INTEGER NOT NULL DEFAULT 0 CHECK (goods_per_recipient >= 0),
        funding_source TEXT NOT NULL DEFAULT 'own',
        sponsor_id INTEGER REFERENCES sponsors(id),
        notes TEXT
    """,
    "aid_records": """
        given_on TEXT NOT NULL,
        recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('address', 'person', 'group')),
        address_id INTEGER REFERENCES addresses(id),
        person_id INTEGER REFERENCES people(id),
        group_name TEXT,
        head_count INTEGER CHECK (head_count >= 0),
        campaign_id INTEGER REFERENCES campaigns(id),
        area_id INTEGER REFERENCES activity_areas(id),
        form TEXT NOT NULL DEFAULT 'goods',
        description TEXT,
        quantity REAL CHECK (quantity >= 0),
        unit TEXT,
        cash_value INTEGER NOT NULL DEFAULT 0 CHECK (cash_value >= 0),
        goods_value INTEGER NOT NULL DEFAULT 0 CHECK (goods_value >= 0),
        funding_source TEXT NOT NULL DEFAULT 'own'
            CHECK (funding_source IN ('own', 'sponsor', 'higher', 'other')),
        sponsor_id INTEGER REFERENCES sponsors(id),
        persons_reached INTEGER NOT NULL DEFAULT 0 CHECK (persons_reached >= 0),
        households_reached INTEGER NOT NULL DEFAULT 0 CHECK (households_reached >= 0),
        is_emergency INTEGER NOT NULL DEFAULT 0,
        distribution_id INTEGER REFERENCES distributions(id),
        notes TEXT
    """,
    "blood_drives": """
        held_on TEXT NOT NULL,
        partner TEXT,
        registered INTEGER NOT NULL DEFAULT 0 CHECK (registered >= 0),
        donors INTEGER NOT NULL DEFAULT 0 CHECK (donors >= 0),
        units INTEGER NOT NULL DEFAULT 0 CHECK (units >= 0),
        units_250 INTEGER NOT NULL DEFAULT 0 CHECK (units_250 >= 0),
        units_350 INTEGER NOT NULL DEFAULT 0 CHECK (units_350 >= 0),
        units_450 INTEGER NOT NULL DEFAULT 0 CHECK (units_450 >= 0),
        notes TEXT
    """,
    "firstaid_classes": """
        held_on TEXT NOT NULL,
        title TEXT,
        trainees INTEGER NOT NULL DEFAULT 0 CHECK (trainees >= 0),
        cases_handled INTEGER NOT NULL DEFAULT 0 CHECK (cases_handled >= 0),
        notes TEXT
    """,
    "health_activities": """
        held_on TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'checkup',
        person_times INTEGER NOT NULL DEFAULT 0 CHECK (person_times >= 0),
        value INTEGER NOT NULL DEFAULT 0 CHECK (value >= 0),
        notes TEXT
    """,
    "disaster_drills": """
        held_on TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'drill',
        sessions INTEGER NOT NULL DEFAULT 1 CHECK (sessions >= 0),
        participants INTEGER NOT NULL DEFAULT 0 CHECK (participants >= 0),
        notes TEXT
    """,
    "targets": """
        year INTEGER NOT NULL,
        key TEXT NOT NULL,
        value INTEGER NOT NULL CHECK (value >= 0)
    """,
}

INDEXES = [
    "CREATE INDEX idx_people_sort ON people(sort_key)",
    "CREATE INDEX idx_people_id_number ON people(id_number)",
    "CREATE INDEX idx_people_phone ON people(phone)",
    "CREATE INDEX idx_people_birth_year ON people(birth_year)",
    "CREATE INDEX idx_members_person ON members(person_id)",
    "CREATE INDEX idx_members_branch ON members(branch_id)",
    "CREATE INDEX idx_members_admitted ON members(admitted_on)",
    # Covering: the period-end member count reads only this index.
    "CREATE INDEX idx_member_status_member "
    "ON member_status(member_id, on_date, status, deleted_at)",
    "CREATE INDEX idx_member_status_date ON member_status(on_date)",
    "CREATE INDEX idx_volunteers_person ON volunteers(person_id)",
    "CREATE INDEX idx_youth_person ON youth(person_id)",
    "CREATE INDEX idx_dues_member ON dues_payments(member_id)",
    "CREATE INDEX idx_dues_paid_on "
    "ON dues_payments(paid_on, deleted_at, exempt, amount, member_id)",
    # Tombstones are few: partial indexes find them without scanning the live rows.
    "CREATE INDEX idx_people_deleted ON people(id) WHERE deleted_at IS NOT NULL",
    "CREATE INDEX idx_members_deleted ON members(id) WHERE deleted_at IS NOT NULL",
    "CREATE INDEX idx_addresses_deleted ON addresses(id) WHERE deleted_at IS NOT NULL",
    "CREATE INDEX idx_address_members ON address_members(address_id)",
    "CREATE INDEX idx_address_members_person ON address_members(person_id)",
    "CREATE INDEX idx_address_categories ON address_categories(address_id)",
    "CREATE INDEX idx_address_status ON address_status(address_id, on_date)",
    "CREATE INDEX idx_addresses_head ON addresses(head_person_id)",
    "CREATE INDEX idx_commitments_address ON commitments(address_id)",
    "CREATE INDEX idx_commitments_sponsor ON commitments(sponsor_id)",
    # Covering: the period's aid totals and groupings read only this index.
    "CREATE INDEX idx_aid_given_on ON aid_records(given_on, deleted_at, cash_value, goods_value, "
    "persons_reached, households_reached, funding_source, is_emergency, address_id, "
    "campaign_id, area_id)",
    "CREATE INDEX idx_aid_address ON aid_records(address_id)",
    "CREATE INDEX idx_aid_person ON aid_records(person_id)",
    "CREATE INDEX idx_aid_distribution ON aid_records(distribution_id)",
    "CREATE INDEX idx_blood_held_on ON blood_drives(held_on)",
    "CREATE INDEX idx_firstaid_held_on ON firstaid_classes(held_on)",
    "CREATE INDEX idx_health_held_on ON health_activities(held_on)",
    "CREATE INDEX idx_drills_held_on ON disaster_drills(held_on)",
    "CREATE UNIQUE INDEX idx_targets_year_key ON targets(year, key) WHERE deleted_at IS NULL",
]

# Search-as-you-type over people: an external-content FTS5 index of the folded
# name, ID number and phone, kept in step by triggers.
PEOPLE_FTS = [
    """CREATE VIRTUAL TABLE people_fts USING fts5(
        search_fold, id_number, phone,
        content='people', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
    )""",
    """CREATE TRIGGER people_fts_ai AFTER INSERT ON people BEGIN
        INSERT INTO people_fts(rowid, search_fold, id_number, phone)
        VALUES (new.id, new.search_fold, new.id_number, new.phone);
    END""",
    """CREATE TRIGGER people_fts_ad AFTER DELETE ON people BEGIN
        INSERT INTO people_fts(people_fts, rowid, search_fold, id_number, phone)
        VALUES ('delete', old.id, old.search_fold, old.id_number, old.phone);
    END""",
    """CREATE TRIGGER people_fts_au AFTER UPDATE OF search_fold, id_number, phone ON people BEGIN
        INSERT INTO people_fts(people_fts, rowid, search_fold, id_number, phone)
        VALUES ('delete', old.id, old.search_fold, old.id_number, old.phone);
        INSERT INTO people_fts(rowid, search_fold, id_number, phone)
        VALUES (new.id, new.search_fold, new.id_number, new.phone);
    END""",
]


def execute_all(db: Database, statements: list[str]) -> None:
    """Run statements one at a time (executescript() would commit the migration's transaction)."""
    for statement in statements:
        db.execute(statement)


@migrations(name="0001_initial")
def initial(db: Database) -> None:
    """Settings, the audit log and every register table."""
    execute_all(
        db,
        [
            """CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT,
                updated_at TEXT NOT NULL
            )""",
            """CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                user TEXT NOT NULL,
                op_id TEXT NOT NULL,
                op_label TEXT NOT NULL,
                action TEXT NOT NULL,
                table_name TEXT,
                row_id INTEGER,
                row_uuid TEXT,
                old_values TEXT,
                new_values TEXT,
                reason TEXT
            )""",
            "CREATE INDEX idx_audit_op ON audit_log(op_id)",
            "CREATE INDEX idx_audit_at ON audit_log(at)",
            "CREATE INDEX idx_audit_row ON audit_log(table_name, row_id)",
        ]
        + [f"CREATE TABLE {name} ({COMMON},{columns})" for name, columns in REGISTER_TABLES.items()]
        + INDEXES
        + PEOPLE_FTS,
    )


def migration_names() -> list[str]:
    """The names of every migration this version of the program knows, in order."""
    return migrations.names()


# Feature schemas, in the order their migrations run: append new ones at the end and keep
# the order (isort is off here: a file upgraded from an older version runs the migrations
# it lacks in this order).
# isort: off
from chapter_app.store import schema_exchange  # noqa: E402, F401  0003, 0004
from chapter_app.store import schema_reports  # noqa: E402, F401  0002_reports
from chapter_app.store import schema_safety  # noqa: E402, F401  0002_safety
from chapter_app.store import schema_organisation  # noqa: E402, F401  0005
from chapter_app.store import schema_blood  # noqa: E402, F401  0006
from chapter_app.store import schema_throttle  # noqa: E402, F401  0008
from chapter_app.store import schema_exchange_compact  # noqa: E402, F401  0009
from chapter_app.store import schema_report_withdrawal  # noqa: E402, F401  0007
from chapter_app.store import schema_exchange_packed  # noqa: E402, F401  0009 packed
from chapter_app.store import schema_exchange_zstd  # noqa: E402, F401  0010
# isort: on
