"""How a received MDTO informatieobject becomes RecordsDesk rows, for :mod:`importing`.

Whether it fits (:func:`fit`, step 1 of the import, before anything is
written): an aggregatieniveau one of Archief/Serie/Dossier/Archiefstuk, an
Archiefstuk part of another object, waardering B/V/N, and the lengths of the
columns derived from the metadata. Each problem names the element it comes from.

What the rows hold (the helpers here, called by
:func:`recordsdesk.services.importing.import_mdto` inside its one transaction):

* ``informatieobject.mdto``: the metadata as received (``stored.dumps``, nothing
  inherited: MDTO materialises every value), with our identificatie first. An
  object keeps its kenmerk when the package is our own (an identificatie with
  bron ``RecordsDesk``, a valid kenmerk of the object's kind that is free here
  and that this store cannot issue itself later); otherwise it gets a new
  kenmerk (``D`` for Archief, Serie and Dossier, ``S`` for an Archiefstuk) and
  keeps the package's identificatie(s) after ours. The flat columns are
  derived from it (``stored.derive_columns``). Hierarchy and representations
  come from the rows (``parent_id``, the bestand rows), as for every object.
* ``bestand``: content from the store; ``mdto`` the bestand as received, with
  our identificatie (the row id) first, so ``heeftRepresentatie`` and the
  bestand's own identificatie agree in a later export. A bestand keeps its id
  when its identificatie is ours (bron ``RecordsDesk``, a free UUID).
  ``created_at`` steps by a microsecond (:data:`STEP`) in ``heeftRepresentatie``
  order, which is the order an export writes them in.
* ``event``: each received event verbatim in ``mdto`` (its ``eventTijd`` may be a
  year or a date). ``event_tijd`` is the time it names (local time when it has
  no offset, as MDTO files are written), stepped by a microsecond where needed
  so that the received order is the stored order.

:data:`CHUNK` is how many objects the transaction flushes and lets go of at a
time, and how many values one look-up of taken kenmerken and ids asks for.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from recordsdesk import kenmerk
from recordsdesk.db.models import (
    AGGREGATIENIVEAUS,
    DEFAULT_BEPERKING,
    DEFAULT_BRON,
    WAARDERINGEN,
    Bestand,
    Event,
    Informatieobject,
    table_of,
)
from recordsdesk.i18n import N_
from recordsdesk.mdto import begrippen, mapping, model, schema, stored
from recordsdesk.mdto.importer import Plan, PlannedObject
from recordsdesk.mdto.package_walk import PackageProblem
from recordsdesk.services.dossiers import RECORD
from recordsdesk.services.workspace import Workspace

LEVEL_MISSING = N_(
    "The informatieobject has no aggregatieniveau; RecordsDesk needs one of {allowed}."
)
LEVEL_UNKNOWN = N_("The aggregatieniveau {value} cannot be kept here; RecordsDesk keeps {allowed}.")
LOOSE_RECORD = N_(
    "An Archiefstuk must be part of an object in the package (isOnderdeelVan); "
    "RecordsDesk keeps no loose archiefstukken."
)
WAARDERING_UNKNOWN = N_("The waardering {value} is not one of B, V or N.")
TOO_LONG = N_("{element} is {length} characters long; RecordsDesk keeps at most {limit} here.")

# derived column -> the element it comes from (for the problem's path)
# derived column -> the element it comes from (for the problem's path)
_COLUMN_ELEMENTS = {
    "naam": "naam",
    "classificatie": "classificatie/begripLabel",
    "informatiecategorie": "informatiecategorie/begripLabel",
    "bewaartermijn": "bewaartermijn/termijnLooptijd",
    "archiefvormer": "archiefvormer/verwijzingNaam",
    "activiteit": "activiteit/verwijzingNaam",
    "beperking_gebruik": "beperkingGebruik/beperkingGebruikType/begripLabel",
}
STEP = dt.timedelta(microseconds=1)
CHUNK = 500  # objects flushed and let go of at a time
_PARTIAL_DATE = re.compile(r"^(-?\d{4,})(?:-(\d{2}))?(?:-(\d{2}))?(Z|[+-]\d{2}:\d{2})?$")


# -- does it fit this archive? -------------------------------------------------


def fit(obj: PlannedObject) -> tuple[str, list[PackageProblem]]:
    """The object's aggregatieniveau as we spell it, and what keeps it from our rows."""
    problems: list[PackageProblem] = []
    root = "/MDTO/informatieobject"
    allowed = ", ".join(AGGREGATIENIVEAUS)

    def problem(msgid: str, params: dict[str, str], path: str) -> None:
        problems.append(PackageProblem(obj.source, schema.Problem(msgid, params, path=path)))

    level = ""
    if obj.meta.aggregatieniveau is None:
        problem(LEVEL_MISSING, {"allowed": allowed}, f"{root}/aggregatieniveau")
    else:
        label = obj.meta.aggregatieniveau.label.strip()
        level = next((a for a in AGGREGATIENIVEAUS if a.casefold() == label.casefold()), "")
        if not level:
            problem(LEVEL_UNKNOWN, {"value": label, "allowed": allowed}, f"{root}/aggregatieniveau")
    if level == RECORD and obj.parent is None:
        problem(LOOSE_RECORD, {}, f"{root}/isOnderdeelVan")
    if _waardering(obj.meta) is None:
        shown = obj.meta.waardering.code or obj.meta.waardering.label
        problem(WAARDERING_UNKNOWN, {"value": shown}, f"{root}/waardering")
    table = table_of(Informatieobject)
    for column, value in stored.derive_columns(obj.meta).items():
        limit = getattr(table.c[column].type, "length", None)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            element = _COLUMN_ELEMENTS.get(column, column)
            params = {"element": element, "length": str(len(value)), "limit": str(limit)}
            problem(TOO_LONG, params, f"{root}/{element}")
    return level, problems


