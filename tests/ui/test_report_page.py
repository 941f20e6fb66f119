"""The Báo cáo page: period, figures, narrative, preview, issue, reopen, reprint, differences."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
import shiboken6
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from chapter_app.ui.dialogs.issue_report import IssueReportDialog
from chapter_app.ui.pages.base import set_today
from chapter_app.ui.pages.reports import ReportsPage
from chapter_app.ui.worker import Worker
from tests.services.test_report_data import OFFICER_TEXTS, fill_register

TODAY = date(2026, 11, 23)  # in 2026-Q4, the quarter fill_register has figures for


@pytest.fixture
def page(qtbot, store, monkeypatch):
    fill_register(store)
    set_today(TODAY)
    messages: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    # The issue dialog is accepted once its report is built (its own test drives it).
    monkeypatch.setattr(
        IssueReportDialog,
        "exec",
        lambda self: self.wait_ready() and IssueReportDialog.DialogCode.Accepted,
    )
    monkeypatch.setattr(
        QMessageBox, "information", lambda _parent, title, text, *a: messages.append((title, text))
    )
    worker = Worker(store.path)
    widget = ReportsPage(store, worker)
    widget.messages = messages
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitUntil(lambda: widget.data is not None and not widget.loading, timeout=10000)
    write_officer_sections(widget)
    yield widget
    # The fixture owns the page (not qtbot), so that every job has ended before it goes.
    widget.close()
    qtbot.waitUntil(lambda: not widget.loading, timeout=10000)
    assert worker.wait_idle(10000)
    worker.shutdown()
    shiboken6.delete(widget)
    set_today(None)


def write_officer_sections(page) -> None:
    """What the officer writes in the sections the register cannot (typed in the editors)."""
    for key, text in OFFICER_TEXTS.items():
        page.narrative.editors[key].setPlainText(text)


def wait_loaded(qtbot, page, code: str | None = None) -> None:
    qtbot.waitUntil(
        lambda: (
            not page.loading
            and page.data is not None
            and (code is None or page.data.period_code == code)
        ),
        timeout=10000,
    )


def test_the_page_opens_on_the_current_quarter_with_figures_and_the_draft(page):
    assert page.period.code == "2026-Q4"
    assert page.kind.currentData() == "Q4"
    assert page.language.currentData() == "vi"
    assert page.table.rowCount() >= len(page.data.indicators)
    members = page.data.indicator("members.new")
    row = [page.table.item(r, 0).text() for r in range(page.table.rowCount())].index(
        "Hội viên kết nạp mới"
    )
    assert page.table.item(row, 2).text() == str(members.period)
    assert set(page.narrative.editors) == {s.key for s in page.data.narrative}
    for section in page.data.narrative:
        shown = page.narrative.editors[section.key]
        assert shown.toPlainText() == OFFICER_TEXTS.get(section.key, section.text)
        if section.key in OFFICER_TEXTS:
            assert shown.placeholderText() == section.outline  # the outline to write to


def test_issuing_keeps_the_edited_narrative_and_numbers_follow_the_year(qtbot, page, store):
    key = "situation"
    page.narrative.editors[key].setPlainText("Đoạn do cán bộ viết lại.")
    issued = page.issue()
    assert issued is not None
    reports = store.reports.list()
    assert [(r.year, r.number) for r in reports] == [(2026, 1)]
    kept = store.reports.get(reports[0].id)
    assert "Đoạn do cán bộ viết lại." in kept.narrative_json
    assert page.messages and "01/BC" in page.messages[-1][1]

    wait_loaded(qtbot, page)
    # the edit is kept for the period while the page lives
    assert page.narrative.editors[key].toPlainText() == "Đoạn do cán bộ viết lại."
    second = page.issue()
    assert (second.year, second.number) == (2026, 2)
    assert page.issued.rowCount() == 2


def test_edits_are_kept_per_period(qtbot, page):
    key = page.data.narrative[1].key
    page.narrative.editors[key].setPlainText("Quý IV: đã sửa.")
    page.kind.setCurrentIndex(page.kind.findData("Q3"))
    wait_loaded(qtbot, page, "2026-Q3")
    assert page.narrative.editors[key].toPlainText() != "Quý IV: đã sửa."
    page.kind.setCurrentIndex(page.kind.findData("Q4"))
    wait_loaded(qtbot, page, "2026-Q4")
    assert page.narrative.editors[key].toPlainText() == "Quý IV: đã sửa."


def test_custom_period_uses_the_two_dates(qtbot, page):
    page.kind.setCurrentIndex(page.kind.findData("custom"))
    assert page.start.isVisibleTo(page) and not page.year.isVisibleTo(page)
    page.start.setDate(date(2026, 10, 1))
    page.end.setDate(date(2026, 11, 15))
    wait_loaded(qtbot, page, "2026-10-01..2026-11-15")
    assert page.period.kind == "custom"


def test_reopen_and_reprint_give_back_the_issued_report(qtbot, page, store, tmp_path, monkeypatch):
    key = page.data.narrative[1].key
    page.narrative.editors[key].setPlainText("Nội dung đã ban hành.")
    issued = page.issue()
    page.select_report(issued.id)
    dialog = page.reopen_selected()
    assert dialog.data.number == 1
    editor = dialog.narrative.editors[key]
    assert editor.isReadOnly() and editor.toPlainText() == "Nội dung đã ban hành."
    dialog.close()

    target = tmp_path / "in-lai.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert page.reprint_selected() == target
    stored = store.reports.get(issued.id)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == stored.pdf_sha256
    assert target.read_bytes() == stored.pdf


def test_changed_records_of_an_issued_period_show_as_differences(qtbot, page, store):
    issued = page.issue()
    qtbot.waitUntil(lambda: not page.loading and page.diff_report_id == issued.id, timeout=10000)
    assert page.differences == [] and page.diff_panel.isHidden()

    store.aid.add(
        given_on=date(2026, 11, 20),
        recipient_kind="group",
        group_name="Học sinh",
        campaign_id=store.campaigns.by_name("Học bổng").id,
        cash_value=1_000_000,
        persons_reached=2,
    )
    # the page refreshes itself after the operation and compares the selected report again
    qtbot.waitUntil(lambda: not page.loading and bool(page.differences), timeout=10000)
    keys = [key for key, _old, _new in page.differences]
    assert "period.aid.records" in keys
    assert not page.diff_panel.isHidden()
    assert "thay đổi" in page.tabs.tabText(2)
    labels = [page.diff_table.item(r, 0).text() for r in range(page.diff_table.rowCount())]
    assert any(label.startswith("Trong kỳ: ") for label in labels)


def test_preview_and_save_render_the_pdf_in_english_too(qtbot, page, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    preview = page.preview_pdf()
    assert opened and opened[0].toLocalFile() == str(preview)
    vi_pdf = preview.read_bytes()
    preview.unlink()
    assert vi_pdf.startswith(b"%PDF")

    page.language.setCurrentIndex(page.language.findData("en"))
    qtbot.waitUntil(lambda: not page.loading and page.data.lang == "en", timeout=10000)
    target = tmp_path / "report-en.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert page.save_pdf() == target
    en_pdf = target.read_bytes()
    assert en_pdf.startswith(b"%PDF")
    assert en_pdf != vi_pdf


def test_the_issue_dialog_chooses_number_and_date_lists_checks_and_blocks_empty_sections(
    qtbot, page, store, monkeypatch
):
    from chapter_app.services.report.issue import issue_report

    opened: list[IssueReportDialog] = []

    def drive(dialog):
        opened.append(dialog)
        assert not dialog.ok.isEnabled()  # the report is being built off the GUI thread
        assert dialog.wait_ready() and dialog.ok.isEnabled()
        assert dialog.findChild(type(dialog.number), "issueNumber").value() == 1
        assert dialog.chosen_date() == TODAY
        # the demo targets: blood 70 of 140, so no over-target check; helped <= followed
        dialog.number.setValue(7)
        dialog.day.setDate(dialog.day.date().addDays(10))  # 03/12/2026: the figures move on
        assert dialog.data is None and not dialog.ok.isEnabled()
        assert dialog.wait_ready() and dialog.ok.isEnabled()
        assert dialog.data.issued_on == date(2026, 12, 3)
        return IssueReportDialog.DialogCode.Accepted

    monkeypatch.setattr(IssueReportDialog, "exec", drive)
    issued = page.issue()
    assert (issued.number, issued.issued_on) == (7, date(2026, 12, 3))
    assert page.issued.item(0, 0).text() == "07/BC-CTĐ"
    # an empty section disables "Ban hành" and says which
    page.narrative.editors["assessment"].setPlainText("")

    def refuse(dialog):
        assert dialog.wait_ready() and dialog.data is not None
        assert not dialog.ok.isEnabled()
        assert "ĐÁNH GIÁ CHUNG" in dialog.missing.text()
        return IssueReportDialog.DialogCode.Rejected

    monkeypatch.setattr(IssueReportDialog, "exec", refuse)
    assert page.issue() is None
    # a number already taken is refused in the dialog too
    assert store.reports.number_taken(2026, 7)
    assert issue_report is not None


def test_withdrawing_keeps_the_report_and_its_number(qtbot, page, store, monkeypatch):
    first = page.issue()
    page.select_report(first.id)
    monkeypatch.setattr(
        "chapter_app.ui.pages.reports.QInputDialog.getText",
        lambda *a, **k: ("Số liệu sai, thay bằng báo cáo mới", True),
    )
    page.withdraw_button.click()
    withdrawn = store.reports.get(first.id)
    assert withdrawn.withdrawal_reason == "Số liệu sai, thay bằng báo cáo mới"
    assert "Đã thu hồi" in page.issued.item(0, 4).text()
    replacement = page.issue()
    assert replacement.number == 2
    assert [page.issued.item(r, 0).text() for r in range(2)] == ["02/BC-CTĐ", "01/BC-CTĐ"]


def test_a_draft_made_inside_its_quarter_says_its_figures_stop_today(page):
    # today is 23/11/2026, inside 2026-Q4: the caption and the figures stop there
    assert page.data.as_of == TODAY
    assert "đến ngày 23/11/2026 (hôm nay, kỳ báo cáo chưa kết thúc)" in page.caption.text()
    assert "tính đến ngày 23/11/2026" in page.data.subject
