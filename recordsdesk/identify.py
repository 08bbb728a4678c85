"""File format identification: IANA MIME type (libmagic) and PRONOM PUID (siegfried).

Identification reads the stored object, i.e. the bytes we keep, not the source
that may change after filing. Siegfried also weighs the file extension, so the
object is looked at through a temporary hard link carrying the original suffix.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
_local = threading.local()


@dataclass(frozen=True)
class FormatInfo:
    mime: str
    puid: str | None


def _magic() -> object:
    # libmagic handles are not thread-safe: one per thread.
    handle = getattr(_local, "magic", None)
    if handle is None:
        import magic

        handle = magic.Magic(mime=True)
        _local.magic = handle
    return handle


def mime_type(path: Path) -> str:
    try:
        result = _magic().from_file(str(path))  # type: ignore[attr-defined]
    except Exception:  # libmagic raises its own error types for odd files
        log.warning("libmagic could not identify %s", path, exc_info=True)
        return "application/octet-stream"
    return str(result) if result else "application/octet-stream"


def pronom_puid(path: Path) -> str | None:
    try:
        import pygfried
    except ImportError:  # optional on platforms without a wheel
        return None
    try:
        puid = str(pygfried.identify(str(path)))
    except Exception:
        log.warning("siegfried could not identify %s", path, exc_info=True)
        return None
    return None if puid.upper() == "UNKNOWN" or not puid else puid


def identify(object_path: Path, original_name: str, scratch_dir: Path) -> FormatInfo:
    """Identify the object at ``object_path`` as if it were called ``original_name``."""
    suffix = Path(original_name).suffix
    if len(suffix) > 16 or any(c in suffix for c in "/\\\x00"):
        suffix = ""
    link = scratch_dir / f"id-{uuid.uuid4().hex}{suffix}"
    try:
        os.link(object_path, link)
        target = link
    except OSError:  # no hard links on this file system: identify without the suffix
        target = object_path
    try:
        return FormatInfo(mime=mime_type(target), puid=pronom_puid(target))
    finally:
        if target == link:
            with contextlib.suppress(FileNotFoundError):
                link.unlink()
