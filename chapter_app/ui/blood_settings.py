"""The "Hiến máu" tab of the settings: days between donations, donor ages, honour
thresholds, and the commune's population (for the share of donors)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QSpinBox

from chapter_app.domain.blood import parse_thresholds
from chapter_app.i18n import _


def _spin(low: int, high: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    return spin


class BloodSettings:
    """Widgets of the tab; ``load`` and ``values`` are called by the settings panel."""

    def __init__(self, panel):
        self.whole_weeks = _spin(1, 52, _(" tuần"))
        self.whole_weeks.setObjectName("blood_whole_weeks")
        self.component_days = _spin(1, 365, _(" ngày"))
        self.min_age = _spin(16, 70)
        self.max_age = _spin(16, 80)
        self.thresholds = QLineEdit()
        self.thresholds.setObjectName("blood_honour_thresholds")
        self.population = QLineEdit()
        self.population.setObjectName("population")
        self.population.setPlaceholderText(_("để trống nếu chưa có"))
        self.error = QLabel()
        self.error.setObjectName("bloodError")
        self.error.setStyleSheet("color: #b00020")
        self.error.hide()
        form = QFormLayout()
        form.addRow(_("Hiến máu toàn phần lại sau:"), self.whole_weeks)
        form.addRow(_("Hiến thành phần máu lại sau:"), self.component_days)
        form.addRow(_("Tuổi người hiến máu, từ:"), self.min_age)
        form.addRow(_("đến:"), self.max_age)
        form.addRow(_("Các mốc tôn vinh (số lần hiến):"), self.thresholds)
        form.addRow(_("Dân số của xã (người):"), self.population)
        form.addRow("", self.error)
        panel._tab(form, _("Hiến máu"))

    def load(self, values: dict[str, Any]) -> None:
        self.whole_weeks.setValue(int(values.get("blood_whole_interval_days") or 84) // 7)
        self.component_days.setValue(int(values.get("blood_component_interval_days") or 14))
        self.min_age.setValue(int(values.get("blood_min_age") or 18))
        self.max_age.setValue(int(values.get("blood_max_age") or 60))
        thresholds = values.get("blood_honour_thresholds") or []
        self.thresholds.setText(", ".join(str(t) for t in thresholds))
        population = int(values.get("population") or 0)
        self.population.setText(str(population) if population else "")

    def values(self, problems: list) -> dict[str, Any]:
        """The tab's settings; a problem (label, message) for each value that is wrong."""
        self.error.hide()
        try:
            thresholds = list(parse_thresholds(self.thresholds.text()))
        except ValueError:
            thresholds = []
            problems.append(
                (self.error, _("Các mốc tôn vinh là các số nguyên dương, cách nhau bởi dấu phẩy."))
            )
        text = "".join(self.population.text().replace(".", "").split())
        if text and not text.isdigit():
            problems.append((self.error, _("Dân số phải là một số nguyên.")))
            text = ""
        if self.min_age.value() > self.max_age.value():
            problems.append((self.error, _("Tuổi người hiến máu: tuổi đầu lớn hơn tuổi cuối.")))
        return {
            "blood_whole_interval_days": self.whole_weeks.value() * 7,
            "blood_component_interval_days": self.component_days.value(),
            "blood_min_age": self.min_age.value(),
            "blood_max_age": self.max_age.value(),
            "blood_honour_thresholds": thresholds,
            "population": int(text) if text else 0,
        }
