"""Every read of content in the central archive from a workstation that never had it:
an e-Depot package (SIP) of another workstation's dossier, a redaction that fetches
before it takes the write lock, and ``recordsdesk --central verify`` checking the
central archive rather than this workstation's store (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import OperationalError

from recordsdesk.archive.sync.blobs import upload
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.central_content import CANNOT_FETCH
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.archive.woo.redactions import add_redaction
from recordsdesk.db.engine import make_engine
from recordsdesk.db.models import Bestand, ContentChunk
from recordsdesk.services import Workspace, export_sip
from recordsdesk.services import sip as sip_service
from recordsdesk.store import ObjectStore
from tests.cli.conftest import run_cli
from tests.core.samples import random_file
from tests.redact.conftest import word_box
from tests.sync.support import dossier_with_files, home_with_a_dossier
from tests.sync.test_central_woo import _request, filed  # noqa: F401  (fixture)
from tests.woo.test_export import NUMMER

Station = Callable[[str], Workspace]


@pytest.fixture
def published(station: Station, central: Central, tmp_path: Path) -> tuple[str, dict[str, bytes]]:
    """Workstation "a" files a dossier of three PDFs and synchronises; its kenmerk and
    the content by sha256."""
    a = station("a")
    kenmerk = dossier_with_files(a, tmp_path / "in", "Kapvergunning Kralingse Bos", 3)
    assert sync_once(a, central).failed == 0
    with a.readers() as session:
        shas = session.scalars(select(Bestand.sha256)).all()
    return kenmerk, {sha: a.objects.path_for(sha).read_bytes() for sha in shas}


def test_an_edepot_package_made_centrally_holds_every_file_byte_for_byte(
    published: tuple[str, dict[str, bytes]], elsewhere: Workspace, tmp_path: Path
) -> None:
    kenmerk, content = published
    assert not any(elsewhere.objects.exists(sha) for sha in content)
    fetch = elsewhere.objects.source
    assert fetch is not None
    asked: list[set[str]] = []

    def counted(wanted: Mapping[str, int]) -> None:
        asked.append(set(wanted))
        fetch(wanted)

    elsewhere.objects.source = counted
    report = export_sip(elsewhere, [kenmerk], tmp_path / "uit")
    assert asked == [set(content)], "the dossier's content fetched in one go"
    assert report.problems == [] and report.folder is not None
    assert report.bestanden == 3
    payload = sorted(p.read_bytes() for p in report.folder.rglob("*.pdf"))
    assert payload == sorted(content.values())
    assert all(elsewhere.objects.check(sha) is None for sha in content), "fetched and kept"


def test_a_file_the_central_archive_lacks_refuses_the_package_by_name(
    published: tuple[str, dict[str, bytes]],
    central: Central,
    elsewhere: Workspace,
    tmp_path: Path,
) -> None:
    kenmerk, content = published
    lacking = min(content)
    central.blobs.forget(lacking)  # as if its workstation never published it
    out = tmp_path / "uit"
    report = export_sip(elsewhere, [kenmerk], out)
    assert report.folder is None
    assert [p.problem.msgid for p in report.problems] == [CANNOT_FETCH]
    assert lacking in report.problems[0].problem.text()
    assert report.problems[0].file.endswith(".pdf")
    assert not out.exists() or list(out.iterdir()) == [], "nothing half-written"
    assert sip_service.STORED_MISSING not in {p.problem.msgid for p in report.problems}


def _write_lock_free(engine_url: str, ws: Workspace) -> bool:
    """Whether another connection could take the write lock the redaction would hold:
    SQLite's database lock, PostgreSQL's row lock on the request."""
    if engine_url.startswith("sqlite"):
        probe = sqlite3.connect(engine_url.removeprefix("sqlite:///"), timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            probe.close()
    engine = make_engine(engine_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("SET LOCAL lock_timeout = '100ms'"))
            connection.execute(
                text("SELECT 1 FROM woo_request WHERE nummer = :n FOR UPDATE NOWAIT"),
                {"n": NUMMER},
            )
        return True
    except OperationalError:  # lock_not_available: the row is locked
        return False
    finally:
        engine.dispose()


def test_a_redaction_fetches_its_pdf_before_it_takes_the_write_lock(
    filed: dict[str, str],  # noqa: F811
    elsewhere: Workspace,
    db_url: str,
) -> None:
    _request(elsewhere, filed)
    fetch = elsewhere.objects.source
    assert fetch is not None
    free_while_fetching: list[bool] = []

    def watched(wanted: Mapping[str, int]) -> None:
        free_while_fetching.append(_write_lock_free(db_url, elsewhere))
        fetch(wanted)

    elsewhere.objects.source = watched
    box = word_box(Path(filed["part_bytes"]), 1, "Pietje Puk")
    add_redaction(elsewhere, NUMMER, filed["part"], 1, *box, "5.1.2e")
    assert free_while_fetching == [True], "fetched once, with no write lock held"
    assert elsewhere.objects.exists(filed["part_sha"])


def test_central_verify_checks_the_central_archive_not_this_store(tmp_path: Path) -> None:
    filer = home_with_a_dossier(tmp_path / "filer", tmp_path / "in")
    assert run_cli(["--home", str(filer), "sync"]).code == 0
    manager = tmp_path / "records-manager"
    url = f"sqlite:///{filer / 'central.sqlite'}"
    assert run_cli(["--home", str(manager), "central", "set", url]).code == 0
    done = run_cli(["--home", str(manager), "--central", "verify", "--json"])
    assert done.code == 0, done.err
    report = json.loads(done.out)
    assert report["checked"] == 2 and report["damaged"] == [], "not 'missing' here"
    assert list(ObjectStore(manager / "objects").iter_names()) == [], "nothing fetched"
    loose = ObjectStore(tmp_path / "loose")
    extra = loose.put(random_file(tmp_path / "los.bin", 5000))
    engine = make_engine(url)
    upload(Central.open(engine).blobs, loose, extra.sha256, extra.size)  # nothing refers to it
    said = run_cli(["--home", str(manager), "--lang", "en", "--central", "verify"])
    assert said.code == 0 and "2 stored files checked; all intact." in said.out, said.err
    assert "1 objects in the central store belong to no bestand" in said.out
    assert Central.open(engine).blobs.has(extra.sha256), "a check lets go of nothing"
    engine.dispose()
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(update(ContentChunk).values(data=b"overwritten"))
    engine.dispose()
    damaged = run_cli(["--home", str(manager), "--central", "verify", "--json"])
    assert damaged.code != 0 and len(json.loads(damaged.out)["damaged"]) == 2
