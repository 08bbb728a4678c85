"""Reading and saving the full MDTO metadata of a dossier or record (the metadata editor).

Contracts:

* :func:`load_metadata` returns a :class:`MetadataView`: the object's own values,
  which fields it inherits from its dossier and the dossier's values for them,
  the effective (materialised) metadata an export writes, the technical
  metadata of its files (read-only, from the store) and the problems the
  effective metadata has now.
* :func:`check_metadata` is what the editor calls while the user types: every
  problem at once (official XSD and :mod:`recordsdesk.mdto.rules`), each with
  its element path. Pure: no database.
* :func:`save_metadata` saves in one transaction: the stored document, the
  derived columns, the derived columns of records that inherit from a changed
  dossier, an MDTO ``Wijziging`` event naming the changed elements and an audit
  row. It refuses (and changes nothing) when the metadata has problems, when
  the object changed since it was loaded (``expected_version``), or when the
  object is destroyed or transferred. A closed (frozen) dossier or record is
  changed only by a records manager, audited as such, and never in the
  elements its classification decides (waardering, bewaartermijn,
  informatiecategorie: reopen and classify again for those). Our own
  identificatie and the aggregatieniveau are the archive's: they are put back
  if the caller changed them.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from recordsdesk import audit
from recordsdesk.changes import Changes
from recordsdesk.db.models import Event, Informatieobject
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.i18n import N_
from recordsdesk.mdto import inherit, mapping, model, rules, schema, stored, xmlio
from recordsdesk.services import roles
from recordsdesk.services.events import record_event
from recordsdesk.services.organisation import organisation
from recordsdesk.services.workspace import Workspace


class MetadataProblems(UserError):
    """Saving was refused because the metadata has problems; ``problems`` lists them all."""

    def __init__(self, problems: Sequence[schema.Problem]) -> None:
        super().__init__(
            N_("The metadata has {count} problem(s); nothing was saved."),
            {"count": str(len(problems))},
        )
        self.problems = tuple(problems)


@dataclass(frozen=True)
class MetadataView:
    """One object's metadata as the editor shows it (safe to hand to another thread)."""

    object_id: str
    kenmerk: str
    aggregatieniveau: str
    status: str
    version: int
    own: model.Informatieobject  # the object's own values; system fields empty
    inherits: frozenset[str]  # fields (inherit.INHERITABLE) taken from the parent
    parent_kenmerk: str | None
    parent: model.Informatieobject | None  # the parent's effective values
    effective: model.Informatieobject  # what an export writes, system fields filled
    bestanden: tuple[model.Bestand, ...]  # read-only: from the store
    problems: tuple[schema.Problem, ...]
    lists: tuple[str, ...] = ()  # value lists the editor offers (setting mdto.lists)
    may_edit_closed: bool = False  # the acting user is a records manager

    @property
    def editable(self) -> bool:
        return self.status == "open" or (self.status == "closed" and self.may_edit_closed)


def load_metadata(ws: Workspace, object_id: str) -> MetadataView:
    """The metadata of the dossier or record ``object_id``."""
    with ws.readers() as session:
        view = _view(session, _get(session, object_id))
        manager = roles.has_role(session, ws.actor, roles.RECORDS_MANAGER)
        return dataclasses.replace(view, may_edit_closed=manager)


def check_metadata(
    own: model.Informatieobject,
    inherits: Iterable[str],
    parent: model.Informatieobject | None,
    system: model.Informatieobject | None = None,
) -> list[schema.Problem]:
    """Every problem of the metadata ``own`` would give, materialised with ``parent``'s
    values for ``inherits``; ``system`` supplies the archive-owned fields (events,
    hierarchy, files) of the stored object, if any."""
    meta = inherit.effective(own, inherits, parent)
    if system is not None:
        meta = dataclasses.replace(
            meta, **{name: getattr(system, name) for name in stored.SYSTEM_FIELDS}
        )
    return [*schema.validate_element(xmlio.to_element(meta)), *rules.check(meta)]


