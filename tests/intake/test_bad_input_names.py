"""Bad input, names and extensions: odd file names and lying extensions.

(The basic odd names, NFD/emoji/trailing spaces/CON.txt, are in test_pipeline.py.)
Every file is taken, stored, and moved to ``verwerkt/`` under a name that exists;
identification follows the content, not the name. Real files, real SQLite; only
the stability tracker's clock is faked (conftest ``intake`` fixture).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from recordsdesk.i18n import set_language
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.services import Workspace
from tests.core.samples import pdf_bytes, png_bytes, write
from tests.intake.bad_input_support import (
    all_items,
    assert_nothing_lost,
    processed_files,
    sha,
    workspace_at,
)

Intake = Callable[[], list[str]]
NAME_MAX = 255


@pytest.fixture
def ws(home: Path) -> Iterator[Workspace]:
    """The home's SQLite workspace (overrides the conftest one: SQLite only, no skips)."""
    with workspace_at(home) as workspace:
        yield workspace


@pytest.fixture(autouse=True)
def dutch() -> None:
    set_language("nl")


def name_of_bytes(stem_char: str, suffix: str, total: int = NAME_MAX) -> str:
    """A name of exactly ``total`` UTF-8 bytes: multi-byte characters, ASCII padding."""
    width = len(stem_char.encode())
    count = (total - len(suffix.encode())) // width
    padding = total - len(suffix.encode()) - count * width
    name = "x" * padding + stem_char * count + suffix
    assert len(name.encode()) == total
    return name


LONG_NAMES = [
    name_of_bytes("é", ".txt"),  # 2-byte characters: 130 characters, 255 bytes
    name_of_bytes("€", ".pdf"),  # 3-byte
    name_of_bytes("📄", ".docx"),  # 4-byte, emoji
    name_of_bytes("ü", ""),  # no extension at all
]


def drop_and_take(ws: Workspace, drop: Path, intake: Intake, names: list[str]) -> dict[str, bytes]:
    contents = {name: f"inhoud van bestand {n}\n".encode() for n, name in enumerate(names)}
    for name, data in contents.items():
        write(drop / name, data)
    add_drop_folder(ws, drop)
    intake()
    return contents


def assert_taken_and_moved(ws: Workspace, drop: Path, contents: dict[str, bytes]) -> None:
    """Each file: one ready item for its source path, stored bytes, moved under its own name."""
    by_source = {i.source: i for i in all_items(ws)}
    assert set(by_source) == {str(drop / name) for name in contents}, sorted(by_source)
    for name, data in contents.items():
        item = by_source[str(drop / name)]
        assert (item.state, item.sha256) == ("ready", sha(data)), (name, item)
        assert ws.objects.path_for(sha(data)).read_bytes() == data
        assert item.name == unicodedata.normalize("NFC", name)
        assert not (drop / name).exists(), f"{name!r} still in the drop folder"
        assert (drop / "verwerkt" / name).read_bytes() == data, f"{name!r} not in verwerkt/"
    assert_nothing_lost(ws, drop, {n: sha(d) for n, d in contents.items()})


