"""Hoạt động: the counted activities (blood drives, first aid, health care, disaster drills)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from chapter_app.i18n import N_, _
from chapter_app.store.repository import Query
from chapter_app.ui.pages import labels
from chapter_app.ui.pages.base import Page, PeriodFilter, RegisterPage, years_of
from chapter_app.ui.pages.donors import DonorsTab
from chapter_app.ui.table_model import Column, iso_to_display


class ActivityTab(RegisterPage):
    """One kind of activity: a register filtered by the day it was held."""

    order_by = "held_on"
    descending = True
    search_placeholder = N_("Tìm theo ghi chú")
    show_title = False

    def build_filters(self) -> None:
        self.period_filter = PeriodFilter()
        self.period_filter.setObjectName("filter_held_on")
        self.add_filter("held_on", self.period_filter, self.period_filter.value)

    def load_lookups(self) -> None:
        self.period_filter.set_years(years_of(self.repo, "held_on"))

    def display_name(self, row: dict[str, Any]) -> str:
        return _("ngày {date}").format(date=iso_to_display(row.get("held_on")))


class BloodDrivesTab(ActivityTab):
    title = N_("Hiến máu")
    repo_name = "blood_drives"
    form_kind = "blood_drive"
    noun = N_("đợt hiến máu")
    count_label = N_("Đợt hiến máu: {count}")
    search_placeholder = N_("Tìm theo nơi tiếp nhận, ghi chú")
    columns = (
        Column("held_on", N_("Ngày"), kind="date", sort="held_on", width=95),
        Column("partner", N_("Nơi tiếp nhận máu"), sort="partner", width=220),
        Column("registered", N_("Người đăng ký"), kind="number", sort="registered", width=110),
        Column("donors", N_("Người hiến"), kind="number", sort="donors", width=90),
        Column("units", N_("Đơn vị máu"), kind="number", sort="units", width=95),
        Column("units_250", N_("Loại 250 ml"), kind="number", width=90, optional=True),
        Column("units_350", N_("Loại 350 ml"), kind="number", width=90, optional=True),
        Column("units_450", N_("Loại 450 ml"), kind="number", width=90, optional=True),
        Column("notes", N_("Ghi chú"), width=200),
    )

    def enrich_rows(self, rows: list[dict[str, Any]]) -> None:
        """Drives with named donations show the figures counted from them."""
        from chapter_app.services.blood.drives import drive_figures

        drives = self.repo.list(Query(filters={"id": [row["id"] for row in rows]}))
        figures = drive_figures(self.store, drives)
        for row in rows:
            found = figures.get(row["id"])
            if found is not None and found.named:
                row.update(found.as_json())


class FirstAidTab(ActivityTab):
    title = N_("Sơ cấp cứu")
    repo_name = "firstaid"
    form_kind = "firstaid"
    noun = N_("lớp sơ cấp cứu")
    count_label = N_("Lớp sơ cấp cứu: {count}")
    search_placeholder = N_("Tìm theo tên lớp, ghi chú")
    columns = (
        Column("held_on", N_("Ngày"), kind="date", sort="held_on", width=95),
        Column("title", N_("Tên lớp"), sort="title", width=240),
        Column("trainees", N_("Học viên"), kind="number", sort="trainees", width=90),
        Column("cases_handled", N_("Ca sơ cứu"), kind="number", sort="cases_handled", width=90),
        Column("notes", N_("Ghi chú"), width=240),
    )


class HealthTab(ActivityTab):
    title = N_("Chăm sóc sức khỏe")
    repo_name = "health"
    form_kind = "health"
    noun = N_("hoạt động chăm sóc sức khỏe")
    count_label = N_("Hoạt động chăm sóc sức khỏe: {count}")
    columns = (
        Column("held_on", N_("Ngày"), kind="date", sort="held_on", width=95),
        Column("kind", N_("Hình thức"), kind="choice", choices=labels.HEALTH_KIND, width=170),
        Column("person_times", N_("Lượt người"), kind="number", sort="person_times", width=90),
        Column("value", N_("Trị giá"), kind="money", sort="value", width=120),
        Column("notes", N_("Ghi chú"), width=260),
    )


class DrillsTab(ActivityTab):
    title = N_("Phòng chống thiên tai")
    repo_name = "drills"
    form_kind = "drill"
    noun = N_("buổi diễn tập, tập huấn")
    count_label = N_("Buổi diễn tập, tập huấn: {count}")
    columns = (
        Column("held_on", N_("Ngày"), kind="date", sort="held_on", width=95),
        Column("kind", N_("Hình thức"), kind="choice", choices=labels.DRILL_KIND, width=110),
        Column("sessions", N_("Số buổi"), kind="number", sort="sessions", width=80),
        Column("participants", N_("Người tham gia"), kind="number", sort="participants", width=110),
        Column("notes", N_("Ghi chú"), width=260),
    )


TABS = [BloodDrivesTab, DonorsTab, FirstAidTab, HealthTab, DrillsTab]


class ActivitiesPage(Page):
    """The four activity registers as tabs; the main window talks to the current tab."""

    title = N_("Hoạt động")

    def __init__(self, store, worker, parent: QWidget | None = None):
        super().__init__(store, worker, parent)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("activityTabs")
        self.pages: list[ActivityTab] = []
        for tab_class in TABS:
            tab = tab_class(store, worker)
            tab.status_changed.connect(self.status_changed)
            self.pages.append(tab)
            self.tabs.addTab(tab, _(tab_class.title))
        self.tabs.currentChanged.connect(lambda _i: self.status_changed.emit())
        heading = QLabel(_("Hoạt động"))
        heading.setObjectName("pageTitle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addWidget(heading)
        layout.addWidget(self.tabs)

    def current(self) -> ActivityTab:
        return self.pages[self.tabs.currentIndex()]

    def status_text(self) -> str:
        return self.current().status_text()

    def can_add(self) -> bool:
        return self.current().can_add()

    def add_record(self) -> None:
        self.current().add_record()

    def focus_search(self) -> None:
        self.current().focus_search()

    def refresh(self) -> None:
        self.current().refresh()

    def ensure_loaded(self) -> None:
        self.current().ensure_loaded()

    def on_data_changed(self) -> None:
        pass  # each tab listens to the store itself

    def save_state(self, settings, prefix: str) -> None:
        settings.setValue(f"{prefix}/tab", self.tabs.currentIndex())
        for tab in self.pages:
            tab.save_state(settings, f"{prefix}/{tab.repo_name}")

    def restore_state(self, settings, prefix: str) -> None:
        for tab in self.pages:
            tab.restore_state(settings, f"{prefix}/{tab.repo_name}")
        try:
            index = int(settings.value(f"{prefix}/tab", 0))
        except (TypeError, ValueError):
            index = 0
        if 0 <= index < len(self.pages):
            self.tabs.setCurrentIndex(index)
