"""Worker processes the window starts for long Python work (no Qt in here).

See :mod:`recordsdesk.workers.protocol` for why, and how they talk to the window.
"""
