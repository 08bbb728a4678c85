"""The command line's ``hold`` verb: legal holds on dossiers and series.

Part of the headless front end (see :mod:`recordsdesk.cli`); calls the same
service as the desktop window (:mod:`recordsdesk.services.holds`).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from recordsdesk.i18n import _
from recordsdesk.services import holds
from recordsdesk.services.workspace import Workspace

HOLD_COMMANDS = ("hold",)


def add_commands(commands: Any, json_flag: Any) -> None:
    """Add ``hold place|lift|list`` to the top-level sub-parsers."""
    parser = commands.add_parser("hold", help=_("place and lift legal holds"))
    verbs = parser.add_subparsers(dest="hold_command", metavar=_("hold command"), required=True)
    place = verbs.add_parser("place", help=_("hold a dossier or a whole series"))
    place.add_argument("kenmerk", metavar="KENMERK")
    place.add_argument("--reason", required=True, help=_("why, e.g. the Woo request"))
    json_flag(place)
    lift = verbs.add_parser("lift", help=_("lift one hold (by its id)"))
    lift.add_argument("hold_id", metavar="ID")
    lift.add_argument("--reason", required=True, help=_("why the hold ends"))
    json_flag(lift)
    listing = verbs.add_parser("list", help=_("the holds that bind a dossier or record"))
    listing.add_argument("kenmerk", metavar="KENMERK")
    listing.add_argument("--all", action="store_true", help=_("also lifted holds"))
    json_flag(listing)


def dispatch(ws: Workspace, args: argparse.Namespace) -> int:
    if args.hold_command == "place":
        placed = holds.place_hold(ws, args.kenmerk, args.reason)
        _show([placed], args.json, single=True)
    elif args.hold_command == "lift":
        lifted = holds.lift_hold(ws, args.hold_id, args.reason)
        _show([lifted], args.json, single=True)
    else:
        _show(holds.holds_on(ws, args.kenmerk, include_lifted=args.all), args.json)
    return 0


def _show(found: list[holds.HoldInfo], as_json: bool, *, single: bool = False) -> None:
    if as_json:
        data: Any = found[0].to_json() if single else [h.to_json() for h in found]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not found:
        print(_("No holds."))
    for hold in found:
        state = _("active") if hold.active else _("lifted")
        where = _("(on {kenmerk}, above it)").format(kenmerk=hold.kenmerk) if hold.inherited else ""
        print(f"{hold.id}\t{hold.kenmerk}\t{state}\t{hold.placed_at.date().isoformat()}\t"
              f"{hold.placed_by}\t{hold.reason} {where}".rstrip())  # fmt: skip
