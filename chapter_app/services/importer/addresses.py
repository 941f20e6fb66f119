"""Humanitarian address sheets: the household, its categories and status, and the sponsor
with a commitment when the row names one (a further row of the same household adds a
sponsor to it).

Split by concern: :mod:`.address_columns` (what the columns hold), :mod:`.address_plan`
(planning a row), :mod:`.address_write` (writing the plan). This module registers the
kind and names what other code imports.
"""

from __future__ import annotations

from chapter_app.services.importer.address_plan import (
    MSG_ADDRESS_ON_FILE,
    MSG_SPONSOR_MISSING,
    MSG_UNKNOWN_CATEGORY,
    AddressPayload,
    AddressPlanner,
)
from chapter_app.services.importer.address_write import AddressWriter
from chapter_app.services.importer.planner import register

_AddressPayload = AddressPayload  # the name tests and older code import

__all__ = [
    "MSG_ADDRESS_ON_FILE",
    "MSG_SPONSOR_MISSING",
    "MSG_UNKNOWN_CATEGORY",
    "AddressPayload",
    "AddressPlanner",
    "AddressWriter",
]

register("addresses", planner=AddressPlanner, writer=AddressWriter)
