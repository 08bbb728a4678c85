"""The command line's ``settings`` verb: organisation-level defaults (MDTO).

Part of the headless front end (see :mod:`recordsdesk.cli`); calls the same
service as the desktop window (:mod:`recordsdesk.services.organisation`).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from recordsdesk.i18n import _
from recordsdesk.services import organisation
from recordsdesk.services.workspace import Workspace

SETTINGS_COMMANDS = ("settings",)


def add_commands(commands: Any, json_flag: Any) -> None:
    """Add ``settings list|get|set`` to the top-level sub-parsers."""
    parser = commands.add_parser("settings", help=_("show and change the organisation defaults"))
    verbs = parser.add_subparsers(
        dest="settings_command", metavar=_("settings command"), required=True
    )
    json_flag(verbs.add_parser("list", help=_("list every setting with its value")))
    get = verbs.add_parser("get", help=_("show one setting"))
    get.add_argument("key", metavar=_("KEY"))
    put = verbs.add_parser("set", help=_("change a setting (checked first)"))
    put.add_argument("key", metavar=_("KEY"))
    put.add_argument("value", metavar=_("VALUE"))


def dispatch(ws: Workspace, args: argparse.Namespace) -> int:
    if args.settings_command == "list":
        values = organisation.settings(ws)
        if args.json:
            print(json.dumps([_json(v) for v in values], ensure_ascii=False, indent=2))
        for value in [] if args.json else values:
            marker = _("(default)") if value.is_default else ""
            print(f"{value.spec.key}\t{value.value}\t{marker}".rstrip())
            print(f"    {_(value.spec.help)}")
    elif args.settings_command == "get":
        print(organisation.get_setting(ws, args.key).value)
    else:
        stored = organisation.set_setting(ws, args.key, args.value)
        print(_("{key} is now {value}.").format(key=stored.spec.key, value=stored.value))
    return 0


def _json(value: organisation.SettingValue) -> dict[str, Any]:
    return {
        "key": value.spec.key,
        "value": value.value,
        "default": value.spec.default,
        "is_default": value.is_default,
        "help": _(value.spec.help),
    }