def save_metadata(
    ws: Workspace,
    object_id: str,
    own: model.Informatieobject,
    inherits: Iterable[str],
    *,
    expected_version: int,
) -> tuple[MetadataView, Changes]:
    """Save ``own`` (and which fields are inherited) for ``object_id``; see the module contract."""
    inherits = frozenset(inherits)
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        row = _get(session, object_id)
        if row.version != expected_version:
            raise UserError(
                N_(
                    "{kenmerk} was changed by someone else after you opened it; "
                    "reload it and make your change again."
                ),
                {"kenmerk": row.kenmerk},
            )
        frozen = row.status == "closed"
        if row.status not in ("open", "closed"):
            raise UserError(
                N_("{kenmerk} is closed; its metadata can no longer be changed here."),
                {"kenmerk": row.kenmerk},
            )
        if frozen:
            roles.require(session, ws.actor, roles.RECORDS_MANAGER)
        parent = _parent(session, row)
        before = mapping.own_metadata(row, parent)
        own = _keep_archive_fields(own, row)
        if parent is None:
            inherits = frozenset()
        view_before = _view(session, row, parent)
        changed = _changed(before, own, inherits)
        if frozen and (decided := sorted(set(changed) & CLASSIFICATION_ELEMENTS)):
            raise UserError(
                N_(
                    "{kenmerk} is closed: {elements} follow from its classification; reopen "
                    "it and classify it again to change them."
                ),
                {"kenmerk": row.kenmerk, "elements": ", ".join(decided)},
            )
        problems = check_metadata(own, inherits, view_before.parent, view_before.effective)
        if problems:
            raise MetadataProblems(problems)
        if not changed:
            return view_before, Changes()
        children = fix_inherits(session, row) if parent is None else []
        row.mdto = stored.dumps(own, inherits)
        effective = inherit.effective(own, inherits, view_before.parent)
        _apply_columns(row, effective)
        row.updated_at = now
        touched = {row.id}
        for record in children:
            refresh_child(record, effective)
            touched.add(record.id)
        session.flush()
        result = ", ".join(changed)
        if frozen:
            result += " (na afsluiten, door archiefbeheerder)"
        record_event(session, ws, row.id, "Wijziging", now, result)
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="metadata.changed_after_closing" if frozen else "metadata.changed",
            object_type="informatieobject",
            object_id=row.id,
            details={"kenmerk": row.kenmerk, "elements": changed},
        )
        session.flush()
        view = _view(session, row, parent)
    if parent is None:
        return view, Changes(
            dossiers=frozenset({row.id}), records=frozenset(touched - {row.id}), audit=True
        )
    return view, Changes(records=frozenset({row.id}), audit=True)


#: what classifying decides on a dossier (MDTO element names); frozen once it is closed
CLASSIFICATION_ELEMENTS = frozenset({"waardering", "bewaartermijn", "informatiecategorie"})


def _get(session: Session, object_id: str) -> Informatieobject:
    row = session.get(Informatieobject, object_id)
    if row is None:
        raise NotFoundError(N_("No dossier or record with id {id}."), {"id": object_id})
    return row


def _parent(session: Session, row: Informatieobject) -> Informatieobject | None:
    return session.get(Informatieobject, row.parent_id) if row.parent_id else None


