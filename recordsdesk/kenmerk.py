"""Human kenmerken for dossiers and records, unique without coordination.

Format: ``<kind>-<station>-<sequence><check>``, e.g. ``D-7KQ4MX-42J``.

* ``kind``: ``D`` for a dossier, ``S`` for a record (archiefstuk).
* ``station``: six Crockford base-32 characters drawn at random once per
  working store (30 bits). Two stores share one only by chance (about one in a
  billion for a pair, one in two thousand among a thousand stores); the central
  archive's unique constraint on kenmerk catches it.
* ``sequence``: a counter kept in the working store, incremented in the same
  transaction that creates the object, never decreased, so a kenmerk is never
  issued twice, also not after the object is destroyed (rows stay as tombstones).
* ``check``: a Luhn mod 32 check character over station and sequence, so a
  misheard or mistyped character (and most swaps of neighbours) is caught
  rather than finding another dossier. It is drawn from the same alphabet.

Crockford base 32 avoids I, L, O and U, so it reads well over the phone;
:func:`normalise` accepts lower case, spaces, and I/L/O typed for 1/1/0.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
KINDS = ("D", "S")
STATION_LENGTH = 6

_PATTERN = re.compile(r"^([DS])-([0-9A-HJKMNP-TV-Z]{6})-([0-9A-HJKMNP-TV-Z]+)([0-9A-HJKMNP-TV-Z])$")


def new_station_id() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(STATION_LENGTH))


def encode(number: int) -> str:
    if number < 0:
        raise ValueError("negative")
    digits = ""
    while True:
        number, rest = divmod(number, 32)
        digits = ALPHABET[rest] + digits
        if number == 0:
            return digits


def decode(text: str) -> int:
    value = 0
    for char in text:
        value = value * 32 + ALPHABET.index(char)
    return value


def check_symbol(station: str, sequence: int) -> str:
    """Luhn mod N (N = 32) over the characters of station and sequence."""
    total = 0
    factor = 2
    for char in reversed(station + encode(sequence)):
        addend = factor * ALPHABET.index(char)
        total += addend // 32 + addend % 32
        factor = 3 - factor
    return ALPHABET[(32 - total % 32) % 32]


def make(kind: str, station: str, sequence: int) -> str:
    if kind not in KINDS:
        raise ValueError(kind)
    return f"{kind}-{station}-{encode(sequence)}{check_symbol(station, sequence)}"


def normalise(text: str) -> str:
    """Canonical form of a typed kenmerk (does not check it; see :func:`is_valid`)."""
    cleaned = re.sub(r"\s+", "", text).upper()
    kind, sep, rest = cleaned.partition("-")
    body = rest.translate(str.maketrans("ILO", "110"))
    return f"{kind}{sep}{body}"


def is_valid(kenmerk: str) -> bool:
    match = _PATTERN.match(kenmerk)
    if not match:
        return False
    _kind, station, seq_text, check = match.groups()
    sequence = decode(seq_text)
    return encode(sequence) == seq_text and check_symbol(station, sequence) == check
