"""Retention views (issue 5): the Selectielijst browser and the due list."""

from recordsdesk.ui.views.retention.browser import SelectielijstBrowser
from recordsdesk.ui.views.retention.due import DueListView

__all__ = ["DueListView", "SelectielijstBrowser"]
