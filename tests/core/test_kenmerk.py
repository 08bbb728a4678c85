"""Kenmerken: format, check character, typing tolerance, uniqueness across stores."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from recordsdesk import kenmerk
from recordsdesk.services import create_dossier, open_workspace

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FORMAT = re.compile(
    r"^[DS]-[0-9A-HJKMNP-TV-Z]{6}-[1-9A-HJKMNP-TV-Z][0-9A-HJKMNP-TV-Z]*[0-9A-HJKMNP-TV-Z]$"
)


def _sample(count: int = 300, seed: int = 20261128) -> list[str]:
    """Kenmerken over random stations and sequences, plus edge cases, reproducibly."""
    rng = random.Random(seed)
    stations = ["000000", "ZZZZZZ", "0Z0Z0Z", "7KQ4MX"]
    stations += ["".join(rng.choice(CROCKFORD) for _ in range(6)) for _ in range(40)]
    sequences = [1, 2, 31, 32, 33, 1023, 1024, 32**3, 32**4 - 1, 10**9]
    sample = [
        kenmerk.make(kind, st, seq) for kind in "DS" for st in stations[:4] for seq in sequences
    ]
    while len(sample) < count:
        sample.append(kenmerk.make(rng.choice("DS"), rng.choice(stations), rng.randrange(1, 10**7)))
    return sample


def test_the_format_is_short_and_readable() -> None:
    value = kenmerk.make("D", "7KQ4MX", 42)
    assert FORMAT.match(value), value
    assert value.startswith("D-7KQ4MX-")
    assert kenmerk.make("S", "7KQ4MX", 43).startswith("S-7KQ4MX-")
    for value in _sample():
        assert FORMAT.match(value), value
        assert not set(value) & set("ILOU"), value
        assert kenmerk.is_valid(value)
    # a million dossiers later it still reads over the phone in one breath
    assert len(kenmerk.make("D", "7KQ4MX", 10**6)) <= 14


def test_encode_and_decode_are_inverse() -> None:
    for number in [0, 1, 31, 32, 12345, 2**40]:
        assert kenmerk.decode(kenmerk.encode(number)) == number
    with pytest.raises(ValueError):
        kenmerk.encode(-1)


def test_only_known_kinds_are_made() -> None:
    with pytest.raises(ValueError):
        kenmerk.make("X", "7KQ4MX", 1)


def test_the_check_character_catches_every_single_character_substitution() -> None:
    missed = []
    for value in _sample():
        for index in range(2, len(value)):  # station, sequence and check character
            if value[index] == "-":
                continue
            for char in CROCKFORD:
                if char != value[index]:
                    typo = value[:index] + char + value[index + 1 :]
                    if kenmerk.is_valid(typo):
                        missed.append((value, typo))
    assert missed == []


def test_the_check_character_catches_adjacent_transpositions() -> None:
    """Every swap of two different neighbours is caught, bar Luhn mod 32's blind spot.

    Luhn mod N cannot see a swap of the first and last symbol (``0Z`` <-> ``Z0``),
    as Luhn mod 10 cannot see ``09`` <-> ``90``; the module says "most swaps".
    Everything else must be caught.
    """
    missed = []
    for value in _sample():
        for index in range(2, len(value) - 1):
            a, b = value[index], value[index + 1]
            if a == b or "-" in (a, b):
                continue
            swapped = value[:index] + b + a + value[index + 2 :]
            if kenmerk.is_valid(swapped) and {a, b} != {"0", "Z"}:
                missed.append((value, swapped))
    assert missed == []


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("d-7kq4mx-1a", "D-7KQ4MX-1A"),
        (" D-7KQ4MX-1A ", "D-7KQ4MX-1A"),
        ("D - 7KQ 4MX - 1A", "D-7KQ4MX-1A"),
        ("D-7KQ4MX-IA", "D-7KQ4MX-1A"),
        ("D-7KQ4MX-lA", "D-7KQ4MX-1A"),
        ("D-7KQ4MX-LA", "D-7KQ4MX-1A"),
        ("D-OKQ4MX-1A", "D-0KQ4MX-1A"),
        ("d-okq4mx-ia", "D-0KQ4MX-1A"),
        ("D-7KQ4MX\t-1A", "D-7KQ4MX-1A"),
    ],
)
def test_normalise_accepts_case_spaces_and_i_l_o(typed: str, meant: str) -> None:
    assert kenmerk.normalise(typed) == meant


def test_a_kenmerk_typed_sloppily_is_still_valid() -> None:
    for value in _sample(50):
        sloppy = value.lower().replace("1", "l").replace("0", "o").replace("-", " - ")
        assert kenmerk.normalise(sloppy) == value
        assert kenmerk.is_valid(kenmerk.normalise(sloppy))


@pytest.mark.parametrize(
    "text",
    ["", "D", "D-", "D-7KQ4MX", "D-7KQ4MX-", "X-7KQ4MX-1A", "D-7KQ4M-1A", "D-7KQ4MXX-1A",
     "D-7KQ4MX-01A", "D_7KQ4MX_1A", "D-7KQ4MU-1A"],
)  # fmt: skip
def test_malformed_kenmerken_are_not_valid(text: str) -> None:
    assert not kenmerk.is_valid(kenmerk.normalise(text))


def test_independent_stores_draw_different_station_ids(tmp_path: Path) -> None:
    # 30 random bits each: 24 stores share one with odds of about 1 in 4 million.
    stations = set()
    for index in range(24):
        ws = open_workspace(tmp_path / f"werkplek-{index}")
        stations.add(ws.station)
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{6}", ws.station)
        ws.close()
    assert len(stations) == 24


def test_station_ids_come_from_the_operating_systems_randomness(tmp_path: Path) -> None:
    """Two processes started identically (same seed for ``random``) still differ."""
    script = (
        "import random, sys; random.seed(1); "
        "from recordsdesk.kenmerk import new_station_id; print(new_station_id())"
    )
    drawn = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "0", "PATH": ""},
        ).stdout.strip()
        for _ in range(4)
    }  # fmt: skip
    assert len(drawn) == 4, drawn


def test_a_store_never_reuses_a_sequence_number_across_reopening(tmp_path: Path) -> None:
    home = tmp_path / "werkplek"
    seen: list[str] = []
    station = None
    for _round in range(3):
        ws = open_workspace(home)
        station = station or ws.station
        assert ws.station == station
        seen += [create_dossier(ws, "Dossier").kenmerk for _ in range(4)]
        ws.close()
    sequences = [kenmerk.decode(k.split("-")[2][:-1]) for k in seen]
    assert sequences == sorted(set(sequences))
    assert len(set(seen)) == 12
