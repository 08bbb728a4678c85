"""Per drop folder: default dossier, document type, Woo category and own litter patterns
(real files and database, SQLite and PostgreSQL; only the tracker's clock is faked)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from recordsdesk.errors import UserError
from recordsdesk.i18n import set_language
from recordsdesk.intake import inbox
from recordsdesk.intake.folders import add_drop_folder, list_drop_folders
from recordsdesk.services import Workspace, create_dossier, show_dossier
from recordsdesk.woo import find_informatiecategorie, informatiecategorieen
from tests.core.samples import write

CONVENANTEN = "https://identifier.overheid.nl/tooi/def/thes/kern/c_8fc2335c"

Intake = Callable[[], list[str]]


@pytest.fixture(autouse=True)
def dutch() -> None:
    set_language("nl")


def test_the_woo_list_has_its_18_categories_findable_by_name_code_article_and_uri() -> None:
    categories = informatiecategorieen()
    assert len(categories) == 18
    assert len({c.uri for c in categories}) == 18
    for spelling in ("Convenanten", "convenant", "c_8fc2335c", "3.3 lid 2 sub f", CONVENANTEN):
        assert find_informatiecategorie(spelling).uri == CONVENANTEN
    with pytest.raises(UserError) as refused:
        find_informatiecategorie("recepten")
    assert "recepten" in refused.value.english()


def test_a_folder_keeps_its_defaults_and_an_unknown_category_adds_nothing(
    ws: Workspace, drop: Path, tmp_path: Path
) -> None:
    kenmerk = create_dossier(ws, "Subsidies").kenmerk
    other = tmp_path / "mail"
    other.mkdir()
    with pytest.raises(UserError):
        add_drop_folder(ws, other, woo_category="recepten")
    with pytest.raises(UserError):
        add_drop_folder(ws, other, ignore=["sub/*.bak"])
    assert list_drop_folders(ws) == [], "a refused folder is not half added"

    add_drop_folder(
        ws,
        drop,
        dossier_kenmerk=kenmerk,
        document_type="  Subsidie aanvraag ",
        woo_category="convenanten",
        ignore=["*.bak", "scan_tmp*"],
    )

    [folder] = list_drop_folders(ws)
    assert folder.dossier_kenmerk == kenmerk
    assert folder.document_type == "Subsidie aanvraag"
    assert folder.informatiecategorie == CONVENANTEN
    assert folder.ignore == ("*.bak", "scan_tmp*")


def test_own_litter_patterns_are_ignored_and_items_file_into_the_default_dossier(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    kenmerk = create_dossier(ws, "Subsidies").kenmerk
    write(drop / "aanvraag.txt", b"aanvraag\n")
    write(drop / "aanvraag.BAK", b"oude versie\n")
    write(drop / "scan_tmp_0001.pdf", b"%PDF-1.4 half\n")
    add_drop_folder(ws, drop, dossier_kenmerk=kenmerk, ignore=["*.bak", "scan_tmp*"])
    intake()

    [item] = inbox.list_inbox(ws)
    assert item.name == "aanvraag.txt"
    assert (drop / "aanvraag.BAK").exists() and (drop / "scan_tmp_0001.pdf").exists()

    [record] = inbox.file_items(ws, [item.id]).records  # no dossier named: the folder's
    assert [r.kenmerk for r in show_dossier(ws, kenmerk).records] == [record.kenmerk]


def test_without_a_dossier_items_from_a_folder_without_a_default_are_refused(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    write(drop / "brief.txt", b"brief\n")
    add_drop_folder(ws, drop)
    intake()
    [item] = inbox.list_inbox(ws)

    with pytest.raises(UserError) as refused:
        inbox.file_items(ws, [item.id])

    assert "brief.txt" in refused.value.english()
    [after] = inbox.list_inbox(ws)
    assert after.state == "ready"
