"""Steps of an officer's journeys through the real window, shared by the journey tests.

Everything here acts as the officer would: it finds widgets by objectName or their text,
types with QKeyEvents carrying the text (``qtbot.keyClicks`` aborts on Vietnamese
letters), presses keys and clicks buttons with the mouse, where the officer sees them:
every window a step acts in must lie inside the screen's available area and every button
clicked inside it, not covered and not cut off (:func:`click`), so the same journey run on
a 1366×768 screen at 125 % (``test_journey_small_screen.py``) proves it can be done there
without moving a window. Modal dialogs are answered from a timer that waits for them to
show (:func:`when_shown`). Nothing here calls a store or a service.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QRect, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QWidget,
)

from chapter_app.ui import fit

WAIT_MS = 15000


class Answers:
    """The errors raised while answering dialogs (a failing step must not leave a modal
    dialog open, which would hang the test); :meth:`check` raises the first one."""

    def __init__(self):
        self.errors: list[BaseException] = []

    def check(self) -> None:
        if self.errors:
            raise self.errors[0]


ANSWERS = Answers()


def when_shown(kind: type, answer: Callable[[Any], None], *, timeout_ms: int = WAIT_MS) -> None:
    """Run ``answer(dialog)`` once a modal dialog of type ``kind`` is showing. If ``answer``
    fails, the dialog is closed and the error kept for :meth:`Answers.check`."""
    waited = [0]

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            try:
                QApplication.processEvents()  # what the officer sees: the layout settled
                assert_on_screen(widget)
                answer(widget)
            except BaseException as error:
                ANSWERS.errors.append(error)
                if widget.isVisible():
                    widget.reject() if hasattr(widget, "reject") else widget.close()
            return
        waited[0] += 20
        if waited[0] > timeout_ms:
            ANSWERS.errors.append(AssertionError(f"no {kind.__name__} was shown"))
            return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def answer_question(button_text: str = "Yes", *, then: Callable[[], None] | None = None) -> None:
    """Press ``button_text`` ("Yes", "No", "OK" or a button's own text) on the next message
    box (confirmations); ``then`` runs just before, to answer a box that follows it."""

    def press(box: QMessageBox) -> None:
        if then is not None:
            then()
        for button in box.buttons():
            role = box.standardButton(button)
            names = {button.text().replace("&", "").lower()}
            if role != QMessageBox.StandardButton.NoButton:
                names.add(QMessageBox.StandardButton(role).name.lower())
            if button_text.lower() in names:
                click(button)
                return
        raise AssertionError(f"no button {button_text!r} in {[b.text() for b in box.buttons()]}")

    when_shown(QMessageBox, press)


def type_into(widget: QWidget, text: str) -> None:
    """Put the cursor in ``widget`` and type ``text`` one character at a time."""
    if isinstance(widget, QComboBox) and widget.isEditable():
        widget = widget.lineEdit()
    widget.setFocus(Qt.OtherFocusReason)
    for ch in text:
        QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyPress, 0, Qt.NoModifier, ch))
        QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyRelease, 0, Qt.NoModifier, ch))


def key(widget: QWidget, code: Qt.Key, modifiers=Qt.NoModifier) -> None:
    """Press one key (Tab, Return, Down, ...) in ``widget``."""
    QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyPress, code, modifiers))
    QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyRelease, code, modifiers))


def leave(widget: QWidget) -> None:
    """Tab out of ``widget`` (so the field settles what was typed)."""
    if isinstance(widget, QComboBox) and widget.isEditable():
        widget = widget.lineEdit()
    key(widget, Qt.Key_Tab)


def fill(dialog, values: dict[str, str]) -> None:
    """Type each value into the record dialog's field of that key, leaving it after."""
    for field_key, text in values.items():
        editor = dialog.fields[field_key].editor
        line = getattr(dialog.fields[field_key], "line", None) or editor
        if hasattr(line, "clear") and not isinstance(line, QComboBox):
            line.clear()
        elif isinstance(line, QComboBox) and line.isEditable():
            line.lineEdit().clear()
        type_into(line, text)
        leave(line)


def pick(dialog, field_key: str, text: str, qtbot) -> None:
    """Type into a search-as-you-type picker and choose the first suggestion with Enter."""
    picker = dialog.fields[field_key]
    type_into(picker.line, text)
    picker.run_search()
    popup = picker.completer.popup()
    qtbot.waitUntil(lambda: popup.isVisible() and picker.model.rowCount() > 0, timeout=WAIT_MS)
    popup.setCurrentIndex(picker.model.index(0, 0))
    key(popup, Qt.Key_Return)
    qtbot.waitUntil(lambda: picker.raw() is not None, timeout=WAIT_MS)


def choose(combo: QComboBox, text: str) -> None:
    """Choose the entry of a (non-editable) list box whose text is ``text``."""
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setFocus(Qt.OtherFocusReason)
    while combo.currentIndex() != index:
        key(combo, Qt.Key_Down if combo.currentIndex() < index else Qt.Key_Up)


def button(parent: QWidget, text: str) -> QPushButton:
    """The visible button of ``parent`` whose text (without "&") is ``text``."""
    for candidate in parent.findChildren(QAbstractButton):
        if candidate.text().replace("&", "") == text and candidate.isVisible():
            return candidate
    raise AssertionError(f"no button {text!r}")


def window_rect(window: QWidget) -> QRect:
    """The rectangle ``window`` covers on the screen: a maximised window its size at the
    available area's corner (where a window manager puts it; offscreen leaves it 2 px
    off), any other its frame (the title bar a window manager would draw included)."""
    if window.isMaximized() or window.isFullScreen():
        return QRect(fit.available_area(window).topLeft(), window.size())
    return fit.frame_rect(window)


def assert_on_screen(window: QWidget) -> None:
    """``window`` lies inside its screen's available area, title bar included. Checked
    when the journey runs on a named screen (``JOURNEY_SCREEN``): the offscreen
    platform's default 800×800 screen is narrower than any the program is made for."""
    if not os.environ.get("JOURNEY_SCREEN"):
        return
    area = fit.available_area(window)
    rect = window_rect(window)
    assert area.contains(rect), (
        f"{type(window).__name__} {rect.width()}x{rect.height()} at ({rect.x()},{rect.y()}) "
        f"is not inside the screen {area.width()}x{area.height()}"
    )


def assert_screen() -> None:
    """When the environment names the screen (``JOURNEY_SCREEN=1093x614``, logical
    pixels), the primary screen's available area is that size."""
    wanted = os.environ.get("JOURNEY_SCREEN")
    if wanted:
        area = fit.available_area(None)
        assert f"{area.width()}x{area.height()}" == wanted, (area, wanted)


def click(widget: QAbstractButton) -> None:
    """Click ``widget`` with the mouse where it is shown: its window inside the screen, the
    button inside its window and on top at its centre (a long form is scrolled to it first,
    as the officer would)."""
    name = widget.text().replace("&", "") or widget.objectName()
    if not widget.isVisible():  # added to a shown form: Qt shows it by a queued call
        QApplication.sendPostedEvents(widget, QEvent.Type.MetaCall)
    assert widget.isVisible(), f"button {name!r} is not shown"
    assert widget.isEnabled(), f"button {name!r} is disabled"
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QScrollArea) and parent.widget() is not None:
            parent.ensureWidgetVisible(widget)
        parent = parent.parentWidget()
    window = widget.window()
    assert_on_screen(window)
    centre = widget.rect().center()
    inside = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    assert window.rect().contains(inside), f"button {name!r} is cut off by its window's edge"
    on_top = window.childAt(widget.mapTo(window, centre))
    assert on_top is widget or (on_top is not None and widget.isAncestorOf(on_top)), (
        f"button {name!r} is hidden under {type(on_top).__name__}"
    )
    QTest.mouseClick(widget, Qt.LeftButton, Qt.NoModifier, centre)


