"""Short labels (marked ``N_``, translated where shown) for stored codes in the lists."""

from __future__ import annotations

from chapter_app.i18n import N_
from chapter_app.ui.forms import labels as form_labels

SEX = form_labels.SEX

MEMBER_STATUS = {
    "admitted": N_("Đang sinh hoạt"),
    "moved_in": N_("Chuyển đến"),
    "readmitted": N_("Kết nạp lại"),
    "moved_out": N_("Chuyển đi"),
    "left": N_("Ra khỏi Hội"),
    "removed": N_("Xóa tên"),
    "died": N_("Từ trần"),
}

RECIPIENT_KIND = {
    "address": N_("Địa chỉ nhân đạo"),
    "person": N_("Cá nhân"),
    "group": N_("Nhóm"),
}

# Codes whose labels are the same in lists and in forms.
ADDRESS_STATUS = form_labels.ADDRESS_STATUS
FUNDING_SOURCE = form_labels.FUNDING_SOURCE
SPONSOR_KIND = form_labels.SPONSOR_KIND
HEALTH_KIND = form_labels.HEALTH_KIND
DRILL_KIND = form_labels.DRILL_KIND
