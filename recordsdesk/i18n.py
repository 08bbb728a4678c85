"""Translations: English msgids in the code, Dutch the default language.

Catalogues are gettext ``.po`` files in ``resources/i18n/<lang>/`` (one per
layer: ``core.po``, ``cli.po``, ``ui.po``, all merged). They are compiled to
the ``.mo`` format in memory when first needed and served by the standard
library's :class:`gettext.GNUTranslations`, so there is no build step and a
source checkout, a wheel and a frozen build behave the same. Use ``_`` for
strings translated where they are used and ``N_`` to mark literals translated
later (error msgids).
"""

from __future__ import annotations

import ast
import gettext
import io
import os
import struct
from functools import cache
from typing import TYPE_CHECKING

from recordsdesk.resources import resource_path

if TYPE_CHECKING:
    from recordsdesk.errors import UserError

DEFAULT_LANGUAGE = "nl"
LANGUAGES = ("nl", "en")

_current = DEFAULT_LANGUAGE


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a literal for extraction without translating it now."""
    return msgid


def language_from_environment() -> str:
    """Pick the language: ``RECORDSDESK_LANG``, then ``LANGUAGE``/``LC_ALL``/``LANG``.

    Only an explicit English (or Dutch) choice counts; anything else, such as
    ``C.UTF-8``, keeps the Dutch default.
    """
    explicit = os.environ.get("RECORDSDESK_LANG", "").strip().lower()
    if explicit in LANGUAGES:
        return explicit
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        for part in value.split(":"):
            code = part.split("_")[0].split(".")[0].lower()
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    """Switch the process language; unknown codes fall back to Dutch."""
    global _current
    _current = language if language in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    return _current


def _(msgid: str) -> str:
    """Translate ``msgid`` into the current language (English is the source)."""
    if _current == "en":
        return msgid
    return translations(_current).gettext(msgid)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The gettext translations for ``language`` (English: the msgids themselves)."""
    entries = catalogue(language)
    if not entries:
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(compile_mo(entries)))


def compile_mo(entries: dict[str, str]) -> bytes:
    """The GNU ``.mo`` image of ``entries`` (what ``msgfmt`` writes), UTF-8."""
    header = "Content-Type: text/plain; charset=UTF-8\n"
    items = sorted({"": header, **entries}.items())
    ids = [key.encode("utf-8") for key, _value in items]
    strs = [value.encode("utf-8") for _key, value in items]
    count = len(items)
    ids_table = 7 * 4
    strs_table = ids_table + count * 8
    data_start = strs_table + count * 8
    offsets: list[int] = []
    blob = b""
    for text in ids + strs:
        offsets += [len(text), data_start + len(blob)]
        blob += text + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, count, ids_table, strs_table, 0, 0)
    return head + struct.pack(f"<{len(offsets)}I", *offsets) + blob


def translate_error(error: UserError) -> str:
    """The error's message, translated and filled in, details on extra lines."""
    lines = [_(error.msgid).format(**error.params)]
    lines.extend("  " + translate_error(detail) for detail in error.details)
    return "\n".join(lines)


@cache
def catalogue(language: str) -> dict[str, str]:
    """msgid → msgstr for ``language``; empty translations are left out."""
    merged: dict[str, str] = {}
    folder = resource_path("i18n", language)
    for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        merged.update(parse_po(path.read_text(encoding="utf-8")))
    return merged


def parse_po(text: str) -> dict[str, str]:
    """Parse the subset of the PO format we write: msgid/msgstr, multi-line strings.

    Strings are C-style quoted, which Python's literal syntax reads exactly.
    """
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None:
            key, value = "".join(msgid), "".join(msgstr)
            if key and value:
                entries[key] = value

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [_po_string(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [_po_string(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(_po_string(line))
    flush()
    return entries


def _po_string(quoted: str) -> str:
    """One quoted PO string; without escapes it is taken as it is (most are: this keeps
    reading the catalogues out of start-up time), else read as a Python literal."""
    text = quoted.strip()
    inner = text[1:-1]
    if len(text) >= 2 and text[0] == text[-1] == '"' and "\\" not in inner and '"' not in inner:
        return inner
    value = ast.literal_eval(text)
    if not isinstance(value, str):
        raise ValueError(f"not a PO string: {quoted!r}")
    return value


def install_argparse_translation() -> None:
    """Let argparse's own messages ("usage:", "required") speak our language.

    argparse looks its ``_`` up as a module global at call time, so replacing
    it is enough; the msgids are in our catalogue.
    """
    import argparse

    argparse._ = _  # type: ignore[attr-defined]
