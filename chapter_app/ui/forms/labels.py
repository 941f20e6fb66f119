"""Vietnamese labels (marked ``N_``, translated where shown) for the codes the forms offer."""

from __future__ import annotations

from chapter_app.i18n import N_, _
from chapter_app.services import activities

MEMBER_STATUS = {
    "admitted": N_("Kết nạp"),
    "moved_in": N_("Chuyển đến sinh hoạt"),
    "readmitted": N_("Kết nạp lại"),
    "moved_out": N_("Chuyển sinh hoạt đi"),
    "left": N_("Ra khỏi Hội"),
    "removed": N_("Xóa tên"),
    "died": N_("Từ trần"),
}

ADDRESS_STATUS = {
    "following": N_("Đang theo dõi"),
    "out_of_hardship": N_("Đã thoát khó khăn"),
    "stopped": N_("Ngừng theo dõi"),
}

RECIPIENT_KIND = {
    "address": N_("Địa chỉ nhân đạo (hộ)"),
    "person": N_("Cá nhân"),
    "group": N_("Nhóm không ghi tên"),
}

FUNDING_SOURCE = {
    "own": N_("Nội lực"),
    "sponsor": N_("Nhà tài trợ"),
    "higher": N_("Cấp trên"),
    "other": N_("Khác"),
}

SPONSOR_KIND = {"org": N_("Tổ chức, doanh nghiệp"), "person": N_("Cá nhân")}

SEX = {"M": N_("Nam"), "F": N_("Nữ")}

HEALTH_KIND = activities.HEALTH_KIND
DRILL_KIND = activities.DRILL_KIND


def label(table: dict[str, str], code: str | None) -> str:
    """The translated label of ``code`` (the code itself when unknown, empty for None)."""
    if code is None:
        return ""
    text = table.get(str(code))
    return _(text) if text else str(code)


def choices(table: dict[str, str]) -> list[tuple[str, str]]:
    """``(translated label, code)`` pairs for a choice box, in the table's order."""
    return [(_(text), code) for code, text in table.items()]