def _waardering(meta: model.Informatieobject) -> str | None:
    """B, V or N: the begripCode, else the code its label has in the MDTO list."""
    code = (meta.waardering.code or "").strip()
    if code in WAARDERINGEN:
        return code
    found = begrippen.get("waardering").by_label_ignoring_case(meta.waardering.label.strip())
    return found.code if found is not None and found.code in WAARDERINGEN else None


# -- what the rows hold ---------------------------------------------------------


def _kind(level: str) -> str:
    return "S" if level == RECORD else "D"


def kenmerken(
    ws: Workspace, session: Session, plan: Plan, levels: Sequence[str]
) -> list[tuple[str, bool]]:
    """(kenmerk, kept) per object: its own RecordsDesk kenmerk where it may keep it."""
    wanted = [
        _own_kenmerk(obj.meta, _kind(level))
        for obj, level in zip(plan.objects, levels, strict=True)
    ]
    candidates = [k for k in wanted if k is not None]
    taken = _existing(session, Informatieobject.kenmerk, candidates)
    next_sequence = int(ws.setting(session, "next_sequence", "1"))
    keep = [
        k is not None and k not in taken and not _ours_to_issue(k, ws.station, next_sequence)
        for k in wanted
    ]
    fresh: dict[str, list[str]] = {}
    for kind in ("D", "S"):
        count = sum(
            1 for level, kept in zip(levels, keep, strict=True) if not kept and _kind(level) == kind
        )
        fresh[kind] = ws.next_kenmerken(session, kind, count) if count else []
    result = []
    for own, kept, level in zip(wanted, keep, levels, strict=True):
        if kept and own is not None:
            result.append((own, True))
        else:
            result.append((fresh[_kind(level)].pop(0), False))
    return result


def _own_kenmerk(meta: model.Informatieobject, kind: str) -> str | None:
    for ident in meta.identificatie:
        valid = ident.bron == DEFAULT_BRON and kenmerk.is_valid(ident.kenmerk)
        if valid and ident.kenmerk.startswith(f"{kind}-"):
            return ident.kenmerk
    return None


def _ours_to_issue(value: str, station: str, next_sequence: int) -> bool:
    """True for a kenmerk this store will issue itself later (same station, sequence
    not yet reached): keeping it would make a later dossier or record collide."""
    _kind_part, value_station, rest = value.split("-")
    return value_station == station and kenmerk.decode(rest[:-1]) >= next_sequence


