"""The documents of a Woo export package, one at a time (used by
:mod:`recordsdesk.archive.woo.export`, whose docstring has the contract).

:func:`pages` reads the documents in scope a page at a time with everything the
package needs of them; :class:`Builder` checks each document against its
judgement, writes its published file, DiWoo and MDTO, and its inventory row.
The redaction step and its text check live in :mod:`recordsdesk.archive.woo.publish`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from recordsdesk.archive.woo import diwoo, publish, redactions, scope
from recordsdesk.archive.woo.gronden import parse_gronden
from recordsdesk.archive.woo.inventory import InventoryWriter, Row
from recordsdesk.archive.woo.merged import MergedWriter
from recordsdesk.db.models import Bestand, Event, Informatieobject, WooAssessment
from recordsdesk.errors import RecordsDeskError, UserError
from recordsdesk.i18n import N_, _
from recordsdesk.mdto import mapping, profiles, rules, tooi, xmlio
from recordsdesk.mdto import schema as mdto_schema
from recordsdesk.services.organisation import Organisation
from recordsdesk.services.workspace import Workspace
from recordsdesk.woo import informatiecategorieen

if TYPE_CHECKING:
    from recordsdesk.archive.woo.export import ExportReport

DOCUMENTS, DIWOO, MDTO = "documenten", "diwoo", "mdto"
README, SUMS = "LEESMIJ.txt", "SHA256SUMS"
PAGE = 200
MAIL = ("message/rfc822", "application/vnd.ms-outlook")

NOT_ASSESSED = N_("not assessed")
NO_AREAS = N_("judged deels openbaar, but no redaction areas are recorded")
SEVERAL_FILES = N_("its redaction areas lie on more than one file; keep them on one PDF")
GROUND_NOT_ASSESSED = N_(
    "a redaction area cites ground {grond}, which is not among its weigeringsgronden ({gronden})"
)
NO_FILE = N_("it has no file to publish")
NO_CATEGORY = N_("it has no Woo information category; set one (recordsdesk woo category)")
ENCRYPTED_PUBLIC = N_("its PDF is protected with a password; publish an unprotected copy")
DAMAGED_CONTENT = N_("its stored content is damaged ({reason}); restore it first")
INVALID_METADATA = N_("its {kind} metadata is not valid: {detail}")


@dataclass(frozen=True)
class ExportProblem:
    """Why one document stopped the package (or a remark on it): msgid and parameters."""

    kenmerk: str
    msgid: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    def text(self) -> str:
        return _(self.msgid).format(**self.params)

    def to_json(self) -> dict[str, Any]:
        return {"kenmerk": self.kenmerk, "msgid": self.msgid, "params": self.params,
                "message": self.text()}  # fmt: skip


@dataclass(frozen=True)
class RequestFacts:
    id: str
    nummer: str
    onderwerp: str
    ontvangen_op: dt.date
    status: str
    besluit: str | None


@dataclass
class Item:
    """One document in scope with what the package needs of it (detached rows)."""

    kenmerk: str
    dossier: str
    record: Informatieobject
    parent: Informatieobject | None
    assessment: WooAssessment | None
    files: list[Bestand]
    events: list[Event]
    areas: list[redactions.RedactionInfo]


def pages(ws: Workspace, info: RequestFacts) -> Iterator[list[Item]]:
    """The documents in scope in inventory order, :data:`PAGE` at a time."""
    after: tuple[str, str] | None = None
    while True:
        refs = scope.document_page(ws, info.nummer, after=after, limit=PAGE)
        if refs:
            yield _load(ws, info, refs)
        if len(refs) < PAGE:
            return
        after = refs[-1].position


def _load(ws: Workspace, info: RequestFacts, refs: list[scope.DocumentRef]) -> list[Item]:
    ids = [ref.id for ref in refs]
    with ws.readers() as session:
        found = session.scalars(select(Informatieobject).where(Informatieobject.id.in_(ids)))
        records = {r.id: r for r in found}
        parent_ids = {r.parent_id for r in records.values() if r.parent_id}
        found = session.scalars(select(Informatieobject).where(Informatieobject.id.in_(parent_ids)))
        parents = {p.id: p for p in found}
        assessed = session.scalars(
            select(WooAssessment).where(
                WooAssessment.request_id == info.id, WooAssessment.informatieobject_id.in_(ids)
            )
        )
        judged = {a.informatieobject_id: a for a in assessed}
        files: dict[str, list[Bestand]] = {}
        query = select(Bestand).where(Bestand.informatieobject_id.in_(ids))
        for bestand in session.scalars(query.order_by(Bestand.created_at, Bestand.id)):
            files.setdefault(bestand.informatieobject_id, []).append(bestand)
        events: dict[str, list[Event]] = {}
        query_events = select(Event).where(Event.informatieobject_id.in_(ids))
        for event in session.scalars(query_events.order_by(Event.event_tijd, Event.id)):
            events.setdefault(event.informatieobject_id, []).append(event)
        areas: dict[str, list[redactions.RedactionInfo]] = {}
        by_kenmerk = {r.kenmerk: r.id for r in records.values()}
        for area in redactions.redactions_for(session, info.id, info.nummer, ids):
            areas.setdefault(by_kenmerk[area.kenmerk], []).append(area)
        session.expunge_all()
    items = []
    for ref in refs:
        record = records.get(ref.id)
        if record is None:  # gone since the page was read
            continue
        parent = parents.get(record.parent_id or "")
        items.append(
            Item(ref.kenmerk, ref.dossier_kenmerk, record, parent, judged.get(ref.id),
                 files.get(ref.id, []), events.get(ref.id, []), areas.get(ref.id, []))
        )  # fmt: skip
    return items


class Builder:
    """Writes each document's part of the package into ``folder``; see the export contract."""

    def __init__(
        self,
        ws: Workspace,
        info: RequestFacts,
        org: Organisation,
        profile: profiles.Profile,
        folder: Path,
        report: ExportReport,
    ) -> None:
        self.ws, self.info, self.org, self.profile = ws, info, org, profile
        self.folder, self.report = folder, report
        # the checksum list is written as files are (a dict of 150,000 names would not be)
        self._sums = (folder / SUMS).open("w", encoding="utf-8", newline="\n")
        self.categories = {c.uri: c for c in informatiecategorieen()}
        self.gronden: set[str] = set()

    def add(
        self, item: Item, inventory: InventoryWriter, merged: MergedWriter, *, write: bool
    ) -> None:
        """Check ``item``; unless ``write`` is False, write its files; always its row."""
        report = self.report
        report.documents += 1
        judged = item.assessment
        beoordeling = judged.beoordeling if judged is not None else ""
        primary = _primary(item.files)
        kind = diwoo.file_type(primary.mime) if primary is not None else None
        shown = kind[0] if kind else (primary.mime if primary is not None else "")
        problems = self._check(item)
        if not problems and beoordeling in ("openbaar", "deels_openbaar") and write:
            try:
                shown = self._publish(item, merged)
            except UserError as error:
                problems.append((error.msgid, error.params))
        report.problems.extend(_problem(item, m, p) for m, p in problems)
        if judged is not None and judged.gronden:
            self.gronden.update(parse_gronden(judged.gronden))
        report.withheld += beoordeling == "niet_openbaar"
        report.already_public += beoordeling == "reeds_openbaar"
        record = item.record
        gronden, note, link = (
            (judged.gronden, judged.toelichting, judged.publieke_link) if judged else (None,) * 3
        )
        row = Row(item.kenmerk, record.naam, _date(record), shown, beoordeling, gronden, note,
                  item.dossier, link)  # fmt: skip
        inventory.add(row)

    def finish(self, extra: list[str]) -> None:
        """Write LEESMIJ.txt and finish SHA256SUMS with ``extra`` (the inventory lists and the
        merged PDF, written after the documents) and the LEESMIJ itself."""
        text = publish.readme(self.info, self.org, self.report, sorted(self.gronden),
                              self.ws.clock().date())  # fmt: skip
        (self.folder / README).write_text(text, encoding="utf-8", newline="\r\n")
        self.report.files.append(README)
        for name in [*extra, README]:
            self._sum(name, _sha256(self.folder / name))
        self.close()
        self.report.files.append(SUMS)

    def close(self) -> None:
        self._sums.close()

    def _sum(self, name: str, digest: str) -> None:
        self._sums.write(f"{digest}  {name}\n")

    def fetch(self, items: list[Item]) -> None:
        """Bring the content the published documents of ``items`` need in one go: over
        the central archive, grouped downloads instead of one per document. Best effort:
        what cannot be had is left to each document's own read, which names it."""
        wanted = {f.sha256: f.size for f in map(_source, items) if f is not None}
        with contextlib.suppress(UserError, OSError):
            self.ws.objects.ensure(wanted)

    def _check(self, item: Item) -> list[tuple[str, dict[str, Any]]]:
        """What stops ``item`` before any file is written (reads at most the PDF to
        redact, to see that it can be)."""
        judged = item.assessment
        if judged is None:
            return [(NOT_ASSESSED, {})]
        found: list[tuple[str, dict[str, Any]]] = []
        if judged.beoordeling not in ("openbaar", "deels_openbaar"):
            return found
        if item.record.woo_informatiecategorie not in self.categories:
            found.append((NO_CATEGORY, {}))
        if judged.beoordeling == "openbaar":
            if _primary(item.files) is None:
                found.append((NO_FILE, {}))
            return found
        found.extend(self._redactable(item))
        if not item.areas:
            found.append((NO_AREAS, {}))
        if len({area.bestand_id for area in item.areas}) > 1:
            found.append((SEVERAL_FILES, {}))
        allowed = set(parse_gronden(judged.gronden))
        for grond in sorted({area.grond for area in item.areas} - allowed):
            found.append((GROUND_NOT_ASSESSED, {"grond": grond, "gronden": judged.gronden}))
        return found

    def _redactable(self, item: Item) -> list[tuple[str, dict[str, Any]]]:
        """Why the PDF to redact cannot be (none, encrypted, unreadable): at most one reason."""
        chosen = redactions.publication_pdf(item.files)
        if item.areas:
            wanted = item.areas[0].bestand_id
            chosen = next((f for f in item.files if f.id == wanted), None)
        if chosen is None:
            return [(redactions.NO_PDF, {"kenmerk": item.kenmerk})]
        try:
            path = self.ws.objects.readable_path(chosen.sha256, chosen.size)
            redactions.check_redactable(path, item.kenmerk)
        except UserError as error:  # also: central content that cannot be had
            return [(error.msgid, error.params)]
        return []

    def _publish(self, item: Item, merged: MergedWriter) -> str:
        """Write the document, its DiWoo and MDTO; the file type shown in the inventory."""
        judged = item.assessment
        assert judged is not None
        redacted = judged.beoordeling == "deels_openbaar"
        if redacted:
            chosen = next((f for f in item.files if f.id == item.areas[0].bestand_id), None)
        else:
            chosen = redactions.publication_pdf(item.files) or _primary(item.files)
        if chosen is None:
            raise UserError(NO_FILE)
        source = chosen
        is_pdf = redactions.is_pdf(source)
        name = f"{DOCUMENTS}/{item.kenmerk}{'.pdf' if is_pdf else _suffix(source)}"
        target = self.folder / name
        try:
            path = self.ws.objects.verified_path(source.sha256, source.size)
            if redacted:
                warnings = publish.redact_checked(path, [a.area() for a in item.areas], target)
                self.report.remarks.extend(_problem(item, w.msgid, dict(w.params))
                                           for w in warnings)  # fmt: skip
                digest = _sha256(target)
            else:
                self.ws.objects.copy_out(source.sha256, target, source.size)
                digest = _sha256(target)  # read back
                if digest != source.sha256:
                    raise UserError(DAMAGED_CONTENT, {"reason": "checksum mismatch"})
        except RecordsDeskError as error:
            if isinstance(error, UserError):
                raise
            raise UserError(DAMAGED_CONTENT, {"reason": str(error)}) from error
        if is_pdf:
            if not publish.opens_without_password(target):
                raise UserError(ENCRYPTED_PUBLIC)
            merged.add(target, item.dossier or "-", f"{item.kenmerk} {item.record.naam}")
        else:
            self.report.remarks.append(
                _problem(item, N_("not a PDF ({mime}): published as is, not in the merged PDF"),
                         {"mime": source.mime}))  # fmt: skip
        self._metadata(item, source if not redacted else None, target)
        self._sum(name, digest)
        self.report.files.append(name)
        self.report.published += 1
        self.report.redacted += redacted
        kind = diwoo.file_type("application/pdf" if is_pdf else source.mime)
        return kind[0] if kind else source.mime

    def _metadata(self, item: Item, source: Bestand | None, target: Path) -> None:
        record = item.record
        category = self.categories[record.woo_informatiecategorie or ""]
        mail = any(f.mime in MAIL for f in item.files if f.role == "original")
        doc = diwoo.DiWooDocument(
            identifiers=(item.kenmerk,),
            publisher_uri=_publisher_uri(self.org),
            publisher_label=self.org.archiefvormer,
            titel=record.naam,
            categorie_uri=category.uri,
            categorie_label=category.naam,
            handeling="ontvangst" if mail else "vaststelling",
            handeling_at=_moment(record),
            mime="application/pdf" if target.suffix == ".pdf" else (source.mime if source else ""),
            creatiedatum=record.dekking_begin,
            aggregatiekenmerk=item.dossier or None,
        )
        name = f"{DIWOO}/{item.kenmerk}.xml"
        self._write(name, diwoo.document_xml(doc))
        found = diwoo.validate((self.folder / name).read_bytes())  # as written, read back
        if found:
            raise UserError(INVALID_METADATA, {"kind": "DiWoo", "detail": found[0]})
        obj = mapping.informatieobject(record, parent=item.parent, children=[],
                                       bestanden=item.files, events=item.events)  # fmt: skip
        element = xmlio.to_element(obj)
        problems = [*mdto_schema.validate_element(element), *rules.check(obj),
                    *self.profile.check(obj)]  # fmt: skip
        if problems:
            raise UserError(INVALID_METADATA, {"kind": "MDTO", "detail": problems[0].english()})
        self._write(f"{MDTO}/{item.kenmerk}.xml", xmlio.serialise(element))

    def _write(self, name: str, data: bytes) -> None:
        """Write, read back and compare, then list the file with its checksum."""
        path = self.folder / name
        path.write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        if _sha256(path) != digest:
            raise OSError(5, "the file read back differs from what was written", str(path))
        self._sum(name, digest)
        self.report.files.append(name)


