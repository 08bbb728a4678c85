"""The service layer: what the CLI and the UI call. Mutations return ``Changes``.

The names below are loaded when first used (PEP 562), not when the package is:
every ``recordsdesk.services.<module>`` import runs this file first, and loading
them all here made each start of the command line (and each worker) load MDTO
export, SIP packaging and PDF handling that most commands never use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recordsdesk.services.dossiers import (
        create_dossier,
        dossier_detail,
        dossier_ids,
        dossier_rows,
        list_dossiers,
        record_detail,
        record_ids,
        record_rows,
        show_dossier,
    )
    from recordsdesk.services.export import ExportReport, export_mdto
    from recordsdesk.services.filing import FilingResult, file_paths
    from recordsdesk.services.importing import ImportReport, import_mdto
    from recordsdesk.services.sip import SipReport, export_sip
    from recordsdesk.services.workspace import Workspace, open_workspace

# Loaded now, not lazily: the function ``verify`` has its module's name, and an import
# of the module ``recordsdesk.services.verify`` elsewhere would otherwise leave the
# module, not the function, as ``services.verify``.
from recordsdesk.services.verify import verified_file, verify

#: each public name and the module of this package that defines it
_HOMES = {
    "create_dossier": "dossiers",
    "dossier_detail": "dossiers",
    "dossier_ids": "dossiers",
    "dossier_rows": "dossiers",
    "list_dossiers": "dossiers",
    "record_detail": "dossiers",
    "record_ids": "dossiers",
    "record_rows": "dossiers",
    "show_dossier": "dossiers",
    "ExportReport": "export",
    "export_mdto": "export",
    "FilingResult": "filing",
    "file_paths": "filing",
    "ImportReport": "importing",
    "import_mdto": "importing",
    "SipReport": "sip",
    "export_sip": "sip",
    "Workspace": "workspace",
    "open_workspace": "workspace",
}

__all__ = [
    "ExportReport",
    "FilingResult",
    "ImportReport",
    "SipReport",
    "Workspace",
    "create_dossier",
    "dossier_detail",
    "dossier_ids",
    "dossier_rows",
    "export_mdto",
    "export_sip",
    "file_paths",
    "import_mdto",
    "list_dossiers",
    "open_workspace",
    "record_detail",
    "record_ids",
    "record_rows",
    "show_dossier",
    "verified_file",
    "verify",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:  # a submodule not imported yet: the import system loads it next
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # once loaded, found directly
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
