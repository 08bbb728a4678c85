"""Item models for the views: ids plus a lazy row cache, never item widgets."""

from recordsdesk.ui.models.dossiers import DossierModel
from recordsdesk.ui.models.lazy import LazyIdModel
from recordsdesk.ui.models.records import RecordModel

__all__ = ["DossierModel", "LazyIdModel", "RecordModel"]
