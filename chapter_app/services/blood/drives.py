"""A drive's figures: from its named donations when it has them, else its typed counts."""

from __future__ import annotations

from dataclasses import dataclass

from chapter_app.domain.models import BloodDrive
from chapter_app.store.store import Store


@dataclass(frozen=True)
class DriveFigures:
    registered: int
    donors: int
    units: int
    units_250: int
    units_350: int
    units_450: int
    volume_ml: int
    named: bool  # True: derived from named donations

    def as_json(self) -> dict:
        return dict(self.__dict__)


def _typed(drive: BloodDrive) -> DriveFigures:
    return DriveFigures(
        registered=drive.registered,
        donors=drive.donors,
        units=drive.units,
        units_250=drive.units_250,
        units_350=drive.units_350,
        units_450=drive.units_450,
        volume_ml=250 * drive.units_250 + 350 * drive.units_350 + 450 * drive.units_450,
        named=False,
    )


def drive_figures(store: Store, drives: list[BloodDrive]) -> dict[int, DriveFigures]:
    """Per drive id: the figures derived from its named donations (registered: those who
    came, donated or deferred, or the typed number when higher), else the typed counts."""
    derived = store.blood.drive_figures([d.id for d in drives])
    out = {}
    for drive in drives:
        named = derived.get(drive.id)
        if named is None:
            out[drive.id] = _typed(drive)
        else:
            out[drive.id] = DriveFigures(
                **(named | {"registered": max(named["registered"], drive.registered)}),
                named=True,
            )
    return out
