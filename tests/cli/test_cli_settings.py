"""``recordsdesk settings``: the organisation defaults through the real CLI."""

from __future__ import annotations

import json
from collections.abc import Callable

from recordsdesk.services import organisation as org
from tests.cli.conftest import Run

Cli = Callable[..., Run]


def test_the_cli_lists_sets_and_refuses(cli: Cli) -> None:
    listed = cli("settings", "list", "--json")
    assert listed.code == 0, listed.err
    keys = [item["key"] for item in json.loads(listed.out)]
    assert keys == [spec.key for spec in org.SETTINGS]
    changed = cli("settings", "set", "mdto.archiefvormer", "gm0599")
    assert changed.code == 0 and "mdto.archiefvormer" in changed.out
    assert cli("settings", "get", "mdto.archiefvormer").out.strip() == "gm0599"
    refused = cli("settings", "set", "mdto.archiefvormer", "Rotterdam")
    assert refused.code == 2 and "Traceback" not in refused.err
    assert "TOOI" in refused.err  # Dutch by default: "… uit het TOOI-register …"
