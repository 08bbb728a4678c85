"""File names: NFC display names, portable safe names, and filing odd names for real."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from recordsdesk import names
from recordsdesk.services import Workspace, file_paths, show_dossier

# Microsoft, "Naming Files, Paths, and Namespaces": reserved device names, also
# when followed by an extension (NUL.txt and NUL.tar.gz are both NUL).
DEVICES = (
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{n}" for n in range(10)]
    + [f"LPT{n}" for n in range(10)]
    + ["COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"]
)
FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)} | {"\x7f"}


def is_portable(name: str) -> bool:
    stem = name.split(".")[0]
    return (
        bool(name)
        and name not in {".", ".."}
        and not (set(name) & FORBIDDEN)
        and stem.upper() not in DEVICES
        and not name.endswith((".", " "))
        and len(name.encode("utf-8")) <= names.MAX_SAFE_BYTES
        and unicodedata.is_normalized("NFC", name)
    )


CAFE_NFC = "Caf\u00e9 verslag.txt"
CAFE_NFD = "Cafe\u0301 verslag.txt"


def test_nfd_and_nfc_names_display_alike() -> None:
    assert CAFE_NFC != CAFE_NFD
    assert names.display_name(CAFE_NFD) == names.display_name(CAFE_NFC) == CAFE_NFC
    assert names.safe_name(CAFE_NFD) == CAFE_NFC


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("pattern", ["{}", "{}.txt", "{}.tar.gz", "{}.", "{} ", "{}.TXT"])
def test_safe_name_is_never_a_windows_device_name(device: str, pattern: str) -> None:
    for spelled in (device, device.lower(), device.title()):
        original = pattern.format(spelled)
        safe = names.safe_name(original)
        assert is_portable(safe), (original, safe)
        assert spelled in safe, "the name should stay recognisable"


@pytest.mark.parametrize(
    "original",
    [
        "CON.txt",
        "rapport: fase 1/2 <concept>?.pdf",
        'aanhalingstekens "x" | y * z.docx',
        "tab\there\nnewline.txt",
        "eindigt op punt.",
        "eindigt op spatie ",
        "  spaties rondom  .txt",
        ".",
        "..",
        "...",
        "",
        "\x00",
        ".bashrc",
        "📄 rapport 🎉.pdf",
        "a" * 250 + ".pdf",
        "é" * 200 + ".docx",
        "📄" * 62 + ".txt",
        "x" * 180 + ".extension-that-is-much-too-long",
    ],
)
def test_safe_name_is_portable(original: str) -> None:
    assert is_portable(names.safe_name(original)), names.safe_name(original)


@pytest.mark.parametrize(
    ("original", "suffix"),
    [
        ("a" * 250 + ".pdf", ".pdf"),
        ("é" * 200 + ".docx", ".docx"),  # 2 bytes each: cut on a character boundary
        ("📄" * 62 + ".txt", ".txt"),  # 4 bytes each
        ("Verslag " * 40 + "definitief.tar.gz", ".gz"),
    ],
)
def test_long_names_are_shortened_to_200_bytes_keeping_the_extension(
    original: str, suffix: str
) -> None:
    safe = names.safe_name(original)
    assert len(safe.encode("utf-8")) <= 200
    assert safe.endswith(suffix)
    stem = safe[: -len(suffix)]
    assert stem and original.startswith(stem), "the start of the name is kept"
    assert len(safe.encode("utf-8")) > 150, "shortened no more than needed"


def test_undecodable_bytes_become_replacement_characters() -> None:
    raw = b"caf\xe9 r\xe9sum\xe9.txt"  # Latin-1, not UTF-8
    shown = names.display_name(os.fsdecode(raw))
    assert shown == "caf\ufffd r\ufffdsum\ufffd.txt"
    shown.encode("utf-8")  # no surrogates left: storable in any database
    assert is_portable(names.safe_name(os.fsdecode(raw)))


def test_title_is_the_display_name_without_extension() -> None:
    assert names.title_from_name("Besluit 2026.pdf") == "Besluit 2026"
    assert names.title_from_name(".bashrc") == ".bashrc"
    assert names.title_from_name("zonder extensie") == "zonder extensie"
    assert names.title_from_name(CAFE_NFD) == "Caf\u00e9 verslag"


ODD_NAMES = [
    CAFE_NFC,
    CAFE_NFD,
    "📄 rapport 🎉.txt",
    "  met   spaties  .txt",
    "CON.txt",
    "a" * 246 + ".pdf",  # 250 characters, the most a Linux file system allows is 255 bytes
    "ë" * 125 + ".txt",  # 254 bytes
]


def test_odd_names_are_filed_with_nfc_display_names_and_portable_safe_names(
    ws: Workspace, dossier: str, src: Path
) -> None:
    paths = []
    for index, name in enumerate(ODD_NAMES):
        path = src / name
        path.write_bytes(f"inhoud {index}\n".encode())
        paths.append(path)
    assert len(set(os.listdir(src))) == len(ODD_NAMES), "NFC and NFD are two files on Linux"

    file_paths(ws, dossier, paths)

    files = [r.files[0] for r in show_dossier(ws, dossier).records]
    assert [f.name for f in files] == [unicodedata.normalize("NFC", n) for n in ODD_NAMES]
    assert files[0].name == files[1].name == CAFE_NFC
    for info in files:
        assert is_portable(info.safe_name), info.safe_name
        assert ws.objects.check(info.sha256, info.size) is None
    assert files[4].safe_name.upper() != "CON.TXT"
    assert files[5].safe_name.endswith(".pdf") and len(files[5].safe_name.encode()) <= 200


def test_a_name_that_is_not_utf8_is_filed(ws: Workspace, dossier: str, src: Path) -> None:
    raw = os.fsencode(src) + b"/brief van de heer M\xfcller.txt"
    with open(raw, "wb") as handle:
        handle.write(b"Sehr geehrter Herr M\xfcller\n")
    path = Path(os.fsdecode(raw))

    file_paths(ws, dossier, [path])

    [record] = show_dossier(ws, dossier).records
    [info] = record.files
    assert info.name == "brief van de heer M\ufffdller.txt"
    assert record.title == "brief van de heer M\ufffdller"
    assert is_portable(info.safe_name)
    assert ws.objects.check(info.sha256, info.size) is None
