"""The main window: navigation on the left, the pages on the right, menus and status bar.

Pages are created the first time they are shown (a page module is imported then),
so the window opens quickly on a large register. Window size, the splitter and the
column widths are kept between runs (QSettings).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from chapter_app import APP_NAME, APP_TITLE, __version__
from chapter_app.errors import AppError
from chapter_app.i18n import N_, _
from chapter_app.paths import resources_dir
from chapter_app.ui import fit

if TYPE_CHECKING:
    from chapter_app.ui.pages.page import Page

RESTART_EXIT_CODE = 75

# (name, title, module, class): the navigation, in order.
PAGES: list[tuple[str, str, str, str]] = [
    ("dashboard", N_("Tổng quan"), "chapter_app.ui.pages.dashboard", "DashboardPage"),
    ("members", N_("Hội viên"), "chapter_app.ui.pages.members", "MembersPage"),
    ("volunteers", N_("Tình nguyện viên"), "chapter_app.ui.pages.volunteers", "VolunteersPage"),
    ("addresses", N_("Địa chỉ nhân đạo"), "chapter_app.ui.pages.addresses", "AddressesPage"),
    ("sponsors", N_("Nhà tài trợ"), "chapter_app.ui.pages.sponsors", "SponsorsPage"),
    ("aid", N_("Trợ giúp"), "chapter_app.ui.pages.aid", "AidPage"),
    ("activities", N_("Hoạt động"), "chapter_app.ui.pages.activities", "ActivitiesPage"),
    ("reports", N_("Báo cáo"), "chapter_app.ui.pages.reports", "ReportsPage"),
    ("organisation", N_("Tổ chức"), "chapter_app.ui.pages.organisation", "OrganisationPage"),
    # shown for an upper level's database only (see UPPER_LEVEL_PAGES)
    ("consolidation", N_("Tổng hợp"), "chapter_app.ui.pages.consolidation", "ConsolidationPage"),
    ("settings", N_("Cài đặt"), "chapter_app.ui.pages.settings", "SettingsPage"),
]
PAGE_NAMES = [name for name, *_rest in PAGES]
# Qt.ItemDataRole.UserRole, as the number Qt takes (no ``Qt`` at start: see ui/__init__).
USER_ROLE = 256
UPPER_LEVEL_PAGES = {"consolidation"}


def _page_shortcut(name: str, number: int) -> QKeySequence | None:
    """Ctrl+1 … Ctrl+9 for the first nine pages, Ctrl+0 for the settings."""
    if name == "settings":
        return QKeySequence("Ctrl+0")
    return QKeySequence(f"Ctrl+{number}") if number <= 9 else None


def default_ui_settings() -> QSettings:
    """Where the window remembers its size and columns (per user, not per database)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_NAME, "window")


