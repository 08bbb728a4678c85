"""Woo work in the enforced central archive: a Woo searcher registers a request, puts a
dossier in scope (which places a hold) and judges a document with their own login; a
filer may not touch Woo requests. PostgreSQL only (see test_enforcement_pg.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from recordsdesk.archive.sync.central import Central as ArchiveCentral
from recordsdesk.archive.sync.central_content import open_central_workspace, publish
from recordsdesk.archive.woo import assessments, requests, scope
from recordsdesk.db.engine import make_engine
from recordsdesk.db.models import Hold, Informatieobject, WooAssessment
from recordsdesk.services import Workspace, open_workspace
from tests.central.enforcement_support import Central, enforced_central, refused

pytestmark = pytest.mark.postgres


@pytest.fixture
def central(pg_url: str, tmp_path: Path) -> Iterator[Central]:
    with enforced_central("superuser", pg_url, tmp_path) as made:
        yield made


def _as(central: Central, person: str, home: Path) -> Workspace:
    url = make_url(central.url).set(username=central.logins[person])
    ws = open_workspace(home, engine=make_engine(url.render_as_string(hide_password=False)))
    ws.actor = central.logins[person]
    return ws


def _kenmerk(central: Central, key: str) -> str:
    with central.ws.readers() as session:
        found = session.get(Informatieobject, central.ids[key])
        assert found is not None
        return found.kenmerk


def test_a_woo_searcher_registers_scopes_and_judges_with_their_own_login(
    central: Central, tmp_path: Path
) -> None:
    wim = _as(central, "wim", tmp_path / "wim")
    try:
        today = dt.date(2026, 11, 2)
        requests.create_request(wim, "WOO-2026-17", "Bouwvergunning Dorpsstraat", today)
        dossier = _kenmerk(central, "bob")
        scope.add_to_scope(wim, "WOO-2026-17", [dossier])
        [document] = list(scope.documents_in_scope(wim, "WOO-2026-17"))
        assessments.assess(wim, "WOO-2026-17", document.kenmerk, "niet openbaar", "5.1.2e")
    finally:
        wim.engine.dispose()
        wim.close()
    with central.ws.readers() as session:
        holds = session.scalars(
            select(Hold).where(Hold.informatieobject_id == central.ids["bob"])
        ).all()
        assert [h.reason.startswith("Woo-verzoek WOO-2026-17") for h in holds] == [True]
        judged = session.scalars(select(WooAssessment)).one()
        assert (judged.beoordeling, judged.gronden) == ("niet_openbaar", "5.1.2e")
    assert central.chain_intact()


def test_a_filer_may_not_touch_woo_requests(central: Central) -> None:
    with central.connect("alice") as alice:
        refused(
            alice,
            "INSERT INTO woo_request (id, nummer, onderwerp, ontvangen_op, status, created_at, "
            "created_by, version) VALUES (gen_random_uuid(), 'X-1', 'x', now(), 'open', now(), "
            "'alice', 1)",
        )
        refused(alice, "SELECT count(*) FROM woo_assessment")


def test_a_woo_searcher_working_centrally_fetches_content_with_their_own_login(
    central: Central, tmp_path: Path
) -> None:
    """The content a central Woo package or redaction needs comes from the central store
    on the searcher's own login (its grants suffice), verified, into their workstation."""
    publish(ArchiveCentral.open(central.engine), central.ws.objects)  # as its workstation
    url = make_url(central.url).set(username=central.logins["wim"])
    wim = open_central_workspace(
        tmp_path / "wim", make_engine(url.render_as_string(hide_password=False))
    )
    wim.actor = central.logins["wim"]
    try:
        sha = central.ids["alice_sha"]
        original = central.ws.objects.path_for(sha).read_bytes()
        assert not wim.objects.exists(sha)
        wim.objects.ensure({sha: len(original)})
        assert wim.objects.verified_path(sha).read_bytes() == original
    finally:
        wim.close()
