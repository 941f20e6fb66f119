"""Tables for blood donors (issue 17): the donor role, donations, deferrals, honours.

A donor is a role of a person (``donors.person_id``), never a second person record.
``blood_group`` is health data: sensitive.
"""

from __future__ import annotations

from chapter_app.store.database import Database
from chapter_app.store.schema import COMMON, execute_all, migrations


@migrations(name="0006_blood_donors")
def blood_donors(db: Database) -> None:
    """Donors, their donations and deferrals (linked to drives when given at one), honours."""
    execute_all(
        db,
        [
            f"""CREATE TABLE donors ({COMMON},
                person_id INTEGER NOT NULL REFERENCES people(id),
                blood_group TEXT CHECK (blood_group IS NULL OR blood_group IN
                    ('O+', 'O-', 'A+', 'A-', 'B+', 'B-', 'AB+', 'AB-')),
                prior_donations INTEGER NOT NULL DEFAULT 0 CHECK (prior_donations >= 0),
                prior_last_on TEXT,
                registered_on TEXT,
                notes TEXT
            )""",
            f"""CREATE TABLE donations ({COMMON},
                donor_id INTEGER NOT NULL REFERENCES donors(id),
                donated_on TEXT NOT NULL,
                drive_id INTEGER REFERENCES blood_drives(id),
                kind TEXT NOT NULL DEFAULT 'whole' CHECK (kind IN ('whole', 'component')),
                volume_ml INTEGER CHECK (volume_ml IS NULL OR volume_ml > 0),
                component TEXT,
                place TEXT,
                certificate_no TEXT,
                notes TEXT
            )""",
            f"""CREATE TABLE deferrals ({COMMON},
                donor_id INTEGER NOT NULL REFERENCES donors(id),
                on_date TEXT NOT NULL,
                drive_id INTEGER REFERENCES blood_drives(id),
                reason TEXT,
                until_on TEXT,
                notes TEXT
            )""",
            f"""CREATE TABLE donor_honours ({COMMON},
                donor_id INTEGER NOT NULL REFERENCES donors(id),
                year INTEGER NOT NULL,
                threshold INTEGER NOT NULL CHECK (threshold >= 1),
                form TEXT,
                given_on TEXT,
                decision_no TEXT,
                notes TEXT
            )""",
            "CREATE UNIQUE INDEX idx_donors_person ON donors(person_id) WHERE deleted_at IS NULL",
            # Covering: last donation per donor and period counts read only these indexes.
            "CREATE INDEX idx_donations_donor ON donations(donor_id, deleted_at, kind, donated_on)",
            "CREATE INDEX idx_donations_date ON donations(donated_on, deleted_at, donor_id, "
            "volume_ml, drive_id)",
            "CREATE INDEX idx_donations_drive ON donations(drive_id)",
            "CREATE INDEX idx_deferrals_donor ON deferrals(donor_id, on_date)",
            "CREATE INDEX idx_deferrals_drive ON deferrals(drive_id)",
            "CREATE UNIQUE INDEX idx_donor_honours ON donor_honours(donor_id, threshold) "
            "WHERE deleted_at IS NULL",
        ],
    )
