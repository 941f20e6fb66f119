"""Short labels (marked ``N_``, translated where shown) for stored codes in the lists."""

from __future__ import annotations

from chapter_app.domain import labels as codes
from chapter_app.ui.forms import labels as form_labels

SEX = codes.SEX
MEMBER_STATUS = codes.MEMBER_STATUS_LISTED
RECIPIENT_KIND = codes.RECIPIENT_KIND_LISTED

# Codes whose labels are the same in lists and in forms.
ADDRESS_STATUS = codes.ADDRESS_STATUS
FUNDING_SOURCE = codes.FUNDING_SOURCE
SPONSOR_KIND = codes.SPONSOR_KIND
HEALTH_KIND = form_labels.HEALTH_KIND
DRILL_KIND = form_labels.DRILL_KIND
