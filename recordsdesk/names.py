"""File names: the original as the user knew it, and a safe name for export.

The original name is kept for display and MDTO ``naam``; it is NFC-normalised
(macOS hands out NFD) and undecodable bytes become U+FFFD so the database never
holds surrogates. The safe name is what we write to any file system later
(exports, e-Depot packages): no path separators or Windows-forbidden
characters, no reserved device names (``CON.txt``), no trailing dots or spaces,
at most :data:`MAX_SAFE_BYTES` bytes of UTF-8 with the extension kept.
"""

from __future__ import annotations

import base64
import os
import re
import unicodedata
from pathlib import Path

MAX_SAFE_BYTES = 200
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Microsoft's list includes COM¹–COM³ and LPT¹–LPT³ (superscript digits).
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]
}


def display_name(name: str) -> str:
    """NFC form of a file name, with undecodable bytes replaced."""
    raw = os.fsencode(name)
    return unicodedata.normalize("NFC", raw.decode("utf-8", errors="replace"))


def safe_name(name: str) -> str:
    """A portable file name for ``name`` (never empty, never a device name)."""
    cleaned = _FORBIDDEN.sub("_", display_name(name)).strip().rstrip(". ")
    if not cleaned or cleaned in {".", ".."}:
        cleaned = "bestand"
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or not stem:
        stem, suffix = cleaned, ""
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    suffix_part = f".{suffix}" if suffix else ""
    if len(suffix_part.encode()) > 20:  # an absurd "extension" is part of the name
        stem, suffix_part = stem + suffix_part, ""
    budget = MAX_SAFE_BYTES - len(suffix_part.encode())
    encoded = stem.encode()
    if len(encoded) > budget:
        stem = encoded[:budget].decode("utf-8", errors="ignore").rstrip(". ")
    return stem + suffix_part


# A stored path that is not valid UTF-8 (a Latin-1 name on a Linux share) cannot
# go into the database as it is; it is kept as its bytes, base64, behind this
# prefix. Stored paths are absolute, so no real path starts with it.
_RAW_PATH = "raw-path:"


def path_to_text(path: Path) -> str:
    """A path as database text that :func:`path_from_text` turns back into the same path."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _RAW_PATH + base64.urlsafe_b64encode(os.fsencode(path)).decode("ascii")
    return text


def path_from_text(text: str) -> Path:
    """The path that :func:`path_to_text` stored."""
    if text.startswith(_RAW_PATH):
        return Path(os.fsdecode(base64.urlsafe_b64decode(text[len(_RAW_PATH) :])))
    return Path(text)


def display_path(text: str) -> str:
    """A stored path for people (and JSON): undecodable bytes shown as U+FFFD.

    Not normalised: NFC and NFD spellings are two different files on Linux.
    """
    return os.fsencode(path_from_text(text)).decode("utf-8", errors="replace")


def title_from_name(name: str) -> str:
    """Default record title: the display name without its extension."""
    shown = display_name(name)
    stem, dot, _suffix = shown.rpartition(".")
    return stem if dot and stem else shown
