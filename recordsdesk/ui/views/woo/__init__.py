"""The Woo request window: requests, scope, assessments, redaction and export."""

from recordsdesk.ui.views.woo.view import WooRequestView

__all__ = ["WooRequestView"]
