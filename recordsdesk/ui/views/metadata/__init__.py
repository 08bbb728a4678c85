"""The metadata editor of a dossier or record (issue 4): every MDTO element in a
grouped form, value-list pickers with search, repeatable groups, inline
validation of every problem at once, values inherited from the dossier shown
as such, and the files' technical metadata read-only.

Modules, each building on the ones before:

- :mod:`.fields`: the editor base class, text fields, sub-forms, element labels;
- :mod:`.repeat`: repeatable elements (add, remove, reorder rows);
- :mod:`.begrip`: value-list pickers (open lists with own values, closed lists);
- :mod:`.build`: which editor an element gets, inherited values, read-only views;
- :mod:`.form`: the seven groups of one object's metadata and its problems;
- :mod:`.prompts`: its questions (load again after a stale save, close unsaved);
- :mod:`.dialog`: the window: loading, checking, saving through the workers.
"""

from __future__ import annotations

from recordsdesk.ui.views.metadata.dialog import CHECK_DELAY_MS, MetadataDialog
from recordsdesk.ui.views.metadata.form import GROUPS, MetadataForm

__all__ = ["CHECK_DELAY_MS", "GROUPS", "MetadataDialog", "MetadataForm"]
