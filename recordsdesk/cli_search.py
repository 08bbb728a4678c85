"""The command line's ``search`` and ``saved-search`` verbs.

Part of the headless front end (see :mod:`recordsdesk.cli`); calls the same
search service as the desktop window (:mod:`recordsdesk.search.service`).

``recordsdesk search QUERY [--json] [--page N] [--central] [--facets [--top N]]
[--filter FACET=VALUE ...] [--from DATE] [--to DATE] [--datum-soort document|archivering]``.
Before searching, the index is brought fully up to date (one transaction per
batch), so a script sees everything filed; on the central archive only a login
that maintains the index does that, and the output says how many objects were
still pending. ``--central`` here is the same as the global ``recordsdesk
--central search``. A query that starts with a minus goes after ``--``:
``recordsdesk search -- "-a b"``.

Filters: ``--filter`` takes a facet key and a value as ``--facets`` lists them
(``waardering=B``, ``documentjaar=2024``, ``dossier=KENMERK``; repeatable, one
value per facet, the last wins). ``--from``/``--to`` take a day, month or year
as ``datum:`` does; ``--datum-soort document`` (default) narrows on the period
the object covers, ``archivering`` on the day it was filed. The output also
says how many results the login may not see (``hidden`` in JSON: a number, or
null when it cannot be counted; :mod:`recordsdesk.search.hidden`).

Saved searches are a verb of their own, because ``search`` takes any text as
its query (``search list`` searches for the word "list"): ``recordsdesk
saved-search save NAME QUERY [filters]``, ``saved-search list [--json]``,
``saved-search run NAME [--json] [--page N] [--facets]``, ``saved-search forget NAME``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import Any

from sqlalchemy.orm import Session

from recordsdesk.archive import saved_searches as saved
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.search import index
from recordsdesk.search.facets import TOP, FacetCounts, FacetFilters, facet_counts
from recordsdesk.search.hidden import hidden_count
from recordsdesk.search.query import parse
from recordsdesk.search.results import SearchResults
from recordsdesk.search.service import search
from recordsdesk.services.workspace import Workspace

SEARCH_COMMANDS = ("search", "saved-search")


def add_commands(commands: Any, json_flag: Any) -> None:
    """Add ``search QUERY`` and ``saved-search save|list|run|forget`` to the sub-parsers."""
    parser = commands.add_parser(
        "search",
        help=_("full-text search; results grouped by dossier"),
        description=_(
            'Words, "exact phrases", -exclude, OR, prefix*, and the fields titel:, '
            "dossier:, categorie:, afzender: and datum:2024-01..2024-06."
        ),
    )
    parser.add_argument("query", metavar="QUERY")
    _paging(parser)
    _filters(parser)
    # SUPPRESS: without the flag the global --central keeps its value
    parser.add_argument(
        "--central",
        dest="in_central",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("search the central archive"),
    )
    json_flag(parser)
    kept = commands.add_parser("saved-search", help=_("keep searches under a name and run them"))
    verbs = kept.add_subparsers(dest="saved_command", metavar=_("saved-search command"),
                                required=True)  # fmt: skip
    save = verbs.add_parser("save", help=_("keep a query and its filters under a name"))
    save.add_argument("name", metavar="NAME")
    save.add_argument("query", metavar="QUERY")
    _filters(save, facets=False)
    json_flag(save)
    json_flag(verbs.add_parser("list", help=_("your saved searches")))
    run = verbs.add_parser("run", help=_("search again with a saved search"))
    run.add_argument("name", metavar="NAME")
    _paging(run)
    json_flag(run)
    forget = verbs.add_parser("forget", help=_("delete a saved search"))
    forget.add_argument("name", metavar="NAME")
    json_flag(forget)


def _paging(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--page", type=int, default=1, metavar="N", help=_("page of results (from 1)")
    )
    parser.add_argument(
        "--page-size", type=int, default=20, metavar="N", help=_("dossiers per page")
    )
    parser.add_argument("--facets", action="store_true", help=_("also count per facet value"))
    parser.add_argument(
        "--top", type=int, default=TOP, metavar="N", help=_("values shown per facet")
    )


def _filters(parser: argparse.ArgumentParser, *, facets: bool = True) -> None:
    parser.add_argument(
        "--filter", action="append", default=[], metavar="FACET=VALUE",
        help=_("narrow to one facet value, e.g. waardering=B (repeatable)"),
    )  # fmt: skip
    parser.add_argument("--from", dest="date_from", metavar="DATE", help=_("from this date"))
    parser.add_argument("--to", dest="date_to", metavar="DATE", help=_("up to this date"))
    parser.add_argument(
        "--datum-soort", choices=("document", "archivering"), default="document",
        help=_("which date --from/--to narrow: the document's or the filing date"),
    )  # fmt: skip


def dispatch(ws: Workspace, args: argparse.Namespace) -> int:
    if args.command == "saved-search":
        return _saved(ws, args)
    _show(ws, args.query, _filters_of(args), args)
    return 0


def _saved(ws: Workspace, args: argparse.Namespace) -> int:
    if args.saved_command == "save":
        info = saved.save_search(ws, args.name, args.query, _filters_of(args))
        _emit(info.to_json()) if args.json else print(_("Saved: {name}").format(name=info.name))
    elif args.saved_command == "list":
        found = saved.list_searches(ws)
        if args.json:
            _emit([s.to_json() for s in found])
        elif not found:
            print(_("No saved searches."))
        for item in [] if args.json else found:
            narrowed = " ".join(f"{k}={v}" for k, v in item.filters.to_json().items())
            print("\t".join(x for x in (item.name, item.query, narrowed) if x))
    elif args.saved_command == "run":
        info = saved.get_search(ws, args.name)
        _show(ws, info.query, info.filters, args, name=info.name)
    else:
        info = saved.forget_search(ws, args.name)
        _emit(info.to_json()) if args.json else print(_("Forgotten: {name}").format(name=info.name))
    return 0


def _filters_of(args: argparse.Namespace) -> FacetFilters:
    """The filters the options give; UserError for a bad key, value or date."""
    chosen = FacetFilters()
    for pair in args.filter:
        key, equals, value = pair.partition("=")
        if not equals or not key.strip() or not value.strip():
            raise UserError(N_("Write a filter as FACET=VALUE, e.g. waardering=B; not {text}."),
                            {"text": pair})  # fmt: skip
        chosen = chosen.choose(key.strip(), value.strip())
    first = _day(args.date_from, start=True)
    last = _day(args.date_to, start=False)
    if first and last and last < first:
        raise UserError(N_("--to ({to}) lies before --from ({start})."),
                        {"to": args.date_to, "start": args.date_from})  # fmt: skip
    if args.datum_soort == "archivering":
        return dataclasses.replace(chosen, filed_from=first or chosen.filed_from,
                                   filed_to=last or chosen.filed_to)  # fmt: skip
    return dataclasses.replace(chosen, date_from=first or chosen.date_from,
                               date_to=last or chosen.date_to)  # fmt: skip


def _day(text: str | None, *, start: bool) -> Any:
    """First (``start``) or last day of a day, month or year written as ``datum:`` takes it."""
    if text is None:
        return None
    if ".." in text:
        raise UserError(N_("Give one date to --from and one to --to; not a range ({value})."),
                        {"value": text})  # fmt: skip
    [period] = parse(f"datum:{text}").dates
    return period.start if start else period.end


def _show(
    ws: Workspace, query: str, filters: FacetFilters, args: argparse.Namespace,
    name: str | None = None,
) -> None:  # fmt: skip
    index.catch_up(ws.engine)
    with ws.sessions() as session, session.begin():
        found = search(
            session, query, filters=filters, page=max(args.page, 1) - 1, page_size=args.page_size
        )
        hidden = hidden_count(session, query)
        facets = _facets(session, query, filters, args) if args.facets else None
    if args.json:
        data: dict[str, Any] = {**found.to_json(), "hidden": hidden}
        if name is not None:
            data["saved_search"] = name
        if facets is not None:
            data["facets"] = {
                key: {
                    "name": f.name,
                    "distinct": f.distinct,
                    "values": [dataclasses.asdict(v) for v in f.values],
                }
                for key, f in facets.items()
            }
        _emit(data)
        return
    _print(found, hidden)
    if facets is not None:
        _print_facets(facets)


def _facets(
    session: Session, query: str, filters: FacetFilters, args: argparse.Namespace
) -> dict[str, FacetCounts]:
    return facet_counts(session, query, filters, top=max(1, args.top))


def _emit(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _print(found: SearchResults, hidden: int | None) -> None:
    if found.dropped:
        print(_("Left out (too common): {words}").format(words=" ".join(found.dropped)))
    if found.pending:
        print(
            _("{count} objects are not in the index yet; results may be incomplete.").format(
                count=found.pending
            ),
            file=sys.stderr,
        )
    if hidden:
        print(_("{count} results are hidden: you may not see them.").format(count=hidden))
    elif hidden is None:
        print(_("Whether results are hidden cannot be counted for this query."))
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


def _print_facets(facets: dict[str, FacetCounts]) -> None:
    for key, facet in facets.items():
        if not facet.values:
            continue
        print()
        print(f"{facet.name} ({key})")
        for value in facet.values:
            chosen = f"  [{key}={value.value}]" if value.value not in (None, value.label) else ""
            print(f"  {value.count:>7}  {value.label}{chosen}")
        if facet.distinct > len(facet.values):
            more = facet.distinct - len(facet.values)
            print("  " + _("… and {count} more values").format(count=more))
