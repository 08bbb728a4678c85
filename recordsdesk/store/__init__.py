"""Content-addressed storage of file content (``objects/ab/cd/<sha256>``)."""

from recordsdesk.store.objects import ObjectStore, StoredObject

__all__ = ["ObjectStore", "StoredObject"]
