"""chapter_app: the records program of a commune Red Cross chapter."""

APP_NAME = "chapter_app"
APP_TITLE = "Sổ Hội Chữ thập đỏ"
__version__ = "0.2.0"
