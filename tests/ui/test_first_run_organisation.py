"""The first-run wizard's step for the chi hội and thôn, typed or pasted one per line."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMessageBox, QWizard

from chapter_app.store.repository import Query
from chapter_app.store.store import Store
from chapter_app.ui.first_run import FirstRunWizard, create_database


def _to_organisation_page(wizard, *, upper: bool = False):
    wizard.show()
    wizard.next()
    wizard.chapter.chapter_name.setText("Hội Chữ thập đỏ xã Tịnh Kỳ")
    wizard.chapter.upper.setChecked(upper)
    wizard.next()
    wizard.next()


def test_the_chi_hoi_and_thon_pasted_in_the_wizard_are_created_with_the_file(qtbot, tmp_path):
    path = tmp_path / "tinh-ky.db"
    wizard = FirstRunWizard(path)
    qtbot.addWidget(wizard)
    _to_organisation_page(wizard)
    page = wizard.organisation
    assert wizard.currentPage() is page
    page.branch_names.setPlainText(
        "1. Chi hội Thôn An Vĩnh\n- Chi hội Thôn Khê Tân\n\n  Chi hội Trường THCS  \n"
    )
    page.unit_names.setPlainText("Thôn An Vĩnh\r\nThôn Khê Tân\r\n")
    assert page.branch_count.text() == "3 chi hội"
    assert page.unit_count.text() == "2 thôn, tổ dân phố"
    wizard.next()
    assert wizard.currentPage() is wizard.file
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.result() == QDialog.DialogCode.Accepted, timeout=30000)
    with Store.open(path) as store:
        assert sorted(b.name for b in store.branches.list(Query())) == [
            "Chi hội Thôn An Vĩnh",
            "Chi hội Thôn Khê Tân",
            "Chi hội Trường THCS",
        ]
        assert sorted(u.name for u in store.units.list(Query())) == ["Thôn An Vĩnh", "Thôn Khê Tân"]
        # one operation: the chapter's details, lists, chi hội and thôn are one undo step
        ops = store.db.execute(
            "SELECT DISTINCT op_id FROM audit_log WHERE table_name IN "
            "('settings', 'branches', 'units', 'campaigns')"
        ).fetchall()
        assert len(ops) == 1


def test_a_name_given_twice_in_the_wizard_is_refused_before_anything_is_written(
    qtbot, tmp_path, monkeypatch
):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    path = tmp_path / "trung.db"
    wizard = FirstRunWizard(path)
    qtbot.addWidget(wizard)
    _to_organisation_page(wizard)
    wizard.organisation.branch_names.setPlainText("Chi hội Thôn 1\nCHI HOI THON 1")
    wizard.next()
    assert wizard.currentPage() is wizard.organisation
    assert "«CHI HOI THON 1»" in warnings[0]
    assert not path.exists()


def test_an_upper_level_file_skips_the_chi_hoi_step(qtbot, tmp_path):
    wizard = FirstRunWizard(tmp_path / "tinh.db")
    qtbot.addWidget(wizard)
    _to_organisation_page(wizard, upper=True)
    assert wizard.currentPage() is wizard.file


def test_a_refused_name_leaves_no_file_behind(tmp_path):
    path = tmp_path / "hong.db"
    too_long = "Chi hội " + "x" * 130
    try:
        create_database(
            path,
            chapter_name="Hội Chữ thập đỏ xã Tịnh Kỳ",
            parent_name="",
            place_name="",
            signing_form="",
            signer_title="",
            signer_name="",
            demo=False,
            branch_names=["Chi hội Thôn 1", too_long],
        )
    except Exception as error:
        assert "120" in str(error)
    else:
        raise AssertionError("a name of 130 letters was accepted")
    assert not path.exists()


def test_rows_pasted_from_a_sheet_give_their_first_cell():
    from chapter_app.domain.organisation import unit_key
    from chapter_app.services.setup import parse_names

    pasted = "Thôn An Vĩnh\t120 hộ\r\n\tThôn Khê Tân\t95\r\n\r\n"
    assert parse_names(pasted, key=unit_key) == (["Thôn An Vĩnh", "Thôn Khê Tân"], [])
