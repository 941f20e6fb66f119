"""A chapter that keeps its members in Excel, from no file at all, through the window only.

The wizard creates a register with no chi hội (the officer will take them from the sheet);
the 137-row member list the chapter has kept for years, its names typed in TCVN3 (ABC,
.VnTime), goes through File → "Nhập từ Excel…": the preview finds the list behind a cover
page, converts the names, offers the four chi hội and four thôn the sheet names, and the
import creates them with the members. The Hội viên page then finds "nguyen van" among
the converted names. The test body drives widgets; the register is read only to assert.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from chapter_app.domain.text import fold
from chapter_app.store.repository import Query
from tests.services.chapter_sheets import BRANCHES, UNITS, member_register_sheet
from tests.services.test_import_formats import recoded, tcvn3
from tests.ui import journey as j
from tests.ui.import_steps import open_import_preview, press_import, tick_all_missing

NAME_COLUMN = 2


def test_a_chapter_brings_its_tcvn3_member_sheet_into_a_blank_register(
    qtbot, qapp, tmp_path, monkeypatch
):
    from chapter_app.ui.qt_i18n import apply_language

    apply_language(qapp, "vi")
    path = j.create_register(
        qtbot,
        tmp_path / "tinh-ky.db",
        chapter="Hội Chữ thập đỏ xã Tịnh Kỳ",
        parent="Hội Chữ thập đỏ tỉnh Quảng Ngãi",
        place="Tịnh Kỳ",
        signer="Nguyễn Văn Hùng",
        branches=[],
        units=[],
    )
    window = j.open_window(qtbot, path, QSettings(str(tmp_path / "w.ini"), QSettings.IniFormat))
    store = window.store
    assert store.branches.list() == [] and store.members.count(Query()) == 0

    sheet = member_register_sheet(tmp_path / "unicode.xlsx")
    legacy = recoded(sheet.path, tmp_path / "ds-hoi-vien.xlsx", tcvn3, columns={NAME_COLUMN})

    dialog = open_import_preview(qtbot, window, legacy, monkeypatch)
    summary = dialog.summary.text()
    assert "Trang tính «DS hội viên»" in summary and "137 dòng" in summary
    assert "TCVN3" in summary
    offered = tick_all_missing(dialog)
    assert len(offered) == len(BRANCHES | UNITS)
    assert store.branches.list() == []  # the preview creates nothing
    told = press_import(qtbot, dialog, monkeypatch)
    assert dialog.result is not None and dialog.result.added == 137, told

    assert {b.name for b in store.branches.list()} == BRANCHES
    assert {u.name for u in store.units.list()} == UNITS
    stored = {row["full_name"] for row in store.members.rows(Query(limit=500))}
    assert stored == set(sheet.names)  # converted from TCVN3, NFC, nothing else touched

    page = j.go_to(qtbot, window, "members")
    j.type_into(page.search_box, "nguyen van")
    page.apply_search()
    qtbot.waitUntil(lambda: page.model.search == "nguyen van", timeout=5000)
    while page.model.canFetchMore():
        page.model.fetchMore()
    column = page.model.column_of("full_name")
    shown = [page.model.data(page.model.index(r, column)) for r in range(page.model.rowCount())]
    expected = sorted(n for n in sheet.names if fold(n).startswith("nguyen van"))
    assert expected and sorted(shown) == expected
    window.close()
