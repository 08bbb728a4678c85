"""Work-arounds for bugs in the Qt bindings we ship with (remove when fixed upstream).

PySide6 6.12.0 on Python 3.11: converting an *invalid* ``QVariant`` to Python
(``QModelIndex.data()`` for a role without data, ``headerData`` of the base
class, and the ``None`` a model's ``data()`` override returns for roles it does
not provide) hands out ``None`` without taking a reference. Every such call
lowers ``None``'s reference count by one; item views make thousands of these
calls while painting, so after a while the interpreter aborts with
"Fatal Python error: none_dealloc: deallocating None". From Python 3.12 on
``None`` is immortal (PEP 683) and the bug is harmless.

Until the bindings are fixed we give ``None`` the same immortality on older
CPython by adding a very large constant to its reference count once. ``None`` is
never deallocated anyway, so nothing else changes. ``tests/ui/test_compat.py``
shows the bug and fails once a PySide6 release fixes it, so this can go.

``True`` and ``False`` suffer the same somewhere in the bindings (not pinned down
to one call): the screenshot run, after the retention windows, ended with
"Fatal Python error: bool_dealloc" while the interpreter was finalising, and a
long session could get there sooner. They get the same boost.
"""

from __future__ import annotations

import ctypes
import sys

IMMORTAL_BOOST = 1 << 60


def make_none_immortal() -> bool:
    """Protect the reference counts of ``None``, ``True`` and ``False``; ``True`` if a
    boost was applied now or before (to all three)."""
    return all([_immortal(None), _immortal(True), _immortal(False)])


def _immortal(singleton: object) -> bool:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if hasattr(sys, "gettotalrefcount"):  # debug build: the object header differs
        return False
    refcount = ctypes.c_ssize_t.from_address(id(singleton))  # ob_refcnt is the first field
    if refcount.value >= IMMORTAL_BOOST // 2:
        return True
    if abs(refcount.value - sys.getrefcount(singleton)) > 64:
        return False  # not the object layout we expect: leave it alone
    refcount.value += IMMORTAL_BOOST
    return True