# --- steps of the officer's day ---------------------------------------------------------------


def type_lines(editor: QWidget, lines: list[str]) -> None:
    """Type ``lines`` into a multi-line box, pressing Return between them."""
    editor.setFocus(Qt.OtherFocusReason)
    for number, line in enumerate(lines):
        if number:
            key(editor, Qt.Key_Return)
        for ch in line:
            QApplication.sendEvent(editor, QKeyEvent(QEvent.KeyPress, 0, Qt.NoModifier, ch))
            QApplication.sendEvent(editor, QKeyEvent(QEvent.KeyRelease, 0, Qt.NoModifier, ch))


def create_register(
    qtbot,
    path,
    *,
    chapter: str,
    parent: str,
    place: str,
    signer: str,
    branches: list[str],
    units: list[str],
):
    """The first-run wizard, typed page by page; returns the path of the file it made."""
    from PySide6.QtWidgets import QDialog, QWizard

    from chapter_app.ui.first_run import FirstRunWizard

    fit.install_screen_fit(QApplication.instance())  # as the program does at start
    assert_screen()
    wizard = FirstRunWizard(path)
    qtbot.addWidget(wizard)
    wizard.show()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    click(next_button)
    type_into(wizard.chapter.chapter_name, chapter)
    type_into(wizard.chapter.parent_name, parent)
    type_into(wizard.chapter.place_name, place)
    click(next_button)
    assert wizard.currentPage() is wizard.signer
    type_into(wizard.signer.signer_name, signer)
    click(next_button)
    assert wizard.currentPage() is wizard.organisation
    type_lines(wizard.organisation.branch_names, branches)
    type_lines(wizard.organisation.unit_names, units)
    click(next_button)
    assert wizard.currentPage() is wizard.file
    assert not wizard.file.demo.isChecked()
    click(wizard.button(QWizard.WizardButton.FinishButton))
    qtbot.waitUntil(lambda: wizard.result() == QDialog.DialogCode.Accepted, timeout=30000)
    return wizard.db_path


