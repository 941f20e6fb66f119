"""Creating a chapter's database: settings and the editable reference lists."""

from __future__ import annotations

from pathlib import Path

from chapter_app.store.repository import Query
from chapter_app.store.store import Store

# Editable lists of the domain brief (§2); a new database starts with these.
CAMPAIGNS = [
    ("Tết Nhân ái", "tet", "Humanitarian Tết"),
    ("Tháng Nhân đạo", "thang_nhan_dao", "Humanitarian Month"),
    ("Địa chỉ nhân đạo", "dia_chi_nhan_dao", "Humanitarian addresses"),
    ("Cứu trợ khẩn cấp", "cuu_tro", "Emergency relief"),
    ("Người tốt việc thiện", "nguoi_tot", "Good people, good deeds"),
    ("Dinh dưỡng trẻ em", "dinh_duong", "Child nutrition"),
    ("Sinh kế", "sinh_ke", "Livelihoods"),
    ("Học bổng", "hoc_bong", "Scholarships"),
]

AREAS = [
    ("Cứu trợ khẩn cấp và trợ giúp nhân đạo", "relief", "Emergency relief and humanitarian aid"),
    ("Chăm sóc sức khỏe", "health", "Health care"),
    ("Sơ cấp cứu", "firstaid", "First aid"),
    ("Hiến máu, mô, bộ phận cơ thể người", "blood", "Blood, tissue and organ donation"),
    ("Tìm kiếm tin tức thân nhân", "tracing", "Restoring family links"),
    ("Truyền thông giá trị nhân đạo", "values", "Spreading humanitarian values"),
    ("Phòng ngừa, ứng phó thảm họa", "disaster", "Disaster preparedness and response"),
]

CATEGORIES = [
    ("Hộ nghèo", "Poor household"),
    ("Hộ cận nghèo", "Near-poor household"),
    ("Nạn nhân chất độc da cam", "Agent Orange victim"),
    ("Người già neo đơn, không nơi nương tựa", "Elderly person living alone"),
    ("Người khuyết tật", "Person with a disability"),
    ("Trẻ em mồ côi", "Orphan"),
    ("Trẻ em có hoàn cảnh khó khăn", "Child in difficult circumstances"),
    ("Người mắc bệnh hiểm nghèo", "Person with a serious illness"),
    ("Hộ gia đình chính sách", "Policy household"),
    ("Hộ gặp thiên tai", "Household hit by a disaster"),
]


def seed_reference_lists(store: Store) -> None:
    """Add the standard campaigns, activity areas and categories where the lists are empty."""
    with store.operation("Tạo danh mục mặc định"):
        if not store.campaigns.count(Query()):
            for order, (name, code, name_en) in enumerate(CAMPAIGNS, start=1):
                store.campaigns.add(name=name, code=code, name_en=name_en, sort_order=order)
        if not store.areas.count(Query()):
            for order, (name, code, name_en) in enumerate(AREAS, start=1):
                store.areas.add(name=name, code=code, name_en=name_en, sort_order=order)
        if not store.categories.count(Query()):
            for order, (name, name_en) in enumerate(CATEGORIES, start=1):
                store.categories.add(name=name, sort_order=order, name_en=name_en)


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
