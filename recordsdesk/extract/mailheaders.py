"""Reading the headers of an RFC 822 message cheaply, with the same results as
the standard library's header registry (``email.policy.default``).

The registry costs 30 to 140 µs a header, most of the time spent on a small
mail. Two things here avoid it:

* :class:`ReadMessage` parses each header once (the stdlib parses the
  Content-Type again on every ``get``), and :class:`HeaderClasses` makes a
  header's class once instead of on every parse.
* :func:`header_text`, :func:`addresses`, :func:`message_id` and
  :func:`message_date` read the raw value of a top-level header and handle the
  common, well-formed shapes themselves. Anything else (groups, comments,
  escapes, 8-bit bytes, an encoded word that does not decode cleanly) goes to
  the registry, so the answer is always the registry's. Tests compare the two.
"""

from __future__ import annotations

import base64
import email.policy
import email.utils
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage, Message
from typing import Any


class ReadMessage(EmailMessage):
    """A parsed message that is only read: each header is parsed once.

    The standard library re-parses a header through its header registry on
    every ``get`` (the Content-Type eight times per part while finding the body
    and the attachments, again for the charset and the name), and that registry
    was most of the time spent on a small mail.
    """

    def get_content_type(self) -> str:
        cached = self.__dict__.get("_rd_content_type")
        if cached is None:
            cached = super().get_content_type()
            self.__dict__["_rd_content_type"] = cached
        return str(cached)

    def get(self, name: str, failobj: Any = None) -> Any:
        """As :meth:`EmailMessage.get`, but the parsed header object is remembered.

        Parsed headers are immutable, so handing out the same object is
        equivalent. The memo is keyed on the identity of the raw value, so a
        header that is replaced is parsed afresh.
        """
        lowered = name.lower()
        for key, raw in self.raw_items():
            if key.lower() == lowered:
                memo: dict[str, tuple[object, Any]] = self.__dict__.setdefault("_rd_headers", {})
                known = memo.get(lowered)
                if known is not None and known[0] is raw:
                    return known[1]
                parsed = self.policy.header_fetch_parse(key, raw)
                memo[lowered] = (raw, parsed)
                return parsed
        return failobj


class HeaderClasses(HeaderRegistry):
    """The default registry, but a header's class is made once, not on every parse.

    ``HeaderRegistry`` builds a new class with ``type()`` for every header it
    parses (about 9 µs). The classes are stateless, so one per name is the same.
    At most 64 names are remembered: the set of names a mail can ask for is open.
    """

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        lowered = name.lower()
        made = self._made.get(lowered)
        if made is None:
            made = super().__getitem__(lowered)
            if len(self._made) < 64:
                self._made[lowered] = made
        return made


READING = email.policy.default.clone(message_factory=ReadMessage, header_factory=HeaderClasses())


def format_address(name: str | None, address: str | None) -> str:
    """``Name <address>``, or whichever of the two is known; "" when neither is."""
    name, address = (name or "").strip(), (address or "").strip()
    if name and address and name != address:
        return f"{name} <{address}>"
    return name or address


def aware(value: datetime | None) -> datetime | None:
    """RFC 5322 ``-0000`` gives a naive datetime: it means UTC with unknown local zone."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


_WS_RUN = re.compile(r"([ \t]\s*)")  # a token ends at a space or tab; the run eats all spaces
_EW = re.compile(r"=\?([\w.:+-]+)\?([qQbB])\?([!->@-~]+)\?=", re.ASCII)
_QP_ESCAPE = re.compile(rb"=([a-fA-F0-9]{2})")
_ATEXT = r"-A-Za-z0-9!#$%&'*+/=?^_`{|}~"  # atext of RFC 5322, as a character class
_ADDR_SPEC = rf"[{_ATEXT}]+(?:\.[{_ATEXT}]+)*@[{_ATEXT}]+(?:\.[{_ATEXT}]+)*"
_QUOTED = r'"[ !#-\[\]-~]*"'  # a quoted string without escapes
# Possessive (*+, ++): a phrase that does not match fails in linear time, not exponential.
_WORD = rf"[ \t]*+(?:=\?[\w.:+-]+\?[qQbB]\?[!->@-~]+\?=|{_QUOTED}|[{_ATEXT}.]++)"
_ADDRESS_ITEM = re.compile(
    rf"[ \t]*+(?:(?P<bare>{_ADDR_SPEC})|(?P<phrase>(?:{_WORD})*+)[ \t]*<(?P<angle>{_ADDR_SPEC})>)"
    r"[ \t]*(?P<comma>,|\Z)",
    re.ASCII,
)
_PHRASE_WORDS = re.compile(
    rf"(?P<space>[ \t]*)(?:(?P<ew>{_EW.pattern})|"
    rf'"(?P<quoted>{_QUOTED[1:-1]})"|(?P<atom>[{_ATEXT}.]+))',
    re.ASCII,
)
_MESSAGE_ID = re.compile(rf"[ \t]*<{_ADDR_SPEC}>[ \t]*", re.ASCII)


def _sanitized(text: str) -> str:
    """Undecodable bytes (kept as surrogates) read as UTF-8, as the registry does."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


