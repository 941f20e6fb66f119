"""Every window inside the screen: dialogs are clamped to the screen's available area.

:func:`install_screen_fit` puts one event filter on the application. When any dialog
(ours, a helper's, Qt's own message and file dialogs) is shown or grows, its frame is
kept inside the available area of its screen: a dialog whose content needs more room
than the screen has gets that content in a scroll area (the trailing button row stays
outside it, so the buttons are always visible), then it is resized and moved inside.

The frame a window manager adds (title bar, borders) is not known offscreen; the
:data:`FRAME` allowance is kept free for it so the whole window, title bar included,
fits a 1366×768 screen at 125% (1093×614 logical pixels).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QMargins, QObject, QRect, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
)

# Room kept for a title bar and borders the window manager draws (Windows 10/11 at 125%).
FRAME = QMargins(4, 32, 4, 4)
_WRAPPED = "screenFitWrapped"
_SHOW = QEvent.Type.Show
_RESIZE = QEvent.Type.Resize


def available_area(widget: QWidget | None = None) -> QRect:
    """The available geometry (logical pixels) of the screen ``widget`` is on."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1093, 614)


def frame_margins(window: QWidget) -> QMargins:
    """The frame around ``window``: the real one when a window manager drew it, else
    :data:`FRAME`."""
    frame, inner = window.frameGeometry(), window.geometry()
    real = QMargins(
        inner.left() - frame.left(),
        inner.top() - frame.top(),
        frame.right() - inner.right(),
        frame.bottom() - inner.bottom(),
    )
    if real.top() >= 16:  # a title bar was drawn (not offscreen's thin border)
        return real
    return FRAME


def client_limit(window: QWidget, area: QRect | None = None) -> QSize:
    """The largest client size of ``window`` whose frame fits ``area``."""
    area = area or available_area(window)
    margins = frame_margins(window)
    return QSize(
        area.width() - margins.left() - margins.right(),
        area.height() - margins.top() - margins.bottom(),
    )


def frame_rect(window: QWidget) -> QRect:
    """The window's rectangle with its (real or assumed) frame."""
    return window.geometry().marginsAdded(frame_margins(window))


def fits(window: QWidget, area: QRect | None = None) -> bool:
    """True when the window, frame included, lies inside ``area``."""
    area = area or available_area(window)
    return area.contains(frame_rect(window))


def hidden_buttons(dialog: QWidget) -> list[str]:
    """Texts of the visible buttons of ``dialog`` that lie (partly) outside it, or that
    sit in a scroll area without being scrolled to (the trailing buttons must not)."""
    outside = []
    inside = dialog.rect()
    for button in dialog.findChildren(QAbstractButton):
        if not button.isVisibleTo(dialog) or _in_scroll_area(button, dialog):
            continue
        rect = QRect(button.mapTo(dialog, button.rect().topLeft()), button.size())
        if not inside.contains(rect):
            outside.append(button.text() or button.objectName() or type(button).__name__)
    return outside


