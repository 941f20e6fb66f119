"""The PySide6 desktop program; the only layer that imports Qt.

Start-up (the large register's first page within 2x an empty window, ``bench/bench_ui.py``):
PySide6 builds each class, with its enums, when it is first named. The ``Qt`` namespace's
~100 enums take ~25 ms, so what runs before the first page is painted never names ``Qt``
(nor passes a QKeySequence, whose conversion checks it); those modules take it from
``QtCore`` where it is used. ``tests/ui/test_startup.py`` checks it in a fresh process.

Importing PySide6 replaces ``__import__``: after that, every newly imported module is
checked for the text "PySide6" (for PySide's opt-in ``from __feature__ import ...``)
with ``inspect.getsource``, which reads and decodes each module's source through
``linecache`` (about 25 ms over the modules a start imports; napari/napari#8584). The
program selects no feature, so the answer changes nothing; ``_uses_pyside`` gives the
same answer from the file's bytes at a fraction of the cost. Without the hook (another
PySide6 version), nothing is replaced.
"""

import sys

import PySide6.QtCore  # noqa: F401  (installs PySide's import hook, replaced below)


def _uses_pyside(module) -> bool:
    """Whether the source file of ``module`` mentions PySide6 (what PySide asks)."""
    origin = getattr(getattr(module, "__spec__", None), "origin", None)
    if not isinstance(origin, str) or not origin.endswith(".py"):
        return False  # built in, compiled, or frozen: PySide's own check says False too
    try:
        with open(origin, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


_feature = sys.modules.get("PySide6.support.feature")
if _feature is not None and callable(getattr(_feature, "_mod_uses_pyside", None)):
    _feature._mod_uses_pyside = _uses_pyside
