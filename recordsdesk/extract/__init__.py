"""What a file says: e-mail messages and their parts, and plain text for search.

Pure functions over files on disk; no database, no store, no Qt.
"""
