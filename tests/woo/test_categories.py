"""The Woo information category of records: the default when filing (drop folder, else
dossier) and setting it by hand (real workspaces on SQLite and PostgreSQL, real intake)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from recordsdesk.archive.woo.categories import category_name, set_woo_category
from recordsdesk.db.models import AuditEvent
from recordsdesk.errors import UserError
from recordsdesk.intake import inbox, runner
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.services import Workspace, file_paths
from recordsdesk.services.closing import classify, close
from recordsdesk.services.roles import grant
from tests.woo.conftest import MakeDossier, audit_count, row, set_status

KERN = "https://identifier.overheid.nl/tooi/def/thes/kern/"
CONVENANTEN, ADVIEZEN = KERN + "c_8fc2335c", KERN + "c_99a836c7"


class FakeClock:
    """The stability tracker's monotonic clock (the one thing faked in intake tests)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def take_in(ws: Workspace) -> list[str]:
    """Run intake once, then file every ready item into its folder's default dossier."""
    clock = FakeClock()
    runner.process_once(ws, quiet_period=2.0, clock=clock, sleep=clock.sleep)
    items = [i for i in inbox.list_inbox(ws) if i.state == "ready"]
    return [r.kenmerk for r in inbox.file_items(ws, [i.id for i in items]).records]


def test_filing_takes_the_drop_folders_category_else_the_dossiers(
    ws: Workspace, make_dossier: MakeDossier, tmp_path: Path
) -> None:
    dossier, [before] = make_dossier("Samenwerking haven", "zonder categorie")
    assert row(ws, before).woo_informatiecategorie is None
    set_woo_category(ws, dossier, "adviezen")
    [plain] = file_paths(ws, dossier, [_text(tmp_path / "advies.txt", "advies")]).records
    assert row(ws, plain.kenmerk).woo_informatiecategorie == ADVIEZEN, "the dossier's default"
    assert row(ws, before).woo_informatiecategorie is None, "records already filed keep theirs"

    drop = tmp_path / "convenanten"
    drop.mkdir()
    add_drop_folder(ws, drop, dossier_kenmerk=dossier, woo_category="convenanten")
    _text(drop / "convenant.txt", "convenant haven")
    [from_folder] = take_in(ws)
    assert row(ws, from_folder).woo_informatiecategorie == CONVENANTEN, "the folder's wins"

    bare = tmp_path / "post"
    bare.mkdir()
    add_drop_folder(ws, bare, dossier_kenmerk=dossier)
    _text(bare / "brief.txt", "een brief")
    [from_bare] = take_in(ws)
    assert row(ws, from_bare).woo_informatiecategorie == ADVIEZEN, "no folder category: dossier's"


def test_set_category_by_name_code_or_article_and_audited(
    ws: Workspace, make_dossier: MakeDossier
) -> None:
    _dossier, [record] = make_dossier("Haven", "stuk")
    change = set_woo_category(ws, record.lower(), "Convenant")
    assert (change.old, change.new, change.naam) == (None, CONVENANTEN, "convenant")
    assert row(ws, record).woo_informatiecategorie == CONVENANTEN
    before = audit_count(ws)
    same = set_woo_category(ws, record, "3.3 lid 2 sub f")
    assert not same.changed and audit_count(ws) == before, "no change, no audit row"
    set_woo_category(ws, record, "c_99a836c7")
    with ws.readers() as session:
        details = session.scalars(
            select(AuditEvent.details)
            .where(AuditEvent.action == "woo.category_set")
            .order_by(AuditEvent.seq.desc())
        ).first()
    assert details is not None
    assert json.loads(details) == {"kenmerk": record, "old": CONVENANTEN, "new": ADVIEZEN}
    assert category_name(ADVIEZEN) == "advies" and category_name(None) is None


@pytest.mark.parametrize(
    ("status", "category", "message"),
    [
        ("open", "recepten", "Unknown Woo information category"),
        ("destroyed", "adviezen", "destroyed or transferred"),
        ("transferred", "adviezen", "destroyed or transferred"),
    ],
)
def test_refused_and_nothing_changes(
    ws: Workspace, make_dossier: MakeDossier, status: str, category: str, message: str
) -> None:
    dossier, [record] = make_dossier("Haven", "stuk")
    if status != "open":
        set_status(ws, dossier, status)
    before = audit_count(ws)
    with pytest.raises(UserError, match=message):
        set_woo_category(ws, record, category)
    assert row(ws, record).woo_informatiecategorie is None and audit_count(ws) == before


def test_a_closed_record_changes_only_by_a_records_manager(
    ws: Workspace, make_dossier: MakeDossier
) -> None:
    dossier, [record] = make_dossier("Haven", "stuk")
    grant(ws, "anna.records", "records_manager")
    ws.actor = "anna.records"
    classify(ws, dossier, "1.5")
    close(ws, dossier)
    ws.actor = "wim.woo"
    with pytest.raises(UserError, match="records_manager"):
        set_woo_category(ws, record, "adviezen")
    ws.actor = "anna.records"
    assert set_woo_category(ws, record, "adviezen").new == ADVIEZEN


def _text(path: Path, text: str) -> Path:
    path.write_text(text + "\n", encoding="utf-8")
    return path
