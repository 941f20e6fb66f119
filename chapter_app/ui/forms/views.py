"""The files (read-only views with actions): what every file shares, and a person with all
their roles. The household's file is in ``address_view``, the sponsor's in ``sponsor_view``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chapter_app.domain.privacy import mask_id
from chapter_app.i18n import N_, _, format_date, format_money, format_number
from chapter_app.services.dossier import person_dossier
from chapter_app.ui.forms import labels
from chapter_app.ui.forms.base import PANEL_STYLE
from chapter_app.ui.forms.common import aid_form_labels
from chapter_app.ui.forms.donor_section import add_donor_section
from chapter_app.ui.forms.widgets import render

ROLE_LABELS = {
    "member": N_("Hội viên"),
    "volunteer": N_("Tình nguyện viên"),
    "youth": N_("Thanh thiếu niên Chữ thập đỏ"),
    "head": N_("Chủ hộ được trợ giúp"),
    "household": N_("Thành viên hộ được trợ giúp"),
    "sponsor": N_("Nhà tài trợ"),
    "donor": N_("Người hiến máu"),
}


def _role_label(code: str) -> str:
    return _(ROLE_LABELS[code])


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()):
    """A read-only table sized to its rows."""
    widget = QTableWidget(len(rows), len(headers))
    widget.setHorizontalHeaderLabels(list(headers))
    widget.verticalHeader().hide()
    widget.setEditTriggers(QAbstractItemView.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectRows)
    widget.setAlternatingRowColors(True)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(str(text))
            if c in right:
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            widget.setItem(r, c, item)
    widget.resizeColumnsToContents()
    header = widget.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.Interactive)
    height = widget.horizontalHeader().sizeHint().height() + 6
    height += sum(widget.rowHeight(r) for r in range(min(len(rows), 8)))
    widget.setFixedHeight(max(height, 60))
    return widget


def aid_table(rows: Sequence[dict], form_labels: Mapping[str, str]):
    """The aid records (``rows()`` dicts of the aid register) of a file, oldest first;
    ``form_labels``: ``aid_form_labels(store)``."""
    return table(
        [_("Ngày"), _("Chương trình"), _("Hình thức"), _("Nội dung"), _("Giá trị")],
        [
            (
                format_date(_iso(row["given_on"])),
                row["campaign_name"] or "",
                form_labels.get(row["form"], row["form"] or ""),
                row["description"] or "",
                format_money(row["value_total"]),
            )
            for row in rows
        ],
        right=(4,),
    )


def _iso(value):
    """A date column from ``rows()`` (ISO text) as a ``date``."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