def open_window(qtbot, path, ui_settings):
    """Open the register in the main window, as the program does after the wizard."""
    from chapter_app.ui.app import open_store
    from chapter_app.ui.main_window import MainWindow

    store = open_store(path)
    assert store is not None
    window = MainWindow(store, ui_settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def go_to(qtbot, window, name: str):
    """Click the page ``name`` in the navigation on the left; returns the page."""
    from chapter_app.ui.main_window import PAGE_NAMES

    navigation = window.navigation
    assert_on_screen(window)
    item = navigation.item(PAGE_NAMES.index(name))
    rect = navigation.visualItemRect(item)
    assert navigation.viewport().rect().contains(rect), f"{name!r} is not shown in the list"
    qtbot.mouseClick(navigation.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.current_page_name() == name)
    return window.current_page()


def select_row(qtbot, page, text: str, column: int = 0) -> None:
    """Click the row of the page's table whose ``column`` shows ``text``."""
    model = page.table.model()
    qtbot.waitUntil(lambda: _row_of(model, text, column) is not None, timeout=WAIT_MS)
    row = _row_of(model, text, column)
    rect = page.table.visualRect(model.index(row, column))
    qtbot.mouseClick(page.table.viewport(), Qt.LeftButton, pos=rect.center())
    assert page.current_row() is not None


def _row_of(model, text: str, column: int) -> int | None:
    for row in range(model.rowCount()):
        if model.index(row, column).data() == text:
            return row
    return None


def in_dialog(qtbot, kind: type, opener: Callable[[], Any], answer: Callable[[Any], None]) -> None:
    """Open a modal dialog with ``opener`` (a click) and act in it with ``answer``."""
    when_shown(kind, answer)
    opener()
    ANSWERS.check()


def saved(dialog) -> None:
    """Press Enter in the line being typed (or click "Lưu" when the cursor is in a
    multi-line box, where Enter starts a new line) and check the dialog closed, naming
    what it still complains of."""
    focused = QApplication.focusWidget()
    if isinstance(focused, QLineEdit) and dialog.isAncestorOf(focused):
        key(focused, Qt.Key_Return)
    else:
        click(dialog.save_button)
    if dialog.isVisible() and dialog.warning_panel.isVisible():
        raise AssertionError(dialog.warning_text.text())
    complaints = {k: f.message_text() for k, f in dialog.fields.items() if f.message_text()}
    assert not dialog.isVisible(), complaints or dialog.banner.text()


def _org_tab(qtbot, window, name: str):
    """Tổ chức, then the tab with objectName ``name``."""
    page = go_to(qtbot, window, "organisation")
    tab = page.findChild(QWidget, name)
    bar = page.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(page.tabs.indexOf(tab)).center())
    assert page.tabs.currentWidget() is tab
    return page, tab


def add_branch_on_org_page(qtbot, window, *, name: str, kind: str, units: list[str], head: str):
    """Tổ chức > Chi hội > Thêm chi hội…: name, kind, the thôn it covers (ticked), head."""
    from PySide6.QtWidgets import QListWidget

    page, tab = _org_tab(qtbot, window, "branchesTab")
    click(tab.findChild(QPushButton, "addBranch"))
    dialog = tab.dialog
    qtbot.waitUntil(dialog.isVisible)
    type_into(dialog.findChild(QLineEdit, "branchName"), name)
    choose(dialog.findChild(QComboBox, "branchKind"), kind)
    type_into(dialog.findChild(QLineEdit, "branchHead"), head)
    covered = dialog.findChild(QListWidget, "branchUnits")
    for row in range(covered.count()):
        item = covered.item(row)
        if item.text() in units:  # the thôn it covers: Space ticks the current line
            covered.setFocus(Qt.OtherFocusReason)
            covered.setCurrentItem(item)
            key(covered, Qt.Key_Space)
            assert item.checkState() == Qt.CheckState.Checked, item.text()
    click(dialog.findChild(QPushButton, "ok"))
    assert dialog.message.text() == ""
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    return page


