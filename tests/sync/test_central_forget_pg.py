"""Letting go of central content under the enforcement: a records manager may not delete
content rows, so forgetting goes through the database's own function, which refuses
content a bestand still uses."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from recordsdesk.archive.sync.blobs import DatabaseBlobs
from recordsdesk.db.engine import make_engine
from recordsdesk.db.models import Bestand
from tests.central.enforcement_support import enforced_central

pytestmark = pytest.mark.postgres


def test_a_records_manager_forgets_only_content_nothing_uses(pg_url: str, tmp_path: Path) -> None:
    with enforced_central("superuser", pg_url, tmp_path) as central:
        as_rita = make_url(pg_url).set(username=central.logins["rita"])
        engine = make_engine(as_rita.render_as_string(hide_password=False))
        try:
            blobs = DatabaseBlobs(engine)
            loose = b"een concept dat nergens bij hoort"
            digest = hashlib.sha256(loose).hexdigest()
            blobs.put_chunk(digest, 0, loose)
            blobs.finish(digest, len(loose), 1)
            assert blobs.has(digest)
            with central.ws.readers() as session:
                used = session.scalars(select(Bestand.sha256)).first()
            assert used is not None
            owner = DatabaseBlobs(central.engine)
            if not owner.has(used):  # the seeded content, as a workstation's push leaves it
                data = central.ws.objects.path_for(used).read_bytes()
                owner.put_chunk(used, 0, data)
                owner.finish(used, len(data), 1)

            blobs.forget(digest)
            blobs.forget(used)

            assert not blobs.has(digest)
            assert blobs.has(used)  # a bestand still refers to it
        finally:
            engine.dispose()
