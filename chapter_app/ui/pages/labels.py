"""Short labels (marked ``N_``, translated where shown) for stored codes in the lists."""

from __future__ import annotations

from chapter_app.i18n import N_

SEX = {"M": N_("Nam"), "F": N_("Nữ")}

MEMBER_STATUS = {
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

RECIPIENT_KIND = {
    "address": N_("Địa chỉ nhân đạo"),
    "person": N_("Cá nhân"),
    "group": N_("Nhóm"),
}

AID_FORM = {
    "cash": N_("Tiền mặt"),
    "goods": N_("Hiện vật, quà"),
    "rice": N_("Gạo"),
    "workdays": N_("Ngày công"),
    "livelihood": N_("Vốn sinh kế"),
    "insurance": N_("Thẻ bảo hiểm y tế"),
    "scholarship": N_("Học bổng"),
    "house_repair": N_("Sửa nhà"),
    "other": N_("Khác"),
}

FUNDING_SOURCE = {
    "own": N_("Nội lực"),
    "sponsor": N_("Nhà tài trợ"),
    "higher": N_("Cấp trên"),
    "other": N_("Khác"),
}

SPONSOR_KIND = {"org": N_("Tổ chức, doanh nghiệp"), "person": N_("Cá nhân")}

HEALTH_KIND = {
    "checkup": N_("Khám bệnh miễn phí"),
    "medicine": N_("Cấp thuốc miễn phí"),
    "other": N_("Khác"),
}

DRILL_KIND = {"drill": N_("Diễn tập"), "training": N_("Tập huấn")}