def _problem(item: Item, msgid: str, params: dict[str, Any]) -> ExportProblem:
    return ExportProblem(item.kenmerk, msgid, params)


def _source(item: Item) -> Bestand | None:
    """The file a published document is made from (see ``_publish`` and
    ``_redactable``); None when the document is not published."""
    judged = item.assessment
    if judged is None or judged.beoordeling not in ("openbaar", "deels_openbaar"):
        return None
    if item.areas:
        return next((f for f in item.files if f.id == item.areas[0].bestand_id), None)
    return redactions.publication_pdf(item.files) or _primary(item.files)


def _primary(files: list[Bestand]) -> Bestand | None:
    return next((f for f in files if f.role == "original"), None)


def _suffix(bestand: Bestand) -> str:
    suffix = Path(bestand.safe_name or bestand.original_name).suffix.lower()
    ok = 1 < len(suffix) <= 10 and suffix[1:].isalnum()
    return suffix if ok else ".bin"


def _date(record: Informatieobject) -> dt.date:
    return record.dekking_begin or record.created_at.date()


def _moment(record: Informatieobject) -> dt.datetime:
    if record.dekking_begin is not None:
        return dt.datetime.combine(record.dekking_begin, dt.time(), tzinfo=dt.UTC)
    return record.created_at


def _publisher_uri(org: Organisation) -> str:
    gemeente = tooi.municipality(org.archiefvormer_code)
    if gemeente is not None and gemeente.uri:
        return gemeente.uri
    return f"https://identifier.overheid.nl/tooi/id/gemeente/{org.archiefvormer_code}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