class MainWindow(QMainWindow):
    """One open register.

    ``MainWindow(store)`` is ready at once. ``MainWindow(None)`` is the window without its
    register: the program shows it while it opens the file (importing the database layer
    and opening a large file takes a moment), then calls ``attach(store)``.
    """

    restart_requested = Signal()
    # Emitted once a register is attached and its first page created.
    ready = Signal()

    def __init__(self, store=None, *, ui_settings: QSettings | None = None, worker=None):
        super().__init__()
        self.store = None
        self.ui_settings = ui_settings if ui_settings is not None else default_ui_settings()
        self.worker = worker
        self.pages: dict[str, Page] = {}
        self._placeholders: dict[str, QWidget] = {}
        self._closed = False
        self._guide = None
        self._shortcuts: list[tuple[QAction, list]] = []  # (action, keys) for attach
        # called first as the window closes (the backup at close: ui/dialogs/safety)
        self.before_close: list = []
        icon = resources_dir() / "icons" / "chapter_app.png"
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setUniformItemSizes(True)
        self.stack = QStackedWidget()
        for name, title, *_rest in PAGES:
            item = QListWidgetItem(_(title))
            item.setData(USER_ROLE, name)
            self.navigation.addItem(item)
            placeholder = QWidget()
            self._placeholders[name] = placeholder
            self.stack.addWidget(placeholder)
        self.splitter = QSplitter()  # horizontal
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        # Wide enough for the longest page name (in English too), with the item padding.
        nav_width = max(200, self.navigation.sizeHintForColumn(0) + 48)
        self.navigation.setMinimumWidth(min(nav_width, 280))
        self.splitter.setSizes([nav_width, 1280 - nav_width])
        self.setCentralWidget(self.splitter)

        self.count_label = QLabel("")
        self.count_label.setObjectName("countLabel")
        self.path_label = QLabel(_("Đang mở tệp dữ liệu…"))
        self.path_label.setObjectName("pathLabel")
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.path_label)

        self._build_menus()
        from chapter_app.ui.dialogs.safety import install_safety_menus
        from chapter_app.ui.integrity_watch import watch_integrity

        install_safety_menus(self)  # backups, data check, audit log, Excel (ui/dialogs)
        watch_integrity(self)  # the weekly full check, in the background
        self._listener = self._on_operation
        self._restore_window()
        self.setWindowTitle(APP_TITLE)
        self._set_enabled(False)
        if store is not None:
            self.attach(store)

    def _set_enabled(self, enabled: bool) -> None:
        self.navigation.setEnabled(enabled)
        for menu_action in self.menuBar().actions():
            menu_action.setEnabled(enabled)

    def attach(self, store, *, shortcuts_later: bool = False) -> None:
        """Show the register ``store`` (once): status bar, undo, the first page.

        ``shortcuts_later``: give the actions their shortcuts once the first page is
        painted (the program's start), not now: the first shortcut set builds the ``Qt``
        namespace (see ``chapter_app/ui/__init__``).
        """
        from chapter_app.ui.worker import Worker

        self.store = store
        if self.worker is None:
            self.worker = Worker(store.path, self)
        self.path_label.setText(_("Tệp dữ liệu: {path}").format(path=store.path))
        store.ops.listeners.append(self._listener)
        self._update_title()
        self._set_enabled(True)
        self.settings_action.setEnabled(not store.read_only)
        upper = store.settings.get("mode") == "upper"
        for row, name in enumerate(PAGE_NAMES):
            hidden = name in UPPER_LEVEL_PAGES and not upper
            self.navigation.item(row).setHidden(hidden)
            self.page_actions[name].setVisible(not hidden)
        self.navigation.currentRowChanged.connect(self._on_navigation)
        self.show_page("consolidation" if upper else "dashboard")
        self._update_undo_actions()
        if shortcuts_later:
            QTimer.singleShot(0, self, self._set_shortcuts)
        else:
            self._set_shortcuts()
        self.ready.emit()

    # --- menus -----------------------------------------------------------------------------

    def _action(self, text: str, callback, shortcut=None, *, name: str = "") -> QAction:
        """A menu action; its ``shortcut`` (one or a list) is set when a register is
        attached (see ``attach``)."""
        action = QAction(text, self)
        if name:
            action.setObjectName(name)
        if shortcut is not None:
            keys = shortcut if isinstance(shortcut, list) else [shortcut]
            self._shortcuts.append((action, keys))
        action.triggered.connect(lambda _checked=False: callback())
        return action

    def _set_shortcuts(self) -> None:
        for action, keys in self._shortcuts:
            action.setShortcuts([QKeySequence(key) for key in keys])
        self._shortcuts.clear()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&Tệp"))
        self.new_action = self._action(
            _("&Thêm mới…"), self.add_record, QKeySequence.StandardKey.New, name="new"
        )
        self.settings_action = self._action(
            _("&Cài đặt…"), self.open_settings_dialog, name="settings"
        )
        self.quit_action = self._action(
            _("T&hoát"), self.close, QKeySequence("Ctrl+Q"), name="quit"
        )
        file_menu.addAction(self.new_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu(_("&Sửa"))
        self.undo_action = self._action(
            _("Hoàn tác"), self.undo, QKeySequence("Ctrl+Z"), name="undo"
        )
        self.redo_action = self._action(
            _("Làm lại"),
            self.redo,
            [
                QKeySequence("Ctrl+Shift+Z"),
                QKeySequence("Ctrl+Y"),
            ],
            name="redo",
        )
        self.find_action = self._action(
            _("&Tìm"), self.focus_search, QKeySequence.StandardKey.Find, name="find"
        )
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)

        view_menu = bar.addMenu(_("&Xem"))
        self.page_actions: dict[str, QAction] = {}
        for number, (name, title, *_rest) in enumerate(PAGES, start=1):
            action = self._action(
                _(title),
                lambda name=name: self.show_page(name),
                _page_shortcut(name, number),
                name=f"page_{name}",
            )
            action.setCheckable(True)
            view_menu.addAction(action)
            self.page_actions[name] = action
        view_menu.addSeparator()
        self.refresh_action = self._action(
            _("&Làm mới"), self.refresh, QKeySequence("F5"), name="refresh"
        )
        view_menu.addAction(self.refresh_action)

        # "Trợ giúp" is the Aid page; the Help menu is "Hướng dẫn": the user guide (F1), then
        # "Giới thiệu".
        self.help_menu = bar.addMenu(_("&Hướng dẫn"))
        self.help_menu.setObjectName("helpMenu")
        self.guide_action = self._action(
            _("&Hướng dẫn sử dụng"), self.open_guide, QKeySequence("F1"), name="guide"
        )
        self.help_menu.addAction(self.guide_action)
        self.help_menu.addSeparator()
        self.about_action = self._action(_("&Giới thiệu"), self.about, name="about")
        self.help_menu.addAction(self.about_action)

    # --- pages -----------------------------------------------------------------------------

    def page(self, name: str) -> Page:
        """The page called ``name``, created on first use."""
        page = self.pages.get(name)
        if page is not None:
            return page
        _name, _title, module_name, class_name = PAGES[PAGE_NAMES.index(name)]
        page_class = getattr(importlib.import_module(module_name), class_name)
        page = page_class(self.store, self.worker)
        page.setObjectName(f"page_{name}")
        page.restore_state(self.ui_settings, f"pages/{name}")
        page.status_changed.connect(lambda page=page: self._page_status_changed(page))
        if hasattr(page, "language_changed"):
            page.language_changed.connect(lambda _code: self._language_changed())
        if hasattr(page, "step_requested"):
            page.step_requested.connect(self.take_first_step)
        placeholder = self._placeholders.pop(name)
        index = self.stack.indexOf(placeholder)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.pages[name] = page
        return page

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if widget in self.pages.values() else None

    def current_page_name(self) -> str:
        return PAGE_NAMES[max(self.navigation.currentRow(), 0)]

    def show_page(self, name: str) -> Page:
        row = PAGE_NAMES.index(name)
        if self.navigation.currentRow() != row:
            self.navigation.setCurrentRow(row)  # calls _on_navigation
        else:
            self._on_navigation(row)
        return self.pages[name]

    def _on_navigation(self, row: int) -> None:
        if row < 0:
            return
        name = PAGE_NAMES[row]
        page = self.page(name)
        self.stack.setCurrentWidget(page)
        for other, action in self.page_actions.items():
            action.setChecked(other == name)
        self.new_action.setEnabled(page.can_add())
        self.find_action.setEnabled(hasattr(page, "search_box") or name == "activities")
        self._page_status_changed(page)

    def _page_status_changed(self, page: Page) -> None:
        if page is self.current_page():
            self.count_label.setText(page.status_text())

    # --- commands ----------------------------------------------------------------------------

    def add_record(self) -> None:
        page = self.current_page()
        if page is not None and page.can_add():
            page.add_record()

    def focus_search(self) -> None:
        page = self.current_page()
        if page is not None:
            page.focus_search()

    def refresh(self) -> None:
        page = self.current_page()
        if page is not None:
            page.refresh()
        self.statusBar().showMessage(_("Đã làm mới."), 2000)

    def undo(self) -> None:
        if self.store.undo_label is None:
            return
        try:
            label = self.store.undo()
        except AppError as exc:
            QMessageBox.warning(self, _("Không thực hiện được"), exc.message)
            return
        finally:
            # The store tells its listeners before it moves the operation to the redo list.
            self._update_undo_actions()
        self.statusBar().showMessage(_("Đã hoàn tác: {label}").format(label=label), 5000)

    def redo(self) -> None:
        if self.store.redo_label is None:
            return
        try:
            label = self.store.redo()
        except AppError as exc:
            QMessageBox.warning(self, _("Không thực hiện được"), exc.message)
            return
        finally:
            self._update_undo_actions()
        self.statusBar().showMessage(_("Đã làm lại: {label}").format(label=label), 5000)

    def _update_undo_actions(self) -> None:
        undo, redo = self.store.undo_label, self.store.redo_label
        self.undo_action.setText(
            _("Hoàn tác: {label}").format(label=undo) if undo else _("Hoàn tác")
        )
        self.undo_action.setEnabled(undo is not None)
        self.redo_action.setText(_("Làm lại: {label}").format(label=redo) if redo else _("Làm lại"))
        self.redo_action.setEnabled(redo is not None)

    def _on_operation(self, _operation) -> None:
        if self._closed:
            return
        self._update_undo_actions()
        self._update_title()

    def _update_title(self) -> None:
        name = self.store.settings.get("chapter_name")
        title = f"{name} – {APP_TITLE}" if name else APP_TITLE
        if self.store.read_only:
            title += " " + _("(chỉ xem)")
        self.setWindowTitle(title)

    def open_settings_dialog(self) -> None:
        from chapter_app.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.store, self)
        if dialog.exec() and dialog.language_changed:
            self._language_changed()
        settings_page = self.pages.get("settings")
        if settings_page is not None:
            settings_page.refresh()

    def _language_changed(self) -> None:
        from chapter_app.ui.settings_dialog import ask_restart

        if ask_restart(self):
            self.request_restart()

    def request_restart(self) -> None:
        """Close this window and ask the application to open the register again."""
        self.restart_requested.emit()
        self.close()
        app = QApplication.instance()
        if app is not None:
            QTimer.singleShot(0, lambda: app.exit(RESTART_EXIT_CODE))

    def take_first_step(self, key: str) -> None:
        """Open where a first step of a new register is done (the Tổng quan page's panel)."""
        if key == "guide":
            self.open_guide()
        elif key == "import":
            action = self.findChild(QAction, "import_excel")
            if action is not None:
                action.trigger()
        elif key == "organisation":
            self.show_page("organisation")
        elif key == "targets":
            page = self.show_page("organisation")
            page.tabs.setCurrentWidget(page.targets)
        elif key in ("member", "address"):
            self.show_page("members" if key == "member" else "addresses").add_record()

    def open_guide(self) -> None:
        """Show the user guide at the section about the current page (F1)."""
        from chapter_app.services.guide import section_for_page
        from chapter_app.ui.dialogs.guide import GuideDialog

        if self._guide is None:
            self._guide = GuideDialog(self)
        self._guide.show_section(section_for_page(self.current_page_name()))
        self._guide.show()
        self._guide.raise_()
        self._guide.activateWindow()

    def about(self) -> None:
        version = _("Phiên bản {version}").format(version=__version__)
        summary = _(
            "Sổ theo dõi của Hội Chữ thập đỏ cấp xã: hội viên, tình nguyện viên, "
            "địa chỉ nhân đạo, trợ giúp và báo cáo."
        )
        path = _("Tệp dữ liệu: {path}").format(path=self.store.path)
        QMessageBox.about(
            self,
            _("Giới thiệu"),
            f"<h3>{APP_TITLE}</h3><p>{version}</p><p>{summary}</p><p>{path}</p>",
        )

    # --- state -------------------------------------------------------------------------------

    def _restore_window(self) -> None:
        settings = self.ui_settings
        geometry = settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            available = fit.available_area(self)
            self.resize(min(1280, available.width()), min(800, available.height()))
            if fit.small_screen(self):  # a laptop: use all of it
                from PySide6.QtCore import Qt

                self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        state = settings.value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)

    def save_state(self) -> None:
        settings = self.ui_settings
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        for name, page in self.pages.items():
            page.save_state(settings, f"pages/{name}")
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self._closed = True
            for hook in self.before_close:
                hook()
            self.save_state()
            if self.store is not None and self._listener in self.store.ops.listeners:
                self.store.ops.listeners.remove(self._listener)
            if self.worker is not None:
                self.worker.shutdown()
        super().closeEvent(event)
