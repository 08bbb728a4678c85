"""Organisation-level MDTO defaults: checked when set, applied to new dossiers, audited.

Through the service on SQLite and PostgreSQL; the CLI in tests/cli/test_cli_settings.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from recordsdesk.db.models import AuditEvent, Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.services import Workspace, create_dossier, open_workspace
from recordsdesk.services import organisation as org
from recordsdesk.services.metadata import load_metadata


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    yield workspace
    workspace.close()


def test_the_defaults_are_rotterdam_and_the_standard_values(ws: Workspace) -> None:
    values = {v.spec.key: v for v in org.settings(ws)}
    assert (
        values["mdto.archiefvormer"].value == "gm0599" and values["mdto.archiefvormer"].is_default
    )
    assert values["mdto.beperking_gebruik"].value == "Nader te bepalen"
    with ws.readers() as session:
        current = org.organisation(session)
    assert current.archiefvormer == "gemeente Rotterdam"
    assert "waardering" in current.lists and current.profile == "MDTO"


def test_a_new_dossier_takes_the_organisations_defaults(ws: Workspace) -> None:
    org.set_setting(ws, "mdto.archiefvormer", "GM0363")  # Amsterdam, typed in capitals
    org.set_setting(ws, "mdto.identificatie_bron", "  Zaaksysteem   Amsterdam ")
    org.set_setting(ws, "mdto.beperking_gebruik", "geen beperking")
    created = create_dossier(ws, "Evenementenvergunning")
    with ws.readers() as session:
        row = session.get(Informatieobject, created.id)
        assert row is not None
        assert row.archiefvormer == "gemeente Amsterdam"
        assert row.identificatie_bron == "Zaaksysteem Amsterdam"
        assert row.beperking_gebruik == "Geen beperking"
    view = load_metadata(ws, created.id)
    [vormer] = view.effective.archiefvormer
    assert vormer.identificatie is not None and vormer.identificatie.kenmerk == "gm0363"
    assert view.effective.identificatie[0].bron == "Zaaksysteem Amsterdam"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("mdto.archiefvormer", "gm9999", "not a municipality code"),
        ("mdto.identificatie_bron", "   ", "1 to 200 characters"),
        ("mdto.beperking_gebruik", "Geheim", "not in the list"),
        ("mdto.lists", "waardering,kleuren", "Unknown value lists: kleuren"),
        ("mdto.profile", "Stadsarchief Atlantis", "No archive profile"),
        ("mdto.onbekend", "x", "Unknown setting"),
    ],
)
def test_a_bad_value_is_refused_and_nothing_is_stored(
    ws: Workspace, key: str, value: str, message: str
) -> None:
    with ws.readers() as session:
        audit_before = len(session.scalars(select(AuditEvent.seq)).all())
    with pytest.raises(UserError) as refused:
        org.set_setting(ws, key, value)
    assert message in refused.value.english()
    with ws.readers() as session:
        assert len(session.scalars(select(AuditEvent.seq)).all()) == audit_before
    assert all(v.is_default for v in org.settings(ws))


def test_a_change_is_audited_with_old_and_new_value(ws: Workspace) -> None:
    org.set_setting(ws, "mdto.lists", "waardering, event ,waardering")
    assert org.get_setting(ws, "mdto.lists").value == "waardering,event"
    with ws.readers() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert last is not None and last.action == "setting.changed"
    assert json.loads(last.details) == {"key": "mdto.lists", "old": None, "new": "waardering,event"}


def test_settings_saved_together_are_checked_first_and_stored_in_one_go(ws: Workspace) -> None:
    with ws.readers() as session:
        audit_before = len(session.scalars(select(AuditEvent.seq)).all())
    with pytest.raises(UserError) as refused:
        org.set_settings(ws, {"mdto.archiefvormer": "gm0363", "mdto.profile": "geen",
                              "retention.overbrengingstermijn": "tien jaar"})  # fmt: skip
    assert len(refused.value.details) == 2  # both problems at once
    assert all(v.is_default for v in org.settings(ws))  # the good value was not stored either
    values = org.set_settings(
        ws, {"mdto.archiefvormer": "gm0363", "mdto.profile": "MDTO", "mdto.lists": "all"}
    )
    assert {v.spec.key: v.value for v in values}["mdto.archiefvormer"] == "gm0363"
    with ws.readers() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.seq > audit_before)).all()
    # defaults given again are no change: one audit row, for the one setting changed
    assert [json.loads(r.details)["key"] for r in rows] == ["mdto.archiefvormer"]
