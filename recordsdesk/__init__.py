"""RecordsDesk: records management for Dutch municipalities.

Only the version lives here; importing the package has no side effects.
"""

__version__ = "0.1.0"
APP_ID = "recordsdesk"
