"""Layering: nothing outside ``recordsdesk/ui`` needs Qt.

``import_without_qt`` imports modules in a fresh interpreter in which PySide6
and shiboken6 cannot be imported (a ``sys.meta_path`` finder refuses them
before anything else is imported). It is used on the real package and, to
prove it catches a violation, on a deliberately bad package written to a temp
dir. import-linter enforces the same rules statically (contracts in
pyproject.toml).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
QT = ("PySide6", "shiboken6")

# Modules outside recordsdesk/ui that are not imported as library code:
NOT_LIBRARY_CODE = {
    # `python -m recordsdesk` starts the desktop window: it is a UI entry point.
    "recordsdesk.__main__": "the desktop entry point (imports recordsdesk.ui.app)",
    # Alembic executes env.py itself, with its migration context set up.
    "recordsdesk.db.migrations.env": "run by Alembic, not importable on its own",
}

CHECKER = r"""
import importlib, json, sys

class BlockQt:
    '''Refuse PySide6 and shiboken6 (and their submodules), as if not installed.'''
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError(f"layering: {name} may not be imported here")
        return None

if sys.argv[2] == "block":
    sys.meta_path.insert(0, BlockQt())
failures = {}
for module in json.loads(sys.argv[1]):
    try:
        importlib.import_module(module)
    except BaseException as exc:
        failures[module] = f"{type(exc).__name__}: {exc}"
qt_loaded = sorted(m for m in sys.modules if m.partition(".")[0] in ("PySide6", "shiboken6"))
print(json.dumps({"failures": failures, "qt_loaded": qt_loaded}))
"""


def modules_under(root: Path, package: str, skip: Iterable[str] = ()) -> list[str]:
    """Dotted names of every module in the package at ``root`` (found on disk, not imported)."""
    names = []
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        name = ".".join([package, *parts])
        if not any(name == s or name.startswith(s + ".") for s in skip):
            names.append(name)
    return names


def import_without_qt(
    modules: list[str], search_path: Path, block: bool = True
) -> dict[str, object]:
    """Import ``modules`` in a fresh interpreter with Qt blocked; the failures and Qt loaded."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(search_path), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", CHECKER, json.dumps(modules), "block" if block else "allow"],
        capture_output=True,
        text=True,
        cwd=search_path,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def core_modules() -> list[str]:
    return modules_under(
        REPO / "recordsdesk", "recordsdesk", skip=["recordsdesk.ui", *NOT_LIBRARY_CODE]
    )


def test_every_module_outside_the_ui_imports_without_qt() -> None:
    modules = core_modules()
    # the discovery must really find the core, or this test would prove nothing
    for expected in (
        "recordsdesk",
        "recordsdesk.cli",
        "recordsdesk.store.objects",
        "recordsdesk.services.filing",
        "recordsdesk.db.models",
        "recordsdesk.db.migrations.versions.0001_initial_schema",
        "recordsdesk.archive",
    ):
        assert expected in modules, expected
    assert not any(m.startswith("recordsdesk.ui") for m in modules)

    result = import_without_qt(modules, REPO)

    assert result["failures"] == {}
    assert result["qt_loaded"] == []


def test_the_excluded_modules_are_really_not_library_code() -> None:
    main = (REPO / "recordsdesk" / "__main__.py").read_text()
    assert "recordsdesk.ui" in main
    env = (REPO / "recordsdesk" / "db" / "migrations" / "env.py").read_text()
    assert "context.config" in env
    assert set(NOT_LIBRARY_CODE) <= set(modules_under(REPO / "recordsdesk", "recordsdesk"))


BAD_PACKAGE = {
    "__init__.py": '"""A fake application package."""\n',
    "good.py": "import json\n\nVALUE = json.dumps([1])\n",
    "core.py": '"""A core module that breaks the rule directly."""\nimport PySide6\n',
    "store.py": '"""Breaks it indirectly, through another module."""\nfrom badapp import widgets\n',
    "widgets.py": "from shiboken6 import Shiboken\n",
    "ui/__init__.py": "from PySide6 import QtCore\n",
}


@pytest.fixture
def bad_package(tmp_path: Path) -> Path:
    root = tmp_path / "badapp"
    for relative, source in BAD_PACKAGE.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return tmp_path


def test_the_check_fails_on_a_core_module_that_imports_qt(bad_package: Path) -> None:
    modules = modules_under(bad_package / "badapp", "badapp", skip=["badapp.ui"])
    assert modules == ["badapp", "badapp.core", "badapp.good", "badapp.store", "badapp.widgets"]

    result = import_without_qt(modules, bad_package)

    failures = result["failures"]
    assert isinstance(failures, dict)
    assert sorted(failures) == ["badapp.core", "badapp.store", "badapp.widgets"]
    assert "PySide6" in failures["badapp.core"]
    assert "shiboken6" in failures["badapp.store"]
    assert result["qt_loaded"] == []


def test_without_the_block_the_bad_module_would_import(bad_package: Path) -> None:
    """Control: it is the block that catches the bad module (Qt is installed here)."""
    result = import_without_qt(["badapp.core"], bad_package, block=False)
    assert result["failures"] == {}
    assert "PySide6" in result["qt_loaded"]  # type: ignore[operator]


def _contracts() -> list[dict[str, list[str]]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    contracts: list[dict[str, list[str]]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def test_import_linter_contracts_hold() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(linter)], capture_output=True, text=True, cwd=REPO, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: " in done.stdout and " broken" in done.stdout
    assert "0 broken" in done.stdout


def test_the_qt_contract_covers_every_module_outside_the_ui() -> None:
    """import-linter only checks the modules a contract names; a new core module must be named."""
    [contract] = [c for c in _contracts() if set(QT) <= set(c["forbidden_modules"])]
    sources = contract["source_modules"]
    uncovered = [
        module
        for module in core_modules()
        if module != "recordsdesk"
        and not any(module == s or module.startswith(s + ".") for s in sources)
    ]
    assert uncovered == [], f"not in the 'never import Qt' contract: {uncovered}"
