"""Qt's own file dialog (Linux, or wherever the native one is not used) speaks Vietnamese."""

from __future__ import annotations

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider
from PySide6.QtWidgets import QFileDialog, QLabel

from chapter_app.ui.qt_i18n import apply_language


def test_the_qt_file_dialog_labels_and_types_are_vietnamese(qtbot, qapp, tmp_path):
    apply_language(qapp, "vi")
    (tmp_path / "hoi-vien.xlsx").write_bytes(b"")
    dialog = QFileDialog(None, "Chọn tệp", str(tmp_path), "Tệp Excel (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    dialog.show()

    labels = {label.text() for label in dialog.findChildren(QLabel) if label.text()}
    assert {"Tìm &trong:", "&Tên tệp:", "&Loại tệp:"} <= labels
    assert not any("Look in" in text or "Files of" in text for text in labels)
    provider = QAbstractFileIconProvider()
    assert provider.type(QFileInfo(str(tmp_path))) == "Thư mục"
