"""The service layer: what the CLI and the UI call. Mutations return ``Changes``."""

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
from recordsdesk.services.verify import verified_file, verify
from recordsdesk.services.workspace import Workspace, open_workspace

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
