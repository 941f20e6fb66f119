"""Creating a chapter's database: settings and the editable reference lists."""

from __future__ import annotations

from pathlib import Path

from chapter_app.store.repository import Query
from chapter_app.store.store import Store

# Editable lists of the domain brief (§2); a new database starts with these.
CAMPAIGNS = [
    ("Tết Nhân ái", "tet"),
    ("Tháng Nhân đạo", "thang_nhan_dao"),
    ("Địa chỉ nhân đạo", "dia_chi_nhan_dao"),
    ("Cứu trợ khẩn cấp", "cuu_tro"),
    ("Người tốt việc thiện", "nguoi_tot"),
    ("Dinh dưỡng trẻ em", "dinh_duong"),
    ("Sinh kế", "sinh_ke"),
    ("Học bổng", "hoc_bong"),
]

AREAS = [
    ("Cứu trợ khẩn cấp và trợ giúp nhân đạo", "relief"),
    ("Chăm sóc sức khỏe", "health"),
    ("Sơ cấp cứu", "firstaid"),
    ("Hiến máu, mô, bộ phận cơ thể người", "blood"),
    ("Tìm kiếm tin tức thân nhân", "tracing"),
    ("Truyền thông giá trị nhân đạo", "values"),
    ("Phòng ngừa, ứng phó thảm họa", "disaster"),
]

CATEGORIES = [
    "Hộ nghèo",
    "Hộ cận nghèo",
    "Nạn nhân chất độc da cam",
    "Người già neo đơn, không nơi nương tựa",
    "Người khuyết tật",
    "Trẻ em mồ côi",
    "Trẻ em có hoàn cảnh khó khăn",
    "Người mắc bệnh hiểm nghèo",
    "Hộ gia đình chính sách",
    "Hộ gặp thiên tai",
]


def seed_reference_lists(store: Store) -> None:
    """Add the standard campaigns, activity areas and categories where the lists are empty."""
    with store.operation("Tạo danh mục mặc định"):
        if not store.campaigns.count(Query()):
            for name, code in CAMPAIGNS:
                store.campaigns.add(name=name, code=code)
        if not store.areas.count(Query()):
            for name, code in AREAS:
                store.areas.add(name=name, code=code)
        if not store.categories.count(Query()):
            for order, name in enumerate(CATEGORIES, start=1):
                store.categories.add(name=name, sort_order=order)


def init_database(
    path: Path | str,
    *,
    chapter_name: str,
    parent_name: str = "",
    place_name: str = "",
    signer_name: str = "",
    user: str | None = None,
) -> Store:
    """Create (or open) the database at ``path``, store the chapter's identity, seed lists."""
    store = Store.open(path, user=user)
    try:
        with store.operation("Khởi tạo dữ liệu chi hội"):
            values = {"chapter_name": chapter_name}
            if parent_name:
                values["parent_name"] = parent_name
            if place_name:
                values["place_name"] = place_name
            if signer_name:
                values["signer_name"] = signer_name
            store.settings.update(values)
            seed_reference_lists(store)
    except Exception:
        store.close()
        raise
    return store