def _view(
    session: Session, row: Informatieobject, parent: Informatieobject | None = None
) -> MetadataView:
    if parent is None and row.parent_id:
        parent = _parent(session, row)
    own = mapping.own_metadata(row, parent)
    parent_meta = mapping.effective_metadata(parent, None) if parent is not None else None
    events = session.scalars(
        select(Event).where(Event.informatieobject_id == row.id).order_by(Event.event_tijd)
    ).all()
    children = [] if parent is not None else _children(session, row.id)
    bestanden = list(row.bestanden)
    effective = mapping.informatieobject(
        row, parent=parent, children=children, bestanden=bestanden, events=events
    )
    return MetadataView(
        object_id=row.id,
        kenmerk=row.kenmerk,
        aggregatieniveau=row.aggregatieniveau,
        status=row.status,
        version=row.version,
        own=own.meta,
        inherits=own.inherits,
        parent_kenmerk=parent.kenmerk if parent is not None else None,
        parent=parent_meta,
        effective=effective,
        bestanden=tuple(mapping.bestand(b, row) for b in bestanden),
        problems=tuple(
            [*schema.validate_element(xmlio.to_element(effective)), *rules.check(effective)]
        ),
        lists=organisation(session).lists,
    )


def _children(session: Session, parent_id: str) -> list[model.Verwijzing]:
    rows = session.execute(
        select(Informatieobject.naam, Informatieobject.kenmerk, Informatieobject.identificatie_bron)
        .where(Informatieobject.parent_id == parent_id)
        .order_by(Informatieobject.kenmerk)
    ).all()
    return [
        model.Verwijzing(r.naam, model.Identificatie(r.kenmerk, r.identificatie_bron)) for r in rows
    ]


def _keep_archive_fields(
    own: model.Informatieobject, row: Informatieobject
) -> model.Informatieobject:
    """Our identificatie first, the aggregatieniveau as stored: the archive's, not the editor's."""
    ours = model.Identificatie(row.kenmerk, row.identificatie_bron)
    others = tuple(i for i in own.identificatie if i != ours)
    level = mapping.concept("aggregatieniveau", row.aggregatieniveau)
    return stored.without_system_fields(
        dataclasses.replace(own, identificatie=(ours, *others), aggregatieniveau=level)
    )


def _changed(
    before: stored.StoredMeta, own: model.Informatieobject, inherits: frozenset[str]
) -> list[str]:
    """The MDTO names of the elements whose value or inheritance changed, in XSD order."""
    names = []
    for f in model.declared(model.Informatieobject):
        if f.name in stored.SYSTEM_FIELDS:
            continue
        old, new = getattr(before.meta, f.name), getattr(own, f.name)
        moved = (f.name in before.inherits) != (f.name in inherits)
        if moved or _json(old) != _json(new):
            names.append(f.metadata["mdto"])
    return names


def _json(value: object) -> str:
    tree = [model.to_json(v) for v in value] if isinstance(value, tuple) else model.to_json(value)
    return json.dumps(tree, sort_keys=True, ensure_ascii=False)


def _apply_columns(row: Informatieobject, effective: model.Informatieobject) -> None:
    for column, value in stored.derive_columns(effective).items():
        if column == "aggregatieniveau":
            continue  # the archive's, never the metadata's
        if column == "beperking_gebruik" and value is None:
            continue  # required by MDTO: the check above already refused its absence
        setattr(row, column, value)


def fix_inherits(session: Session, dossier: Informatieobject) -> list[Informatieobject]:
    """The records of ``dossier`` that inherit anything, each with what it inherits fixed
    in its stored document. Called before the dossier changes: a record never edited
    inherits the fields whose columns equal the dossier's *current* ones."""
    records = session.scalars(
        select(Informatieobject).where(Informatieobject.parent_id == dossier.id)
    ).all()
    inheriting = []
    for record in records:
        mine = mapping.own_metadata(record, dossier)
        if record.mdto is None:
            record.mdto = stored.dumps(mine.meta, mine.inherits)
        if mine.inherits:
            inheriting.append(record)
    return inheriting


def refresh_child(record: Informatieobject, dossier: model.Informatieobject) -> None:
    """A record's columns after its dossier changed: inherited values are the dossier's."""
    kept = stored.loads(record.mdto or "")
    _apply_columns(record, inherit.effective(kept.meta, kept.inherits, dossier))