def first_steps(qtbot, window) -> dict[str, str]:
    """Tổng quan: the "Bắt đầu với sổ mới" panel's marks by step (empty when it is hidden)."""
    page = go_to(qtbot, window, "dashboard")
    qtbot.waitUntil(lambda: page.data is not None and not page.loading, timeout=WAIT_MS)
    panel = page.first_steps
    return {k: mark.text() for k, mark in panel.marks.items()} if panel.isVisible() else {}


def set_targets(
    qtbot, window, *, year: int, targets: dict[str, str], from_first_steps: bool = False
) -> str:
    """Tổ chức > Chỉ tiêu năm (or the first-steps panel's "Đặt chỉ tiêu" on Tổng quan): the
    year, then each target typed; "Lưu chỉ tiêu". Returns the message the page shows."""
    from PySide6.QtWidgets import QLabel, QSpinBox

    if from_first_steps:
        first_steps(qtbot, window)
        click(window.current_page().first_steps.findChild(QPushButton, "first_step_targets"))
        tab = window.current_page().findChild(QWidget, "targetsTab")
        assert window.current_page().tabs.currentWidget() is tab
    else:
        _page, tab = _org_tab(qtbot, window, "targetsTab")
    spin = tab.findChild(QSpinBox, "targetYear")
    spin.setFocus(Qt.OtherFocusReason)
    while spin.value() != year:
        key(spin, Qt.Key_Up if spin.value() < year else Qt.Key_Down)
    for target_key, text in targets.items():
        edit = tab.findChild(QLineEdit, f"target_{target_key}")
        edit.selectAll()
        type_into(edit, text)
    click(tab.findChild(QPushButton, "saveTargets"))
    return tab.findChild(QLabel, "targetsMessage").text()


def add_member(
    qtbot,
    window,
    *,
    name: str,
    sex: str,
    birth: str,
    unit: str,
    branch: str,
    admitted: str,
    decision: str = "",
    new_branch: bool = False,
) -> None:
    """Hội viên > Thêm: the member typed field by field; Enter saves. With ``new_branch``
    the chi hội typed is not in the list yet: "Thêm chi hội «…»", Yes, then save."""
    from chapter_app.ui.forms.member_form import MemberDialog

    page = go_to(qtbot, window, "members")

    def answer(dialog: MemberDialog) -> None:
        type_into(dialog.fields["full_name"].line, name)
        choose(dialog.fields["sex"].combo, sex)
        fill(dialog, {"birth": birth, "unit_id": unit, "branch": branch})
        inline = dialog.add_branch
        assert inline.button.isVisible() == new_branch
        if new_branch:
            assert inline.button.text() == f"Thêm chi hội «{branch}»"
            answer_question("Yes")
            click(inline.button)
            qtbot.waitUntil(lambda: isinstance(dialog.branch.raw(), int), timeout=WAIT_MS)
        fill(dialog, {"admitted_on": admitted, "decision_no": decision})
        saved(dialog)

    in_dialog(qtbot, MemberDialog, lambda: click(page.add_button), answer)


def add_volunteer_of_member(qtbot, window, *, search: str, registered: str, skills: str) -> None:
    """Tình nguyện viên > Thêm: the person is picked from the register (already a member)."""
    from chapter_app.ui.forms.volunteer_form import VolunteerDialog

    page = go_to(qtbot, window, "volunteers")

    def answer(dialog: VolunteerDialog) -> None:
        pick(dialog, "person_id", search, qtbot)
        fill(dialog, {"registered_on": registered, "skills": skills})
        saved(dialog)

    in_dialog(qtbot, VolunteerDialog, lambda: click(page.add_button), answer)


def add_household(qtbot, window, *, name: str, unit: str, opened: str, street: str) -> None:
    """Địa chỉ nhân đạo > Thêm: a household in hardship."""
    from chapter_app.ui.forms.address_form import AddressDialog

    page = go_to(qtbot, window, "addresses")

    def answer(dialog: AddressDialog) -> None:
        fill(dialog, {"name": name, "unit_id": unit, "street_address": street, "opened_on": opened})
        saved(dialog)

    in_dialog(qtbot, AddressDialog, lambda: click(page.add_button), answer)


