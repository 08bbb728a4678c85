"""The search view (issue 7): a query box, results grouped by dossier, completeness."""

from recordsdesk.ui.views.search.view import SearchView

__all__ = ["SearchView"]