def _encoded_word(token: str) -> str | None:
    """The text of ``token`` if it is one RFC 2047 encoded word that decodes cleanly.

    None otherwise: bad base64, bytes the charset cannot read or an unknown
    charset are left to the registry, which has its own fallbacks for them.
    """
    match = _EW.fullmatch(token)
    if match is None:
        return None
    charset, encoding, encoded = match.groups()
    data = encoded.encode("ascii")
    try:
        if encoding in "qQ":
            data = _QP_ESCAPE.sub(lambda m: bytes.fromhex(m[1].decode()), data.replace(b"_", b" "))
        else:  # padding is added as the registry adds it
            data = base64.b64decode(data + b"==="[: -len(data) % 4], validate=True)
        return data.decode(charset)
    except Exception:  # any codec may fail in its own way; the registry decides then
        return None


def _unstructured(value: str) -> str | None:
    """An unstructured header (Subject) decoded like the registry; None if it must decide.

    Encoded words must be whole space-separated tokens; the space between two of
    them is dropped (RFC 2047 section 6.2), all other text is kept as written.
    """
    if "=?" not in value:
        return _sanitized(value)
    out: list[str] = []
    after_word = False
    space = ""
    for token in _WS_RUN.split(value):
        if not token:
            continue
        if token[0] in " \t":
            space = token
            continue
        is_word = "=?" in token
        text = _encoded_word(token) if is_word else token
        if text is None:
            return None  # not clean, or glued to other text: the registry decides
        if not (is_word and after_word):
            out.append(space)
        out.append(text)
        after_word, space = is_word, ""
    out.append(space)
    return _sanitized("".join(out))


def _display_name(phrase: str) -> str | None:
    """A display name as the registry's ``display_name``; None if it must decide.

    Words separated by spaces get one space; quoted text is kept as written;
    runs of space inside an encoded word's text become one space.
    """
    end = len(phrase.rstrip(" \t"))
    if phrase.lstrip(" \t").startswith(".") or phrase.endswith(".", 0, end):
        return None  # the registry's phrase parser fails on a leading or trailing dot
    words: list[str] = []
    for match in _PHRASE_WORDS.finditer(phrase, 0, end):
        space, encoded, quoted, atom = match.group("space", "ew", "quoted", "atom")
        if encoded:
            follows = phrase[match.end() : match.end() + 1]
            if (words and not space) or follows not in ("", " ", "\t"):
                return None
            text = _encoded_word(encoded)
            if text is None or "\r" in text or "\n" in text:
                return None  # the registry refuses line breaks in an address
            word = _WS_RUN.sub(" ", text)
        else:
            word = quoted if quoted is not None else atom
            if "=?" in word:
                return None
        if words and space:
            words.append(" ")
        words.append(word)
    return "".join(words)


def address_items(value: str) -> list[str] | None:
    """``format_address`` of each mailbox in ``value``; None if the registry must decide."""
    found: list[str] = []
    position = 0
    while True:
        match = _ADDRESS_ITEM.match(value, position)
        if match is None:
            return None
        bare, phrase, angle, comma = match.group("bare", "phrase", "angle", "comma")
        if bare is not None:
            if "=?" in bare:
                return None
            found.append(bare)
        else:
            name = _display_name(phrase)
            if name is None or "=?" in angle:
                return None
            found.append(format_address(name, angle))
        position = match.end()
        if not comma:
            return found
        if position == len(value):
            return None  # a trailing comma


def _raw_values(message: Message, name: str) -> Iterator[tuple[str, str]]:
    """The raw values of header ``name``, unfolded as the registry unfolds them."""
    for key, raw in message.raw_items():
        if key.lower() == name:
            yield key, re.sub(r"[\r\n]", "", raw)


def header_text(message: Message, name: str) -> str | None:
    """``str(message.get(name))`` of an unstructured header (Subject); None if absent."""
    for key, value in _raw_values(message, name):
        text = _unstructured(value)
        return str(message.policy.header_fetch_parse(key, value)) if text is None else text
    return None


def addresses(message: Message, name: str) -> tuple[str, ...]:
    found: list[str] = []
    for key, value in _raw_values(message, name):
        fast = address_items(value)
        if fast is not None:
            found.extend(fast)
            continue
        header = message.policy.header_fetch_parse(key, value)
        addresses = getattr(header, "addresses", None)
        if addresses is None:  # unparseable: keep what the sender wrote
            found.extend(p.strip() for p in str(header).split(",") if p.strip())
            continue
        found.extend(format_address(a.display_name, a.addr_spec) for a in addresses)
    return tuple(a for a in found if a)


def message_id(message: Message) -> str | None:
    for key, value in _raw_values(message, "message-id"):
        if _MESSAGE_ID.fullmatch(value) and "=?" not in value:
            return value.strip()
        header = str(message.policy.header_fetch_parse(key, value))
        return header.strip() if header else None
    return None


def message_date(message: Message) -> datetime | None:
    """The Date header as the registry reads it: only a ValueError means "no date"."""
    for _key, value in _raw_values(message, "date"):
        if not value:
            return None
        try:
            return aware(email.utils.parsedate_to_datetime(value))
        except ValueError:
            return None
    return None
