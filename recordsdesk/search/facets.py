"""Facets of a search: counts per value over everything a query finds, and filters on them.

Contract of :func:`facet_counts`:

* The counted set is :func:`service.matching` of the query and the filters: the
  indexed dossiers and records the search lists (every page), narrowed by every
  filter, including a facet's own selection. So selecting ``waardering=B``
  leaves that facet showing B alone: a drill-down, where each count is exactly
  the number of hits the search would give with that value added (one value
  per facet; values of one facet do not combine with OR).
* One SQL statement: the matching objects are materialised once (a CTE) and
  grouped per facet; the top ``top`` values per facet by count (ties by value)
  come back, never the hits themselves. ``FacetCounts.distinct`` says how many
  values a facet has in all, so a screen can say that more exist.
* Values are what a filter takes back (:meth:`FacetFilters.choose`); ``None`` is
  the bucket of objects without a value (it cannot be chosen). Labels are for
  people, translated when counted.

The facets (:data:`FACETS`), each on the object's own columns:

==================  =================================================================
documentjaar        year of the first day the object covers (``dekking_begin``, else
                    ``dekking_eind``, else the day it was filed; as ``datum:``). Choosing
                    a year filters on overlap, as ``datum:`` does: an object covering
                    2023-2024 counts under 2023 but is also found when 2024 is chosen
archiveringsjaar    year (UTC) it was filed (``created_at``)
dossier             the dossier: a dossier itself, a record its parent (kenmerk; naam)
aggregatieniveau    Dossier / Archiefstuk
documenttype        the kind of document (``documenttype``: the drop folder's document
                    type when it was filed, or a classificatie in the document types'
                    list set in the metadata)
woo_categorie       Woo information category (TOOI URI; its name)
archiefvormer       archiefvormer as stored
afdeling            the owning department (``department``; central archive)
selectielijst       Selectielijst result as ``JAAR/NUMMER`` (its name from the list)
waardering          B, V, N (in words)
beperking_gebruik   beperkingGebruik as stored
formaat             MIME type of the record's original files (dossiers have none)
==================  =================================================================
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    String,
    Table,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from recordsdesk.db.models import Bestand, Informatieobject, table_of
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.retention import selectielijst as lists
from recordsdesk.search import service
from recordsdesk.search.query import Query, parse
from recordsdesk.search.results import SearchFilters, covered_days
from recordsdesk.woo import find_informatiecategorie, informatiecategorieen

TOP = 20
FACETS: dict[str, str] = {  # key -> its name (a msgid), in the order a panel shows them
    "documentjaar": N_("Document date"),
    "archiveringsjaar": N_("Filing date"),
    "dossier": N_("Dossier"),
    "aggregatieniveau": N_("Aggregation level"),
    "documenttype": N_("Document type"),
    "woo_categorie": N_("Woo information category"),
    "archiefvormer": N_("Archiefvormer"),
    "afdeling": N_("Department"),
    "selectielijst": N_("Selectielijst result"),
    "waardering": N_("Appraisal"),
    "beperking_gebruik": N_("Access restriction"),
    "formaat": N_("File format"),
}
FILTER_KEYS = (*FACETS, "status")  # what choose() takes: the facets and the status
WAARDERING_LABELS = {
    "B": N_("Retain permanently"),
    "V": N_("Retain temporarily"),
    "N": N_("Appraisal to be determined"),
}
_FORMATS = {  # MIME type -> a short name; others are shown as their MIME type
    "application/pdf": "PDF",
    "message/rfc822": "E-mail (EML)",
    "application/vnd.ms-outlook": "E-mail (MSG)",
    "text/plain": "Tekst",
    "application/msword": "Word (DOC)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
    "application/vnd.ms-excel": "Excel (XLS)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (XLSX)",
    "application/vnd.oasis.opendocument.text": "OpenDocument (ODT)",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/tiff": "TIFF",
}
_IO = table_of(Informatieobject)
_BESTAND = table_of(Bestand)


@dataclass(frozen=True)
class FacetValue:
    value: str | None  # what FacetFilters.choose takes; None: objects without a value
    label: str
    count: int  # matching objects with this value


@dataclass(frozen=True)
class FacetCounts:
    key: str
    name: str  # translated
    values: tuple[FacetValue, ...]  # the top values, most first
    distinct: int  # values in all (None counts as one)


@dataclass(frozen=True)
class FacetFilters(SearchFilters):
    """:class:`SearchFilters` plus the facets it lacks; pass it wherever those go.

    ``archiefvormer``, ``afdeling``, ``documenttype``: equal to the column. ``selectielijst``:
    ``JAAR/NUMMER``. ``formaat``: a MIME type of one of the record's original
    files. ``filed_from``/``filed_to``: the UTC day it was filed (inclusive).
    The inherited ``date_from``/``date_to`` are the document date (``datum:``).
    """

    archiefvormer: str | None = None
    afdeling: str | None = None
    documenttype: str | None = None
    selectielijst: str | None = None
    formaat: str | None = None
    filed_from: dt.date | None = None
    filed_to: dt.date | None = None

    def conditions(self, connection: Connection, io: Table) -> list[ColumnElement[bool]]:
        out = super().conditions(connection, io)
        if self.archiefvormer is not None:
            out.append(io.c.archiefvormer == self.archiefvormer)
        if self.afdeling is not None:
            out.append(io.c.department == self.afdeling)
        if self.documenttype is not None:
            out.append(io.c.documenttype == self.documenttype)
        if self.selectielijst is not None:
            jaar, nummer = _selectielijst(self.selectielijst)
            out.append(and_(io.c.selectielijst_jaar == jaar, io.c.resultaat_nummer == nummer))
        if self.formaat is not None:
            out.append(
                exists().where(
                    _BESTAND.c.informatieobject_id == io.c.id,
                    _BESTAND.c.role == "original",
                    _BESTAND.c.mime == self.formaat,
                )
            )
        filed = _filed_day(connection, io)
        if self.filed_from is not None:
            out.append(filed >= _day(connection, self.filed_from))
        if self.filed_to is not None:
            out.append(filed <= _day(connection, self.filed_to))
        return out

    def choose(self, key: str, value: str) -> FacetFilters:
        """These filters with ``key`` (in FILTER_KEYS) set to ``value`` (a year for the dates)."""
        if key in ("documentjaar", "archiveringsjaar"):
            if not (value.isdigit() and len(value) == 4):
                raise UserError(N_("{facet} takes a year, such as 2024; not {value}."),
                                {"facet": key, "value": value})  # fmt: skip
            year = int(value)
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            if key == "documentjaar":
                return dataclasses.replace(self, date_from=first, date_to=last)
            return dataclasses.replace(self, filed_from=first, filed_to=last)
        if key not in FILTER_KEYS:
            raise UserError(N_("Unknown facet {facet}; choose one of: {facets}."),
                            {"facet": key, "facets": ", ".join(FILTER_KEYS)})  # fmt: skip
        if key == "selectielijst":  # refused now, not at the search
            _selectielijst(value)
        if key == "woo_categorie":
            find_informatiecategorie(value)
        changes: dict[str, Any] = {key: value}
        return dataclasses.replace(self, **changes)

    def choices(self) -> dict[str, str]:
        """Facet key -> value as :meth:`choose` takes them: choosing each of them on empty
        filters gives these filters back. Dates are facet values only as whole years:
        ValueError for any other range (not made by :meth:`choose`)."""
        out: dict[str, str] = {}
        for key, first, last in (
            ("documentjaar", self.date_from, self.date_to),
            ("archiveringsjaar", self.filed_from, self.filed_to),
        ):
            if first is None and last is None:
                continue
            if first is None or (first.month, first.day) != (1, 1):
                raise ValueError(f"{key}: not one whole year: {first} to {last}")
            if last != dt.date(first.year, 12, 31):
                raise ValueError(f"{key}: not one whole year: {first} to {last}")
            out[key] = str(first.year)
        for key in FILTER_KEYS:
            value = getattr(self, key, None)
            if key not in out and value is not None:
                out[key] = str(value)
        return out

    def to_json(self) -> dict[str, str]:
        """The filters that are set, as text (dates ISO); :meth:`from_json` reads it back."""
        out: dict[str, str] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if value is not None:
                out[field.name] = value.isoformat() if isinstance(value, dt.date) else str(value)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FacetFilters:
        known = {f.name: f for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name not in known or value is None:
                continue  # a filter of a later version is left out, not refused
            is_date = name.endswith(("_from", "_to"))
            values[name] = dt.date.fromisoformat(value) if is_date else str(value)
        return cls(**values)


def facet_counts(
    target: Session | Connection, text: str | Query, filters: SearchFilters | None = None,
    *, top: int = TOP, only: Collection[str] | None = None,
) -> dict[str, FacetCounts]:  # fmt: skip
    """Counts per facet value over what the query and filters find; see the module contract.

    ``only``: these facet keys (a panel's open sections), in FACETS order; None: all.
    Reads the index as it is (no refresh). QueryError/UserError as :func:`service.search`.
    """
    keys = [key for key in FACETS if only is None or key in only]
    if only is not None and (unknown := sorted(set(only).difference(FACETS))):
        raise UserError(N_("Unknown facet {facet}; choose one of: {facets}."),
                        {"facet": ", ".join(unknown), "facets": ", ".join(FACETS)})  # fmt: skip
    if not keys:
        return {}
    query = parse(text) if isinstance(text, str) else text
    connection = target.connection() if isinstance(target, Session) else target
    found = service.matching(connection, query, filters).subquery("found")
    first_day, _last = covered_days(connection, _IO)
    dossier_id = case((_IO.c.aggregatieniveau == "Dossier", _IO.c.id), else_=_IO.c.parent_id)
    matched = (
        select(
            _IO.c.id,
            _year(connection, first_day).label("documentjaar"),
            _year(connection, _filed_day(connection, _IO)).label("archiveringsjaar"),
            dossier_id.label("dossier"),
            *(
                _IO.c[c]
                for c in ("aggregatieniveau", "documenttype", "archiefvormer", "waardering")
            ),
            _IO.c.woo_informatiecategorie.label("woo_categorie"),
            _IO.c.department.label("afdeling"),
            (cast(_IO.c.selectielijst_jaar, String) + "/" + _IO.c.resultaat_nummer).label(
                "selectielijst"
            ),
            _IO.c.beperking_gebruik,
        )
        .join_from(_IO, found, _IO.c.id == found.c.object_id)
        .cte("matched")
        .prefix_with("MATERIALIZED")  # grouped once per facet: read the index once
    )
    branches = [
        select(
            literal(key).label("facet"),
            cast(matched.c[key], String).label("value"),
            func.count().label("n"),
        ).group_by(matched.c[key])
        for key in keys
        if key != "formaat"
    ]  # the dossier as its id: kenmerk and naam are read for the top values only
    if "formaat" in keys:
        per_record = func.count(_BESTAND.c.informatieobject_id.distinct())
        branches.append(
            select(literal("formaat"), _BESTAND.c.mime, per_record)
            .join_from(matched, _BESTAND, _BESTAND.c.informatieobject_id == matched.c.id)
            .where(_BESTAND.c.role == "original")
            .group_by(_BESTAND.c.mime)
        )
    counted = union_all(*branches).subquery("counted")
    ranked = select(
        counted,
        func.row_number()
        .over(partition_by=counted.c.facet, order_by=(counted.c.n.desc(), counted.c.value))
        .label("rn"),
        func.count().over(partition_by=counted.c.facet).label("distinct"),
    ).subquery("ranked")
    rows = connection.execute(
        select(ranked).where(ranked.c.rn <= max(1, top)).order_by(ranked.c.facet, ranked.c.rn)
    ).all()
    per_facet: dict[str, list[tuple[str | None, int]]] = {key: [] for key in keys}
    distinct = dict.fromkeys(keys, 0)
    for row in rows:
        per_facet[row.facet].append((row.value, int(row.n)))
        distinct[row.facet] = int(row.distinct)
    names = _dossier_names(connection, per_facet)
    return {
        key: FacetCounts(
            key,
            _(FACETS[key]),
            tuple(FacetValue(v, _label(key, v, names), n) for v, n in per_facet[key]),
            distinct[key],
        )
        for key in keys
    }


def _label(key: str, value: str | None, dossiers: dict[str, str]) -> str:
    if value is None:
        return _("(none)")
    if key == "waardering" and value in WAARDERING_LABELS:
        return _(WAARDERING_LABELS[value])
    if key == "woo_categorie":
        for category in informatiecategorieen():
            if category.uri == value:
                return category.naam
    if key == "dossier":
        return f"{value} {dossiers[value]}" if value in dossiers else value
    if key == "formaat":
        return _FORMATS.get(value, value)
    if key == "selectielijst":
        return _resultaat_naam(value)
    return value


def _resultaat_naam(value: str) -> str:
    jaar, nummer = _selectielijst(value)
    try:
        return f"{nummer} {lists.resultaat(jaar, nummer).naam} ({jaar})"
    except (UserError, LookupError, lists.SelectielijstDataError):
        return value  # a list this installation does not ship: the number alone


def _selectielijst(value: str) -> tuple[int, str]:
    jaar, _slash, nummer = value.partition("/")
    if not (jaar.isdigit() and len(jaar) == 4 and nummer.strip()):
        raise UserError(N_("A Selectielijst result is written JAAR/NUMMER, as in 2020/1.1; "
                           "not {value}."), {"value": value})  # fmt: skip
    return int(jaar), nummer.strip()


def _dossier_names(
    connection: Connection, per_facet: dict[str, list[tuple[str | None, int]]]
) -> dict[str, str]:
    """Turn the dossier facet's ids into kenmerken (in place); kenmerk -> naam."""
    ids = [str(uuid.UUID(v)) for v, _n in per_facet.get("dossier", []) if v is not None]
    if not ids:
        return {}
    rows = connection.execute(
        select(_IO.c.id, _IO.c.kenmerk, _IO.c.naam).where(_IO.c.id.in_(ids))
    ).all()
    kenmerken = {str(uuid.UUID(str(r.id))): r.kenmerk for r in rows}
    per_facet["dossier"] = [
        (None if v is None else kenmerken.get(str(uuid.UUID(v)), v), n)
        for v, n in per_facet["dossier"]
    ]
    return {r.kenmerk: r.naam for r in rows}


def _filed_day(connection: Connection, io: Table) -> ColumnElement[Any]:
    if connection.dialect.name == "sqlite":
        return func.date(io.c.created_at)
    return func.date(func.timezone("UTC", io.c.created_at))


def _year(connection: Connection, day: ColumnElement[Any]) -> ColumnElement[Any]:
    if connection.dialect.name == "sqlite":  # dates are ISO text there
        return func.substr(day, 1, 4)
    return func.to_char(day, "YYYY")


def _day(connection: Connection, day: dt.date) -> Any:
    return literal(day.isoformat()) if connection.dialect.name == "sqlite" else literal(day)