def sponsor_household(
    qtbot, window, *, household: str, sponsor: str, phone: str, start: str, amount: str
) -> str:
    """From the household's file (Xem hồ sơ): a new sponsor and their monthly commitment.
    Returns what the file shows as the commitment's amount."""
    from chapter_app.ui.forms.address_view import AddressView
    from chapter_app.ui.forms.commitment_form import CommitmentDialog
    from chapter_app.ui.forms.sponsor_form import SponsorDialog

    page = go_to(qtbot, window, "addresses")
    select_row(qtbot, page, household)
    shown: list[str] = []

    def in_sponsor_form(dialog: SponsorDialog) -> None:
        fill(dialog, {"name": sponsor, "phone": phone})
        saved(dialog)

    def in_commitment_form(dialog: CommitmentDialog) -> None:
        in_dialog(qtbot, SponsorDialog, lambda: click(dialog.new_sponsor_button), in_sponsor_form)
        assert dialog.fields["frequency"].raw() == "hằng tháng"
        fill(dialog, {"start_on": start, "amount": amount})
        saved(dialog)

    def in_file(view: AddressView) -> None:
        assert view.findChild(QWidget, "no_commitment") is not None
        in_dialog(
            qtbot, CommitmentDialog, lambda: click(view.commitments.add_button), in_commitment_form
        )
        shown.append(view.commitments.table.item(0, 4).text())
        click(view.close_button)

    in_dialog(qtbot, AddressView, lambda: click(button(page, "Xem hồ sơ")), in_file)
    return shown[0]


def sponsor_file_rows(qtbot, window, *, sponsor: str) -> list[list[str]]:
    """Nhà tài trợ > the sponsor > Xem hồ sơ: the households they support, as shown."""
    from chapter_app.ui.forms.sponsor_view import SponsorView

    page = go_to(qtbot, window, "sponsors")
    select_row(qtbot, page, sponsor)
    rows: list[list[str]] = []

    def in_file(view: SponsorView) -> None:
        table = view.commitments.table
        for row in range(table.rowCount()):
            rows.append([table.item(row, c).text() for c in range(table.columnCount())])
        click(view.close_button)

    in_dialog(qtbot, SponsorView, lambda: click(button(page, "Xem hồ sơ")), in_file)
    return rows


def add_aid_form_on_org_page(qtbot, window, *, name: str) -> None:
    """Tổ chức > Danh mục > Hình thức trợ giúp > Thêm…: a form of aid the chapter gives."""
    _page, tab = _org_tab(qtbot, window, "listsTab")
    choose(tab.findChild(QComboBox, "listKind"), "Hình thức trợ giúp")
    click(tab.findChild(QPushButton, "addEntry"))
    qtbot.waitUntil(tab.dialog.isVisible)
    type_into(tab.dialog.findChild(QLineEdit, "entryName"), name)
    click(tab.dialog.findChild(QPushButton, "ok"))
    table = tab.table
    qtbot.waitUntil(
        lambda: any(table.item(r, 0).text() == name for r in range(table.rowCount())),
        timeout=WAIT_MS,
    )


def distribute(
    qtbot,
    window,
    *,
    given_on: str,
    campaign: str,
    description: str,
    cash_each: str,
    form: str | None = None,
) -> str:
    """Trợ giúp > Phát quà theo đợt: every household shown receives (given in ``form``,
    one of the register's aid forms, when named); returns the total line."""
    from chapter_app.ui.forms.distribution import DistributionDialog

    page = go_to(qtbot, window, "aid")
    total: list[str] = []

    def answer(dialog: DistributionDialog) -> None:
        fill(dialog, {"given_on": given_on, "campaign_id": campaign})
        if form is not None:
            choose(dialog.findChild(QComboBox, "aidForm"), form)
        type_into(dialog.fields["description"].editor, description)
        fill(dialog, {"cash_per_recipient": cash_each})
        qtbot.waitUntil(lambda: dialog.recipients.model.rowCount() > 0, timeout=WAIT_MS)
        click(dialog.recipients.select_shown)
        total.append(dialog.total_line.text())
        click(dialog.save_button)
        assert dialog.distribution_id is not None, dialog.banner.text()
        click(dialog.cancel_button)  # "Đóng" once saved

    in_dialog(qtbot, DistributionDialog, lambda: click(button(page, "Phát quà theo đợt…")), answer)
    return total[0]


