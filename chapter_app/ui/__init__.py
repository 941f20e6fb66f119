"""The PySide6 desktop program; the only layer that imports Qt."""
