"""The program's look: a light style sheet over Qt's own style (Fusion on Linux)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

RED = "#c8102e"

STYLE_SHEET = f"""
QListWidget#navigation {{
    border: none;
    outline: 0;
    background: #f3f3f3;
    padding-top: 8px;
    font-size: 11pt;
}}
QListWidget#navigation::item {{
    padding: 8px 12px;
    border-left: 4px solid transparent;
}}
QListWidget#navigation::item:selected {{
    background: #ffffff;
    color: {RED};
    border-left: 4px solid {RED};
    font-weight: bold;
}}
QLabel#pageTitle {{
    font-size: 15pt;
    font-weight: bold;
    color: #202020;
    padding-bottom: 2px;
}}
QLabel#pageSubtitle {{
    color: #555555;
}}
QFrame#figureCard {{
    background: #ffffff;
    border: 1px solid #dddddd;
    border-radius: 6px;
}}
QLabel#cardTitle {{
    color: #444444;
    font-weight: bold;
}}
QLabel#cardFigure {{
    color: {RED};
}}
QLabel#cardCaption, QLabel#cardDetails {{
    color: #555555;
}}
QWidget#dashboardContent {{
    background: #fafafa;
}}
"""


def apply_style(app: QApplication) -> None:
    app.setStyleSheet(STYLE_SHEET)
