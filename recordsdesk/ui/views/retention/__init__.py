"""Retention views (issue 5): the Selectielijst browser, the due list, and the
destruction and transfer lists."""

from recordsdesk.ui.views.retention.browser import SelectielijstBrowser
from recordsdesk.ui.views.retention.due import DueListView
from recordsdesk.ui.views.retention.lists import DisposalListsView

__all__ = ["DisposalListsView", "DueListView", "SelectielijstBrowser"]
