"""verify lists objects no record refers to, without calling them damage."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from recordsdesk.errors import UserError
from recordsdesk.services import create_dossier, file_paths, open_workspace, verify


def test_an_object_left_by_a_refused_action_is_listed_but_not_damage(
    home: Path, tmp_path: Path
) -> None:
    ws = open_workspace(home)
    try:
        dossier = create_dossier(ws, "Dossier").kenmerk
        data = os.urandom(5000)
        first, second = tmp_path / "a.txt", tmp_path / "b.txt"
        first.write_bytes(data)
        second.write_bytes(data)
        kept = tmp_path / "c.txt"
        kept.write_bytes(b"another document")
        file_paths(ws, dossier, [kept])

        # the same content twice in one action: refused after the batch was stored
        with pytest.raises(UserError):
            file_paths(ws, dossier, [first, second])

        report = verify(ws)
        assert report.intact
        assert report.checked == 1
        assert report.unreferenced == (hashlib.sha256(data).hexdigest(),)
        assert report.to_json()["unreferenced"] == [hashlib.sha256(data).hexdigest()]
    finally:
        ws.close()
