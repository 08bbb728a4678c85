"""The command line's ``selectielijst`` verb: the VNG Selectielijst as reference data.

Part of the headless front end (see :mod:`recordsdesk.cli`). The lists ship with
the app (:mod:`recordsdesk.retention.selectielijst`), so these commands need no
workspace and change nothing.

* ``selectielijst list [--year J] [--procestype N] [--search TEXT] [--json]``:
  every result, grouped by procestype; withdrawn ones marked "ingetrokken".
* ``selectielijst show NUMMER [--year J] [--json]``: the full text of one result;
  a withdrawn one is shown, marked, with its replacement.
* ``selectielijst check NUMMER [--year J]``: can this result be chosen for a
  dossier? Exit 0 if so, 2 (with the reason) for an unknown or withdrawn one.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from recordsdesk.i18n import _
from recordsdesk.retention import selectielijst as sl

SELECTIELIJST_COMMANDS = ("selectielijst",)


def add_commands(commands: Any, json_flag: Any) -> None:
    """Add ``selectielijst list|show|check`` to the top-level sub-parsers."""
    parser = commands.add_parser(
        "selectielijst", help=_("browse the VNG Selectielijst (retention periods)")
    )
    verbs = parser.add_subparsers(
        dest="selectielijst_command", metavar=_("selectielijst command"), required=True
    )
    listing = verbs.add_parser("list", help=_("list the results, grouped by procestype"))
    _year_flag(listing)
    listing.add_argument(
        "--procestype", type=int, metavar="N", help=_("only the results of procestype N")
    )
    listing.add_argument(
        "--search", metavar=_("TEXT"), help=_("only the results matching every word of TEXT")
    )
    json_flag(listing)
    show = verbs.add_parser("show", help=_("show the full text of one result"))
    show.add_argument("nummer", metavar=_("NUMBER"))
    _year_flag(show)
    json_flag(show)
    check = verbs.add_parser("check", help=_("check that a result can be chosen for a dossier"))
    check.add_argument("nummer", metavar=_("NUMBER"))
    _year_flag(check)


def _year_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year",
        type=int,
        metavar=_("YEAR"),
        help=_("the list's year (default: the most recent list)"),
    )


def dispatch(args: argparse.Namespace) -> int:
    """Run a ``selectielijst`` command; user errors propagate as ``UserError``."""
    jaar = args.year if args.year is not None else sl.latest()
    if args.selectielijst_command == "list":
        return _list(jaar, args)
    if args.selectielijst_command == "show":
        found = sl.resultaat(jaar, args.nummer)
        if args.json:
            _emit(_result_json(found, detail=True))
        else:
            _print_result(found)
        return 0
    found = sl.choosable(jaar, args.nummer)
    print(
        _("{nummer} ({naam}) of the Selectielijst {jaar} can be chosen.").format(
            nummer=found.volledig_nummer, naam=_title(found), jaar=jaar
        )
    )
    return 0


def _list(jaar: int, args: argparse.Namespace) -> int:
    types = sl.procestypen(jaar)
    if args.procestype is not None:
        types = (sl.procestype(jaar, args.procestype),)
    wanted = {t.nummer for t in types}
    pool = sl.search(jaar, args.search) if args.search else sl.resultaten(jaar)
    results = [r for r in pool if r.procestype in wanted]
    if args.json:
        _emit(
            {
                "jaar": jaar,
                "procestypen": [_procestype_json(t) for t in types],
                "resultaten": [_result_json(r) for r in results],
            }
        )
        return 0
    for procestype in types:
        own = [r for r in results if r.procestype == procestype.nummer]
        if not own:
            continue
        print(f"{procestype.nummer}. {procestype.naam}")
        for result in own:
            indent = "    " if result.specifiek else "  "
            print(f"{indent}{result.volledig_nummer}\t{_title(result)}\t{_verdict(result)}")
    total = (
        _("{count} result of the Selectielijst {jaar}.")
        if len(results) == 1
        else _("{count} results of the Selectielijst {jaar}.")
    )
    print(total.format(count=len(results), jaar=jaar))
    return 0


def _title(result: sl.Resultaat) -> str:
    """Naam, with the omschrijving of a specifiek result ("Verleend: Rijbewijs")."""
    if result.omschrijving:
        return f"{result.naam}: {_one_line(result.omschrijving)}"
    return result.naam


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _verdict(result: sl.Resultaat) -> str:
    """What happens to a dossier with this result, in words."""
    if result.withdrawn:
        if result.replaced_by:
            return _("withdrawn (now {replacement})").format(replacement=result.replaced_by)
        return _("withdrawn")
    if result.waardering == sl.WAARDERING_BLIJVEND:
        return _("keep permanently (B)")
    termijn = sl.describe_duration(result.bewaartermijn or "P0D")
    return _("destroy after {termijn} (V)").format(termijn=termijn)


def _print_result(result: sl.Resultaat) -> None:
    procestype = sl.procestype(result.jaar, result.procestype)
    heading = _("Result {nummer} of the Selectielijst {jaar}").format(
        nummer=result.volledig_nummer, jaar=result.jaar
    )
    print(heading + (f" - {_('WITHDRAWN')}" if result.withdrawn else ""))
    rows: list[tuple[str, str]] = [
        (_("Procestype"), f"{procestype.nummer}. {procestype.naam}"),
    ]
    if result.generiek_nummer is not None:
        parent = sl.resultaat(result.jaar, result.generiek_nummer)
        rows.append((_("Generic result"), f"{parent.volledig_nummer} {_title(parent)}"))
    rows += [
        (_("Name"), result.naam),
        (_("Description"), result.omschrijving),
        (_("Appraisal"), _verdict(result)),
    ]
    if result.bewaartermijn is not None:
        words = sl.describe_duration(result.bewaartermijn)
        rows.append((_("Retention period"), f"{words} ({result.bewaartermijn})"))
    if result.procestermijn is not None:
        rows.append((_("Process period"), result.procestermijn_weergave))
    rows += [
        (_("Process period note"), result.procestermijn_opmerking),
        (_("Origin"), result.herkomst),
        (_("Explanation"), result.toelichting),
    ]
    if result.generiek:
        specific = [r.volledig_nummer for r in _specifiek(result)]
        rows.append((_("Specific results"), ", ".join(specific)))
    width = max(len(label) for label, _value in rows) + 2
    for label, value in rows:
        if value:
            print(f"{label + ':':<{width}}{_one_line(value)}")


def _specifiek(result: sl.Resultaat) -> list[sl.Resultaat]:
    return [
        r
        for r in sl.resultaten(result.jaar, result.procestype)
        if r.generiek_nummer == result.volledig_nummer
    ]


def _procestype_json(procestype: sl.Procestype) -> dict[str, Any]:
    return {
        "jaar": procestype.jaar,
        "nummer": procestype.nummer,
        "naam": procestype.naam,
        "omschrijving": procestype.omschrijving,
        "toelichting": procestype.toelichting,
        "procesobject": procestype.procesobject,
    }


def _result_json(result: sl.Resultaat, *, detail: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "jaar": result.jaar,
        "volledig_nummer": result.volledig_nummer,
        "procestype": result.procestype,
        "generiek": result.generiek,
        "generiek_nummer": result.generiek_nummer,
        "naam": result.naam,
        "omschrijving": result.omschrijving,
        "herkomst": result.herkomst,
        "waardering": result.waardering,
        "mdto_waardering": result.mdto_waardering,
        "bewaartermijn": result.bewaartermijn,
        "procestermijn": result.procestermijn,
        "procestermijn_weergave": result.procestermijn_weergave,
        "procestermijn_opmerking": result.procestermijn_opmerking,
        "toelichting": result.toelichting,
        "taakgebieden": list(result.taakgebieden),
        "withdrawn": result.withdrawn,
        "replaced_by": result.replaced_by,
    }
    if detail:
        data["procestype_naam"] = sl.procestype(result.jaar, result.procestype).naam
        data["specifieke_resultaten"] = [r.volledig_nummer for r in _specifiek(result)]
    return data


def _emit(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))
