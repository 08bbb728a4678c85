"""The PySide6 desktop front end: the only package that imports Qt.

Entry point: :func:`recordsdesk.ui.app.main`. Background work goes through
:mod:`recordsdesk.ui.ops`; errors through :func:`recordsdesk.ui.errors.show_error`.
"""

# The Qt-free layers the main window needs are imported before PySide6 is. Once
# PySide6 is loaded, its import hook (the ``__feature__`` check) reads the source
# of every module imported after it, which made start-up 0.2-0.3 s slower
# (benchmark ``startup``). Order matters here, hence the isort exemption.
import recordsdesk.archive.sync.outbox  # isort: skip
import recordsdesk.services.dossiers  # isort: skip
import recordsdesk.services.workspace  # isort: skip  # noqa: F401

from recordsdesk.ui._compat import make_none_immortal

make_none_immortal()  # before any model hands None to Qt; see _compat
