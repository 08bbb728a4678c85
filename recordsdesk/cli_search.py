"""The command line's ``search`` verb: full-text search, results grouped by dossier.

Part of the headless front end (see :mod:`recordsdesk.cli`); calls the same
search service as the desktop window (:mod:`recordsdesk.search.service`).

``recordsdesk search QUERY [--json] [--page N] [--central]``. Before searching,
the index is brought fully up to date (one transaction per batch), so a script
sees everything filed; on the central archive only a login that maintains the
index does that, and the output says how many objects were still pending.
``--central`` here is the same as the global ``recordsdesk --central search``.
A query that starts with a minus goes after ``--``: ``recordsdesk search -- "-a b"``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from recordsdesk.i18n import _
from recordsdesk.search import index
from recordsdesk.search.results import SearchResults
from recordsdesk.search.service import search
from recordsdesk.services.workspace import Workspace

SEARCH_COMMANDS = ("search",)


def add_commands(commands: Any, json_flag: Any) -> None:
    """Add ``search QUERY`` to the top-level sub-parsers."""
    parser = commands.add_parser(
        "search",
        help=_("full-text search; results grouped by dossier"),
        description=_(
            'Words, "exact phrases", -exclude, OR, prefix*, and the fields titel:, '
            "dossier:, categorie:, afzender: and datum:2024-01..2024-06."
        ),
    )
    parser.add_argument("query", metavar="QUERY")
    parser.add_argument(
        "--page", type=int, default=1, metavar="N", help=_("page of results (from 1)")
    )
    parser.add_argument(
        "--page-size", type=int, default=20, metavar="N", help=_("dossiers per page")
    )
    # SUPPRESS: without the flag the global --central keeps its value
    parser.add_argument(
        "--central",
        dest="in_central",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("search the central archive"),
    )
    json_flag(parser)


def dispatch(ws: Workspace, args: argparse.Namespace) -> int:
    index.catch_up(ws.engine)
    with ws.sessions() as session, session.begin():
        found = search(session, args.query, page=max(args.page, 1) - 1, page_size=args.page_size)
    if args.json:
        print(json.dumps(found.to_json(), ensure_ascii=False, indent=2))
    else:
        _print(found)
    return 0


def _print(found: SearchResults) -> None:
    if found.dropped:
        print(_("Left out (too common): {words}").format(words=" ".join(found.dropped)))
    if found.pending:
        print(
            _("{count} objects are not in the index yet; results may be incomplete.").format(
                count=found.pending
            ),
            file=sys.stderr,
        )
    if not found.total:
        print(_("Nothing found."))
        return
    print(
        _("{hits} hits in {dossiers} dossiers (page {page}).").format(
            hits=found.total, dossiers=found.dossier_count, page=found.page + 1
        )
    )
    for group in found.groups:
        print()
        print(f"{group.kenmerk}  {group.naam}  ({group.hit_count})")
        for hit in group.hits:
            print(f"  {hit.kenmerk}  {hit.title}")
            if hit.snippet:
                print(f"      {hit.snippet}")
