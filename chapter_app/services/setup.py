"""Creating a chapter's database: settings and the editable reference lists."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from chapter_app.domain.text import clean_text
from chapter_app.services.organisation import add_branch, add_unit
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
    settings: Mapping[str, Any] | None = None,
    branch_names: Sequence[str] = (),
    unit_names: Sequence[str] = (),
) -> Store:
    """Create (or open) the database at ``path``, store the chapter's identity (and any
    other ``settings``), seed lists, and add the chi hội and thôn named, all in one
    operation: on any error nothing of it is kept, and a file this call created is removed."""
    path = Path(path)
    existed = path.exists()
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
            values.update({k: v for k, v in (settings or {}).items() if v not in (None, "")})
            store.settings.update(values)
            seed_reference_lists(store)
            for name in unit_names:
                add_unit(store, name=name)
            for name in branch_names:
                add_branch(store, name=name)
    except Exception:
        store.close()
        if not existed:
            _remove_database(path)
        raise
    return store


def _remove_database(path: Path) -> None:
    """Remove a database file this process just created (and its WAL companions)."""
    for candidate in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm"))):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


def parse_names(text: str, *, key: Callable[[str], str]) -> tuple[list[str], list[str]]:
    """The names typed or pasted one per line (bullets, numbering and blank lines dropped;
    of cells pasted from a sheet, the first of each row), and those that repeat an earlier
    line (compared with ``key``: tones, case, kind word)."""
    names: list[str] = []
    repeated: list[str] = []
    seen: set[str] = set()
    for line in (text or "").splitlines():
        cells = [cell for cell in line.split("\t") if cell.strip()]
        name = clean_text(_LIST_MARK.sub("", cells[0] if cells else ""))
        if not name:
            continue
        k = key(name)
        if k in seen:
            repeated.append(name)
            continue
        seen.add(k)
        names.append(name)
    return names, repeated


# "- ", "• ", "1. ", "2) " at the start of a pasted line
_LIST_MARK = re.compile(r"^\s*(?:[-•*·]+|\d{1,3}[.)])\s*")
