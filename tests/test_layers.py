"""The house rules: layers import downward only, and no Qt below the ui layer."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import chapter_app

PACKAGE = Path(chapter_app.__file__).parent
LAYERS = ["domain", "store", "services", "ui"]  # each may import only those before it
QT_FREE = ["domain", "store", "services"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def test_domain_store_and_services_never_import_pyside6_in_source():
    offenders = [
        str(path.relative_to(PACKAGE))
        for layer in QT_FREE
        for path in _modules(layer)
        if any(name.split(".")[0] in {"PySide6", "shiboken6"} for name in _imports(path))
    ]
    assert offenders == []


def test_importing_every_qt_free_module_loads_no_pyside6():
    modules = [
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for layer in QT_FREE
        for path in _modules(layer)
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(k for k in sys.modules if k.startswith(('PySide6', 'shiboken6'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_layers_import_only_downward():
    offenders = []
    for index, layer in enumerate(LAYERS):
        higher = LAYERS[index + 1 :]
        for path in _modules(layer):
            for name in _imports(path):
                parts = name.split(".")
                if parts[0] == "chapter_app" and len(parts) > 1 and parts[1] in higher:
                    offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_domain_uses_the_standard_library_only():
    allowed_third_party: set[str] = set()
    offenders = []
    for path in _modules("domain"):
        for name in _imports(path):
            top = name.split(".")[0]
            if top == "chapter_app":
                if not name.startswith(("chapter_app.domain", "chapter_app.errors")):
                    offenders.append(f"{path.name}: {name}")
            elif top not in sys.stdlib_module_names and top not in allowed_third_party:
                offenders.append(f"{path.name}: {name}")
    assert offenders == []
