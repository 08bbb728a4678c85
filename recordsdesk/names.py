"""File names: the original as the user knew it, and a safe name for export.

The original name is kept for display and MDTO ``naam``; it is NFC-normalised
(macOS hands out NFD) and undecodable bytes become U+FFFD so the database never
holds surrogates. The safe name is what we write to any file system later
(exports, e-Depot packages): no path separators or Windows-forbidden
characters, no reserved device names (``CON.txt``), no trailing dots or spaces,
at most :data:`MAX_SAFE_BYTES` bytes of UTF-8 with the extension kept.
"""

from __future__ import annotations

import os
import re
import unicodedata

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


def title_from_name(name: str) -> str:
    """Default record title: the display name without its extension."""
    shown = display_name(name)
    stem, dot, _suffix = shown.rpartition(".")
    return stem if dot and stem else shown
