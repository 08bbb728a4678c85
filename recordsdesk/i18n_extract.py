"""Find every translatable literal in the code, for catalogue checks.

A literal is the first argument of a call to ``_`` or ``N_``. Each source file
belongs to one catalogue: ``ui`` for ``recordsdesk/ui``, ``cli`` for the
command line (which also carries argparse's own messages), ``core`` for the rest.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent

# argparse's own user-facing messages (Python 3.11); translated through cli.po.
ARGPARSE_MSGIDS = (
    "usage: ",
    "positional arguments",
    "options",
    "show this help message and exit",
    "show program's version number and exit",
    "the following arguments are required: %s",
    "unrecognized arguments: %s",
    "invalid choice: %(value)r (choose from %(choices)s)",
    "argument %(argument_name)s: %(message)s",
    "expected one argument",
    "expected at least one argument",
    "invalid %(type)s value: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s",
)


def catalogue_for(path: Path) -> str:
    relative = path.resolve().relative_to(PACKAGE)
    if relative.parts[0] == "ui":
        return "ui"
    if relative.name.startswith("cli"):
        return "cli"
    return "core"


def literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"_", "N_"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append(node.args[0].value)
    return found


def msgids_by_catalogue() -> dict[str, set[str]]:
    result: dict[str, set[str]] = {"core": set(), "cli": set(ARGPARSE_MSGIDS), "ui": set()}
    for path in sorted(PACKAGE.rglob("*.py")):
        result[catalogue_for(path)].update(literals(path))
    return result