class _View(QDialog):
    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.setStyleSheet(PANEL_STYLE)
        outer = QVBoxLayout(self)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.new_body()
        outer.addWidget(self.scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton(_("Đóng"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        buttons.addWidget(self.close_button)
        outer.addLayout(buttons)
        self.resize(760, 600)  # within 1093x614, the screen at 125%

    changed = False  # anything saved from this file (by its actions)

    def fill(self) -> None:
        """Build the file's contents (files with actions; the others build in __init__)."""

    def reload(self) -> None:
        """Read the file again after an action saved something."""
        self.changed = True
        self.new_body()
        self.fill()

    def new_body(self) -> None:
        """Start the file's contents afresh (after an action changed what it shows)."""
        self.body = QWidget()
        self.layout_ = QVBoxLayout(self.body)
        self.scroll.setWidget(self.body)

    def heading(self, text: str, detail: str = "") -> None:
        title = QLabel(text)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        title.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.layout_.addWidget(title)
        if detail:
            line = QLabel(detail)
            line.setWordWrap(True)
            self.layout_.addWidget(line)

    def warnings_panel(self, lines: Sequence[str]) -> QFrame | None:
        if not lines:
            return None
        panel = QFrame()
        panel.setObjectName("warningPanel")
        layout = QVBoxLayout(panel)
        title = QLabel(_("Cần xem lại:"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        text = QLabel("\n".join(f"• {line}" for line in lines))
        text.setWordWrap(True)
        text.setTextFormat(Qt.PlainText)
        layout.addWidget(text)
        self.layout_.addWidget(panel)
        self.conflict_text = text
        return panel

    def group(self, title: str) -> QVBoxLayout:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        self.layout_.addWidget(box)
        return layout

    @staticmethod
    def facts(layout: QVBoxLayout, pairs: Sequence[tuple[str, str]]) -> None:
        form = QFormLayout()
        for caption, value in pairs:
            if value in (None, ""):
                continue
            label = QLabel(str(value))
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextSelectableByMouse)
            form.addRow(caption, label)
        layout.addLayout(form)


def _birth(person) -> str:
    if person.birth_date:
        return format_date(person.birth_date)
    return str(person.birth_year or "")


class PersonView(_View):
    """All roles of one person, the aid they or their household received, and conflicts."""

    def __init__(self, store, person_id: int, parent=None):
        super().__init__(store, parent)
        self.dossier = d = person_dossier(store, person_id)
        p = d.person
        self.setWindowTitle(_("Hồ sơ: {name}").format(name=p.full_name))
        roles = ", ".join(_role_label(r) for r in d.roles) or _("chưa có vai trò nào")
        self.heading(p.full_name, _("Vai trò: {roles}").format(roles=roles))
        self.role_line = roles
        self.conflicts = [render(issue) for issue in d.conflicts]
        self.warnings_panel(self.conflicts)

        info = self.group(_("Thông tin cá nhân"))
        unit = store.units.find(p.unit_id) if p.unit_id else None
        self.facts(
            info,
            [
                (_("Giới tính"), labels.label(labels.SEX, p.sex)),
                (_("Ngày sinh, năm sinh"), _birth(p)),
                (_("Số định danh"), mask_id(p.id_number)),
                (_("Điện thoại"), p.phone or ""),
                (_("Địa chỉ"), p.address or ""),
                (_("Thôn, tổ dân phố"), unit.name if unit else ""),
            ],
        )
        for member in d.members:
            box = self.group(_("Hội viên"))
            branch = store.branches.find(member.branch_id) if member.branch_id else None
            self.facts(
                box,
                [
                    (_("Chi hội"), branch.name if branch else ""),
                    (_("Ngày kết nạp"), format_date(member.admitted_on)),
                    (_("Số quyết định"), member.decision_no or ""),
                    (_("Số thẻ"), member.card_no or ""),
                    (
                        _("Tình trạng"),
                        _("{status} từ {date}").format(
                            status=labels.label(labels.MEMBER_STATUS, member.status),
                            date=format_date(member.status_on),
                        ),
                    ),
                ],
            )
            box.addWidget(
                table(
                    [_("Ngày"), _("Tình trạng"), _("Lý do")],
                    [
                        (
                            format_date(e.on_date),
                            labels.label(labels.MEMBER_STATUS, e.status),
                            e.reason or "",
                        )
                        for e in d.member_history.get(member.id, [])
                    ],
                )
            )
            moves = d.branch_moves.get(member.id)
            if moves:
                caption = QLabel(_("Chuyển chi hội"))
                caption.setObjectName("branchMovesCaption")
                box.addWidget(caption)
                moves_table = table(
                    [_("Ngày"), _("Từ chi hội"), _("Sang chi hội"), _("Lý do")],
                    [
                        (format_date(mv.on_date), mv.from_name or "", mv.to_name, mv.reason or "")
                        for mv in moves
                    ],
                )
                moves_table.setObjectName("branchMoves")
                box.addWidget(moves_table)
        for volunteer in d.volunteers:
            box = self.group(_("Tình nguyện viên"))
            self.facts(
                box,
                [
                    (_("Ngày đăng ký"), format_date(volunteer.registered_on)),
                    (_("Ngày thôi"), format_date(volunteer.left_on)),
                    (_("Nòng cốt"), _("Có") if volunteer.is_core else _("Không")),
                    (_("Kỹ năng"), volunteer.skills or ""),
                    (_("Đội, câu lạc bộ"), volunteer.team or ""),
                    (_("Số giờ hoạt động"), format_number(volunteer.hours or 0)),
                ],
            )
        for youth in d.youth:
            box = self.group(_("Thanh thiếu niên Chữ thập đỏ"))
            self.facts(
                box,
                [
                    (_("Ngày đăng ký"), format_date(youth.registered_on)),
                    (_("Ngày thôi"), format_date(youth.left_on)),
                    (_("Trường, đơn vị"), youth.school_or_unit or ""),
                ],
            )
        if d.households:
            box = self.group(_("Hộ được trợ giúp (địa chỉ nhân đạo)"))
            box.addWidget(
                table(
                    [_("Hộ"), _("Vai trò trong hộ"), _("Tình trạng")],
                    [
                        (
                            h.address.name,
                            _("Chủ hộ") if h.is_head else (h.relation or _("Thành viên")),
                            labels.label(labels.ADDRESS_STATUS, h.address.status),
                        )
                        for h in d.households
                    ],
                )
            )
        for sponsor in d.sponsors:
            box = self.group(_("Nhà tài trợ"))
            self.facts(box, [(_("Tên"), sponsor.name), (_("Liên hệ"), sponsor.phone or "")])
        add_donor_section(self, store, p.id)
        box = self.group(_("Trợ giúp đã nhận"))
        if d.aid:
            campaigns = {c.id: c.name for c in store.campaigns.list()}
            forms = aid_form_labels(store)
            box.addWidget(
                table(
                    [_("Ngày"), _("Nhận"), _("Chương trình"), _("Hình thức"), _("Giá trị")],
                    [
                        (
                            format_date(a.given_on),
                            _("Cá nhân") if a.address_id is None else _("Cả hộ"),
                            campaigns.get(a.campaign_id, ""),
                            forms.get(a.form, a.form or ""),
                            format_money(a.value_total),
                        )
                        for a in d.aid
                    ],
                    right=(4,),
                )
            )
        self.aid_line = QLabel(
            _("{count} lượt, tổng giá trị {total}").format(
                count=format_number(len(d.aid)), total=format_money(d.aid_total)
            )
        )
        box.addWidget(self.aid_line)
        self.layout_.addStretch(1)
