"""The PySide6 reference-count bug behind recordsdesk/ui/_compat.py, and its fix."""

from __future__ import annotations

import subprocess
import sys

import pytest

REPRO = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
if sys.argv[1] == "with-workaround":
    import recordsdesk.ui  # noqa: F401
from PySide6.QtCore import QStringListModel, Qt
model = QStringListModel(["a"])
index = model.index(0, 0)
before = sys.getrefcount(None)
for _ in range(200):
    index.data(Qt.ItemDataRole.ToolTipRole)  # no tooltip: an invalid QVariant -> None
print(sys.getrefcount(None) - before)
for _ in range(int(sys.argv[2])):
    index.data(Qt.ItemDataRole.ToolTipRole)
"""

needs_old_python = pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on"
)


def run(mode: str, calls: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", REPRO, mode, str(calls)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@needs_old_python
def test_the_bindings_still_lose_a_reference_to_none() -> None:
    done = run("without-workaround", 0)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) <= -150, (
        "PySide6 no longer loses references to None: remove recordsdesk/ui/_compat.py and this test"
    )


@needs_old_python
def test_with_the_workaround_the_app_survives_many_calls() -> None:
    done = run("with-workaround", 200_000)
    assert done.returncode == 0, done.stderr
    assert "none_dealloc" not in done.stderr


@needs_old_python
def test_without_it_the_interpreter_aborts() -> None:
    done = run("without-workaround", 200_000)
    assert done.returncode != 0
    assert "none_dealloc" in done.stderr


@needs_old_python
def test_true_and_false_are_protected_too() -> None:
    check = (
        "import sys\nimport recordsdesk.ui  # noqa: F401\n"
        "print(min(sys.getrefcount(True), sys.getrefcount(False)) > 2**59)"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