def add_blood_drive(
    qtbot, window, *, held_on: str, partner: str, registered: str, donors: str, units: str
) -> None:
    """Hoạt động > Hiến máu > Thêm."""
    from chapter_app.ui.forms.activity_forms import BloodDriveDialog

    page = go_to(qtbot, window, "activities")
    titles = [page.tabs.tabText(i).replace("&", "") for i in range(page.tabs.count())]
    bar = page.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(titles.index("Hiến máu")).center())
    tab = page.current()

    def answer(dialog: BloodDriveDialog) -> None:
        fill(
            dialog,
            {
                "held_on": held_on,
                "partner": partner,
                "registered": registered,
                "donors": donors,
                "units": units,
            },
        )
        saved(dialog)

    in_dialog(qtbot, BloodDriveDialog, lambda: click(tab.add_button), answer)


# What the officer writes in the report's sections the register cannot fill.
OFFICER_WORDS = {
    "situation": ["1. Thuận lợi: được Đảng ủy quan tâm.", "2. Khó khăn: mưa lũ kéo dài."],
    "communication": ["Phát 12 tin trên loa truyền thanh xã."],
    "emulation": ["Khen thưởng 2 chi hội."],
    "assessment": ["Ưu điểm: hoàn thành chỉ tiêu.", "Hạn chế: nguồn lực còn ít."],
    "tasks": ["Chuẩn bị Tết Nhân ái."],
    "proposals": ["Đề nghị tập huấn sơ cấp cứu."],
}


def issue_quarterly_report(qtbot, window, monkeypatch, *, year: int, quarter: int, pdf_path):
    """Báo cáo: choose the quarter, issue it (answering the confirmation), then print the
    issued report to ``pdf_path``; returns the page (its ``selected_report_id()``)."""
    from PySide6.QtWidgets import QFileDialog

    page = go_to(qtbot, window, "reports")
    qtbot.waitUntil(lambda: not page.loading and page.data is not None, timeout=30000)
    page.year.setFocus(Qt.OtherFocusReason)
    while page.year.value() != year:
        key(page.year, Qt.Key_Up if page.year.value() < year else Qt.Key_Down)
    choose(page.kind, page.kind.itemText(quarter - 1))
    code = f"{year}-Q{quarter}"
    qtbot.waitUntil(
        lambda: not page.loading and page.data is not None and page.data.period_code == code,
        timeout=30000,
    )
    # the sections only the officer can write, typed in the report's text tab
    bar = page.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(1).center())
    assert page.tabs.currentIndex() == 1
    for key_name, words in OFFICER_WORDS.items():
        type_lines(page.narrative.editors[key_name], words)
    from chapter_app.ui.dialogs.issue_report import IssueReportDialog

    def confirm(dialog) -> None:  # number and date as offered; then "Đã ban hành"
        qtbot.waitUntil(lambda: dialog.data is not None, timeout=30000)  # built off the GUI
        assert dialog.ok.isEnabled(), dialog.missing.text()
        answer_question("OK")
        click(dialog.ok)

    when_shown(IssueReportDialog, confirm)
    click(page.issue_button)
    ANSWERS.check()
    qtbot.waitUntil(lambda: page.selected_report_id() is not None, timeout=WAIT_MS)
    monkeypatch.setattr(  # the system's file chooser: answered with the path
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf_path), "")
    )
    bar = page.tabs.tabBar()  # "Báo cáo đã ban hành", the issued report selected
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(2).center())
    assert page.tabs.currentIndex() == 2
    click(page.reprint_button)
    qtbot.waitUntil(pdf_path.exists, timeout=WAIT_MS)
    return page


# --- typing into forms (the form tests) ------------------------------------------------------


def type_text(text: str) -> None:
    """Type ``text`` into the focused widget one character at a time (QKeyEvents carrying
    the text: qtbot.keyClicks aborts the process on non-ASCII characters)."""
    for ch in text:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyPress, 0, Qt.NoModifier, ch))
        QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyRelease, 0, Qt.NoModifier, ch))


def focus(qtbot, widget: QWidget, reason=Qt.OtherFocusReason) -> None:
    """Put the cursor in ``widget`` (as Tab or a click would) and wait until it is there."""
    widget.activateWindow()
    widget.setFocus(reason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def open_dialog(qtbot, dialog):
    """Show ``dialog`` and wait until it is the active window; returns it."""
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    return dialog


def db_rows(db_path, sql: str, params=()) -> list[tuple]:
    """What the register holds, read through a second connection (for assertions)."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
