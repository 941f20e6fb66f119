"""Vietnamese labels of the codes stored for people, members, households, sponsors and aid.

One table per code, shared by the forms, the lists and the command line. Labels are marked
``N_`` and translated where they are shown (``_(label)``). Standard library only.
"""

from __future__ import annotations

from chapter_app.domain.validation import N_

# A member's status change, as the forms and the command line offer it.
MEMBER_STATUS = {
    "admitted": N_("Kết nạp"),
    "moved_in": N_("Chuyển đến sinh hoạt"),
    "readmitted": N_("Kết nạp lại"),
    "moved_out": N_("Chuyển sinh hoạt đi"),
    "left": N_("Ra khỏi Hội"),
    "removed": N_("Xóa tên"),
    "died": N_("Từ trần"),
}

# A member's current status, short, as a list shows it.
MEMBER_STATUS_LISTED = {
    "admitted": N_("Đang sinh hoạt"),
    "moved_in": N_("Chuyển đến"),
    "readmitted": N_("Kết nạp lại"),
    "moved_out": N_("Chuyển đi"),
    "left": N_("Ra khỏi Hội"),
    "removed": N_("Xóa tên"),
    "died": N_("Từ trần"),
}

ADDRESS_STATUS = {
    "following": N_("Đang theo dõi"),
    "out_of_hardship": N_("Đã thoát khó khăn"),
    "stopped": N_("Ngừng theo dõi"),
}

# Who received aid, as a form offers it ...
RECIPIENT_KIND = {
    "address": N_("Địa chỉ nhân đạo (hộ)"),
    "person": N_("Cá nhân"),
    "group": N_("Nhóm không ghi tên"),
}
# ... and as a list shows it.
RECIPIENT_KIND_LISTED = {
    "address": N_("Địa chỉ nhân đạo"),
    "person": N_("Cá nhân"),
    "group": N_("Nhóm"),
}

FUNDING_SOURCE = {
    "own": N_("Nội lực"),
    "sponsor": N_("Nhà tài trợ"),
    "higher": N_("Cấp trên"),
    "other": N_("Khác"),
}

SPONSOR_KIND = {"org": N_("Tổ chức, doanh nghiệp"), "person": N_("Cá nhân")}

SEX = {"M": N_("Nam"), "F": N_("Nữ")}


def lower_first(text: str) -> str:
    """``text`` as it reads inside a sentence: "Ra khỏi Hội" -> "ra khỏi Hội"."""
    return text[:1].lower() + text[1:]