def ours_first(meta: model.Informatieobject, given: str) -> tuple[model.Identificatie, ...]:
    """Our identificatie first, then the package's others (ours once)."""
    ours = model.Identificatie(given, DEFAULT_BRON)
    others = tuple(i for i in meta.identificatie if i != ours)
    return (ours, *others)


def bestand_ids(session: Session, plan: Plan) -> list[str]:
    """The id of each bestand, in ``plan.bestanden`` order: its own RecordsDesk id
    where it has one that is free here, else a new one."""
    wanted = [
        next(
            (
                i.kenmerk
                for i in item.meta.identificatie
                if i.bron == mapping.OWN_SOURCE and _is_uuid(i.kenmerk)
            ),
            None,
        )
        for item in plan.bestanden
    ]
    taken = _existing(session, Bestand.id, [v for v in wanted if v is not None])
    result: list[str] = []
    for own in wanted:
        if own is not None and own not in taken:
            taken.add(own)  # once: a second bestand with the same id gets a new one
            result.append(own)
        else:
            result.append(str(uuid.uuid4()))
    return result


def _existing(
    session: Session, column: InstrumentedAttribute[str], values: Sequence[str]
) -> set[str]:
    """The ``values`` already in ``column``, asked a chunk at a time (SQLite and
    PostgreSQL cap the parameters of one statement)."""
    found: set[str] = set()
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        found.update(session.scalars(select(column).where(column.in_(chunk))))
    return found


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def ours_first_bestand(meta: model.Bestand, given: str) -> tuple[model.Identificatie, ...]:
    ours = model.Identificatie(given, mapping.OWN_SOURCE)
    return (ours, *(i for i in meta.identificatie if i != ours))


def apply_columns(row: Informatieobject, meta: model.Informatieobject) -> None:
    for column, value in stored.derive_columns(meta).items():
        if column == "aggregatieniveau":
            continue  # ours, normalised above
        setattr(row, column, value)
    row.waardering = _waardering(meta) or "N"  # checked before: never the fallback
    if row.beperking_gebruik is None:  # the XSD requires one; defensive
        row.beperking_gebruik = DEFAULT_BEPERKING


def event_row(row: Informatieobject, event: model.Event, at: dt.datetime) -> Event:
    actor = event.verantwoordelijke_actor.naam if event.verantwoordelijke_actor else None
    return Event(
        id=str(uuid.uuid4()),
        informatieobject=row,
        event_type=event.type.label[:60],  # a summary: the event itself is in mdto
        event_tijd=at,
        verantwoordelijke_actor=actor[:200] if actor else None,
        resultaat=event.resultaat,
        mdto=json.dumps(model.to_json(event), ensure_ascii=False, separators=(",", ":")),
    )


def event_times(events: Iterable[model.Event], now: dt.datetime) -> list[dt.datetime]:
    """The time of each event, strictly increasing in the order received (see the
    module contract); an event without a readable time takes its predecessor's."""
    parsed = [_moment(e.tijd) for e in events]
    known = [p for p in parsed if p is not None]
    previous: dt.datetime | None = None
    result = []
    for moment in parsed:
        if moment is None:
            moment = previous or (known[0] if known else now)
        if previous is not None and moment <= previous:
            moment = previous + STEP
        result.append(moment)
        previous = moment
    return result


def _moment(value: str | None) -> dt.datetime | None:
    """An ``xs:dateTime``, ``xs:date``, ``gYearMonth`` or ``gYear`` as a UTC moment;
    without an offset it is local time (how MDTO files are written)."""
    if not value:
        return None
    text = value.strip()
    try:
        if "T" in text:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        else:
            found = _PARTIAL_DATE.match(text)
            if found is None:
                return None
            year, month, day, zone = found.groups()
            moment = dt.datetime(int(year), int(month or 1), int(day or 1))
            if zone:
                offset = dt.datetime.fromisoformat(
                    f"2000-01-01T00:00:00{zone.replace('Z', '+00:00')}"
                )
                moment = moment.replace(tzinfo=offset.tzinfo)
        if moment.tzinfo is None:
            moment = moment.astimezone()
        return moment.astimezone(dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None
