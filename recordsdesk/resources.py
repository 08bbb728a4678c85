"""Locate run-time resources (schemas, value lists, translations, icons).

In a source checkout (and an editable install) they live in the top-level
``resources/`` folder; a wheel or frozen build ships them as
``recordsdesk/_resources``. The first that exists wins.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def resources_root() -> Path:
    package_dir = Path(__file__).resolve().parent
    for candidate in (package_dir / "_resources", package_dir.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("RecordsDesk resources folder not found")


def resource_path(*parts: str) -> Path:
    """Path of a resource; parts are fixed names from our code, never user input."""
    return resources_root().joinpath(*parts)