def test_names_of_exactly_255_utf8_bytes_are_taken_and_moved(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    contents = drop_and_take(ws, drop, intake, LONG_NAMES)
    assert_taken_and_moved(ws, drop, contents)


@pytest.mark.parametrize("name", LONG_NAMES, ids=["2-byte", "3-byte", "emoji", "no-ext"])
def test_a_second_255_byte_name_while_the_first_is_in_verwerkt_is_moved_too(
    ws: Workspace, drop: Path, intake: Intake, name: str
) -> None:
    """``name (2).ext`` would be longer than NAME_MAX: the free name must stay within it."""
    add_drop_folder(ws, drop)
    write(drop / name, b"eerste scan\n")
    intake()
    assert (drop / "verwerkt" / name).read_bytes() == b"eerste scan\n"

    write(drop / name, b"tweede scan, zelfde naam\n")
    intake()

    states = sorted((i.sha256, i.state) for i in all_items(ws))
    assert states == sorted(
        [(sha(b"eerste scan\n"), "ready"), (sha(b"tweede scan, zelfde naam\n"), "ready")]
    )
    assert not (drop / name).exists(), (
        "the second original was not moved to verwerkt/ (kept in the drop folder)"
    )
    moved = processed_files(drop)
    assert sorted(moved.values()) == sorted(
        [sha(b"eerste scan\n"), sha(b"tweede scan, zelfde naam\n")]
    )
    for path in moved:
        assert len(os.fsencode(path.name)) <= NAME_MAX
    assert (drop / "verwerkt" / name).read_bytes() == b"eerste scan\n", "first one untouched"
    assert_nothing_lost(
        ws, drop, {"eerste": sha(b"eerste scan\n"), "tweede": sha(b"tweede scan, zelfde naam\n")}
    )


def test_nfc_and_nfd_forms_of_one_name_are_two_files_both_taken_and_kept_apart(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    nfc = unicodedata.normalize("NFC", "Überzicht café.txt")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    contents = drop_and_take(ws, drop, intake, [nfc, nfd])
    assert_taken_and_moved(ws, drop, contents)
    assert {i.name for i in all_items(ws)} == {nfc}, "both shown in NFC"
    assert sorted(p.name for p in (drop / "verwerkt").iterdir()) == sorted([nfc, nfd])


def test_trailing_dots_and_spaces_are_taken_and_moved_under_their_own_name(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    names = ["rapport.", "notulen...", "brief. . .", "eind spatie ", "  voorloop.txt", "a.pdf."]
    contents = drop_and_take(ws, drop, intake, names)
    assert_taken_and_moved(ws, drop, contents)


def test_windows_reserved_names_are_taken_and_moved_under_their_own_name(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    names = ["CON", "NUL.txt", "aux", "COM1.pdf", "lpt9.docx", "PRN.tar.gz", "COM¹"]
    contents = drop_and_take(ws, drop, intake, names)
    assert_taken_and_moved(ws, drop, contents)


def test_names_with_newline_backslash_and_windows_forbidden_characters(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    names = ["regel\nbreuk.txt", "map\\bestand.txt", 'a:b*c?"d<e>f|g.txt', "tab\tje.txt", "\r"]
    contents = drop_and_take(ws, drop, intake, names)
    assert_taken_and_moved(ws, drop, contents)


def test_a_name_that_is_not_valid_utf8_is_taken_and_moved_under_its_own_bytes(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    """A Latin-1 name from an old share or a zip: b"caf\\xe9.txt" (not UTF-8)."""
    raw = b"caf\xe9 r\xe9sum\xe9.txt"
    name = os.fsdecode(raw)  # surrogate escapes, as os.listdir gives it
    data = b"latin-1 naam\n"
    write(drop / name, data)
    add_drop_folder(ws, drop)

    intake()

    [item] = all_items(ws)
    assert (item.state, item.sha256) == ("ready", sha(data))
    assert item.name == "caf\ufffd r\ufffdsum\ufffd.txt", "shown with replacement characters"
    assert os.listdir(os.fsencode(drop / "verwerkt")) == [raw], "moved under its own bytes"
    assert_nothing_lost(ws, drop, {"latin-1": sha(data)})


# --- extensions: identification follows the content ---


def test_files_without_extension_or_with_a_lying_one_are_identified_by_content(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    pdf, png = pdf_bytes("liegt"), png_bytes(11)
    pdf_plain, png_plain = pdf_bytes("zonder extensie"), png_bytes(12)
    contents = {
        "scan.txt": pdf,  # PDF bytes named .txt
        "foto.pdf": png,  # PNG bytes named .pdf
        "scan": pdf_plain,  # no extension
        "foto": png_plain,
        "brief.docx": b"Gewone tekst, geen Word-document.\n",
    }
    for name, data in contents.items():
        write(drop / name, data)
    add_drop_folder(ws, drop)

    intake()

    by_name = {i.name: i for i in all_items(ws)}
    assert set(by_name) == set(contents)
    for name in ("scan.txt", "scan"):
        item = by_name[name]
        assert (item.state, item.mime, item.puid) == ("ready", "application/pdf", "fmt/18"), item
        assert item.facts is not None and item.facts["pdf"]["pages"] == 1, item.facts
    for name in ("foto.pdf", "foto"):
        item = by_name[name]
        assert (item.state, item.mime) == ("ready", "image/png"), item
        assert item.puid in {"fmt/11", "fmt/12", "fmt/13"}, item
        assert item.reason is None, "a PNG named .pdf is not a damaged PDF"
    text = by_name["brief.docx"]
    assert (text.state, text.mime) == ("ready", "text/plain"), text
    assert text.puid in {None, "x-fmt/111"}, "not a Word PUID for plain text"
    assert_nothing_lost(ws, drop, {n: sha(d) for n, d in contents.items()})
    assert {p.name for p in processed_files(drop)} == set(contents)