def _in_scroll_area(widget: QWidget, stop: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not stop:
        if isinstance(parent, QScrollArea) or type(parent).__name__ == "QAbstractScrollArea":
            return True
        parent = parent.parentWidget()
    return False


def fit_window(window: QWidget, *, recentre: bool = False) -> None:
    """Clamp ``window`` to its screen's available area and move it inside.

    A dialog whose content cannot shrink enough is first given a scroll area.
    ``recentre`` centres it over its parent (or the screen) before clamping.
    """
    area = available_area(window)
    limit = client_limit(window, area)
    if isinstance(window, QDialog) and _too_big(window, limit):
        wrap_in_scroll_area(window)
    width = min(window.width(), limit.width())
    height = min(window.height(), limit.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    margins = frame_margins(window)
    geometry = window.geometry()
    if recentre:
        parent = window.parentWidget()
        anchor = parent.window().geometry() if parent is not None else area
        geometry.moveCenter(anchor.center())
    left = max(area.left() + margins.left(), geometry.left())
    left = min(left, area.right() - margins.right() - geometry.width() + 1)
    top = max(area.top() + margins.top(), geometry.top())
    top = min(top, area.bottom() - margins.bottom() - geometry.height() + 1)
    offset = window.geometry().topLeft() - window.pos()  # the real frame, if any
    if (left, top) != (window.geometry().left(), window.geometry().top()):
        window.move(left - offset.x(), top - offset.y())


def _too_big(dialog: QDialog, limit: QSize) -> bool:
    need = dialog.minimumSizeHint()
    layout = dialog.layout()
    if layout is not None:
        need = need.expandedTo(layout.minimumSize())
    need = need.expandedTo(dialog.minimumSize())
    return need.width() > limit.width() or need.height() > limit.height()


def _is_button_row(item) -> bool:
    widget = item.widget()
    if widget is not None:
        return isinstance(widget, QDialogButtonBox | QAbstractButton)
    layout = item.layout()
    if layout is None:
        return False
    found = False
    for index in range(layout.count()):
        child = layout.itemAt(index)
        if child.spacerItem() is not None:
            continue
        if child.widget() is None or not isinstance(child.widget(), QAbstractButton):
            return False
        found = True
    return found


def wrap_in_scroll_area(dialog: QDialog) -> bool:
    """Move the content of ``dialog`` (all but its trailing button rows) into a scroll
    area. Returns False when it cannot (no vertical box layout, already done, Qt's own
    dialogs that manage their layout)."""
    layout = dialog.layout()
    if (
        dialog.property(_WRAPPED)
        or not isinstance(layout, QBoxLayout)
        or layout.direction() not in (QBoxLayout.Direction.TopToBottom,)
        or isinstance(dialog, QMessageBox | QFileDialog | QWizard)
    ):
        return False
    taken = []
    while layout.count():
        stretch = layout.stretch(0)
        taken.append((layout.takeAt(0), stretch))
    kept = []
    while taken and _is_button_row(taken[-1][0]):
        kept.insert(0, taken.pop())
    body = QWidget()
    inner = QVBoxLayout(body)
    inner.setContentsMargins(0, 0, 0, 0)
    for item, stretch in taken:
        _add(inner, item, stretch)
    scroll = QScrollArea()
    scroll.setObjectName("fitScroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(body)
    layout.addWidget(scroll, 1)
    for item, stretch in kept:
        _add(layout, item, stretch)
    dialog.setProperty(_WRAPPED, True)
    layout.invalidate()
    layout.activate()  # the dialog's minimum size drops to the scroll area's
    return True


def _add(layout: QBoxLayout, item, stretch: int) -> None:
    if item.widget() is not None:
        layout.addWidget(item.widget(), stretch, item.alignment())
    elif item.layout() is not None:
        child = item.layout()
        child.setParent(None)
        layout.addLayout(child, stretch)
    else:
        layout.addItem(item)


class ScreenFit(QObject):
    """Application event filter keeping shown dialogs inside their screen."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pending: set[int] = set()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every event of the program passes here: the cheap test first (asking an event's
        # type makes a Python enum each time).
        if not isinstance(watched, QDialog):
            return False
        kind = event.type()
        if (kind is _SHOW or kind is _RESIZE) and watched.isWindow():
            if kind is _SHOW:
                fit_window(watched, recentre=True)
            elif watched.isVisible() and not fits(watched):
                self._later(watched)
        return False

    def _later(self, dialog: QDialog) -> None:
        key = id(dialog)
        if key in self._pending:
            return
        self._pending.add(key)

        def run() -> None:
            self._pending.discard(key)
            try:
                if dialog.isVisible():
                    fit_window(dialog)
            except RuntimeError:  # deleted meanwhile
                pass

        QTimer.singleShot(0, dialog, run)


_installed: list[ScreenFit] = []  # the filter installed, remembered here: ``findChild``
# walks the application's children into Python (~10-20 ms at start-up)


def install_screen_fit(app: QApplication) -> ScreenFit:
    """Install (once) the filter that keeps every dialog of ``app`` inside its screen."""
    for fitter in _installed:
        if shiboken6.isValid(fitter) and fitter.parent() is app:
            return fitter
    fitter = ScreenFit(app)
    app.installEventFilter(fitter)
    _installed[:] = [fitter]
    return fitter


def small_screen(widget: QWidget | None = None) -> bool:
    """True on screens smaller than 1280×800 logical pixels (open windows maximised)."""
    area = available_area(widget)
    return area.width() < 1280 or area.height() < 800


__all__ = [
    "FRAME",
    "available_area",
    "client_limit",
    "fit_window",
    "fits",
    "frame_rect",
    "hidden_buttons",
    "install_screen_fit",
    "small_screen",
    "wrap_in_scroll_area",
]
