"""The first steps of a new register, shown on the Tổng quan page until they are done.

A register made by the wizard or by ``init`` is empty: the officer sees what to do first
(chi hội and thôn, the member list, the year's targets, the humanitarian addresses), which
of it is done, and a button that opens the place where each step is done. The panel asks
for a step with ``requested(key)``; the main window carries it out.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from chapter_app.i18n import N_, _


@dataclass(frozen=True)
class Step:
    key: str  # what is checked: a key of ``load_first_steps``'s answer
    text: str  # N_-marked; ``{year}`` is the dashboard's year
    actions: tuple[tuple[str, str], ...]  # (button label N_, request key)


STEPS = (
    Step(
        "branches",
        N_("Khai báo các chi hội và thôn, tổ dân phố"),
        ((N_("Mở trang Tổ chức"), "organisation"),),
    ),
    Step(
        "members",
        N_("Đưa danh sách hội viên vào sổ: nhập từ tệp Excel đang dùng, hoặc gõ từng người"),
        ((N_("Nhập từ Excel…"), "import"), (N_("Thêm hội viên"), "member")),
    ),
    Step("targets", N_("Đặt chỉ tiêu năm {year}"), ((N_("Đặt chỉ tiêu"), "targets"),)),
    Step(
        "addresses",
        N_("Ghi các hộ được theo dõi (địa chỉ nhân đạo) và nhà tài trợ của họ"),
        ((N_("Thêm hộ"), "address"),),
    ),
)
DONE_MARK = "✔"
TODO_MARK = "○"


def load_first_steps(store, year: int) -> dict[str, bool]:
    """Which first steps the register has done (no Qt: runs in the worker)."""
    from chapter_app.services.targets import targets_for

    return {
        "branches": store.branches.count() > 0,
        "members": store.members.count() > 0,
        "targets": bool(targets_for(store, year)),
        "addresses": store.addresses.count() > 0,
    }


class FirstStepsPanel(QFrame):
    """ "Bắt đầu": the steps of a new register with their buttons; hidden once all are done
    (or when the officer closes it for this session)."""

    requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("firstSteps")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.dismissed = False
        self._outer = outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        top = QHBoxLayout()
        title = QLabel(_("Bắt đầu với sổ mới"))
        title.setObjectName("cardTitle")
        top.addWidget(title)
        top.addStretch(1)
        guide = QPushButton(_("Hướng dẫn sử dụng (F1)"))
        guide.setObjectName("first_step_guide")
        guide.clicked.connect(lambda: self.requested.emit("guide"))
        top.addWidget(guide)
        close = QPushButton(_("Ẩn"))
        close.setObjectName("first_steps_hide")
        close.setToolTip(_("Ẩn phần này đến lần mở chương trình sau"))
        close.clicked.connect(self.dismiss)
        top.addWidget(close)
        outer.addLayout(top)
        self.marks: dict[str, QLabel] = {}
        self.texts: dict[str, QLabel] = {}
        self.hide()

    def _build_steps(self) -> None:
        """The rows of the steps, made with the first progress (the panel is hidden until
        then, and the page is up sooner without them)."""
        from PySide6.QtCore import Qt  # not at start-up (see chapter_app/ui/__init__)

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        for row, step in enumerate(STEPS):
            mark = QLabel(TODO_MARK)
            text = QLabel(_(step.text))
            text.setWordWrap(True)
            buttons = QHBoxLayout()
            for label, key in step.actions:
                button = QPushButton(_(label))
                button.setObjectName(f"first_step_{key}")
                button.clicked.connect(lambda _checked=False, key=key: self.requested.emit(key))
                buttons.addWidget(button)
            grid.addWidget(mark, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(text, row, 1)
            grid.addLayout(buttons, row, 2, Qt.AlignmentFlag.AlignRight)
            self.marks[step.key], self.texts[step.key] = mark, text
        grid.setColumnStretch(1, 1)
        self._outer.addLayout(grid)

    def set_progress(self, done: dict[str, bool], year: int) -> None:
        """Tick the steps done; show the panel while one is left (unless dismissed)."""
        if not self.marks:
            self._build_steps()
        for step in STEPS:
            finished = done.get(step.key, False)
            self.marks[step.key].setText(DONE_MARK if finished else TODO_MARK)
            text = _(step.text).format(year=year)
            self.texts[step.key].setText(f"<s>{text}</s>" if finished else text)
        self.setVisible(not self.dismissed and not all(done.get(s.key) for s in STEPS))

    def dismiss(self) -> None:
        self.dismissed = True
        self.hide()
