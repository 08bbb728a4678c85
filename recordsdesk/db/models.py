"""All tables, MDTO-shaped. Column names follow the MDTO element names.

Conventions: UUID primary keys (native ``uuid`` on PostgreSQL), timestamps in
UTC with time zone, enumerations as short strings guarded by CHECK
constraints, so the same schema runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

AGGREGATIENIVEAUS = ("Archief", "Serie", "Dossier", "Archiefstuk")
WAARDERINGEN = ("B", "V", "N")
STATUSES = ("open", "closed", "destroyed", "transferred")
BESTAND_ROLES = ("original", "pdfa", "ocr", "repaired")
DEFAULT_BEPERKING = "Nader te bepalen"
DEFAULT_BRON = "RecordsDesk"


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A moment in UTC: refuses naive values, always reads back time-zone aware.

    SQLite keeps no offset, so values are stored as UTC and re-labelled on reading.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use an aware UTC moment")
        moment = value.astimezone(dt.UTC)
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
SequenceInt = BigInteger().with_variant(Integer(), "sqlite")


def _in(column: str, values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({listed})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """The model's Core table, for bulk statements that need no ORM work per row."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class Informatieobject(Base):
    """An MDTO informatieobject at any aggregation level (dossier, record …)."""

    __tablename__ = "informatieobject"
    __table_args__ = (
        CheckConstraint(_in("aggregatieniveau", AGGREGATIENIVEAUS), name="aggregatieniveau"),
        CheckConstraint(_in("waardering", WAARDERINGEN), name="waardering"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint("length(trim(naam)) > 0", name="naam_not_blank"),
        CheckConstraint(
            "dekking_eind IS NULL OR dekking_begin IS NULL OR dekking_eind >= dekking_begin",
            name="dekking_order",
        ),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    kenmerk: Mapped[str] = mapped_column(String(40), unique=True)
    identificatie_bron: Mapped[str] = mapped_column(String(200), default=DEFAULT_BRON)
    aggregatieniveau: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[str | None] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("informatieobject.id"), index=True
    )
    naam: Mapped[str] = mapped_column(String(500))
    omschrijving: Mapped[str | None] = mapped_column(Text)
    dekking_begin: Mapped[dt.date | None] = mapped_column(Date)
    dekking_eind: Mapped[dt.date | None] = mapped_column(Date)
    classificatie: Mapped[str | None] = mapped_column(String(200))
    # the kind of document (a drop folder's document type; issue 7): in MDTO a
    # classificatie in mdto.mapping.DOCUMENTTYPE_LIST, kept apart from the one above
    documenttype: Mapped[str | None] = mapped_column(String(200))
    informatiecategorie: Mapped[str | None] = mapped_column(String(200))
    waardering: Mapped[str] = mapped_column(String(1), default="N")
    bewaartermijn: Mapped[str | None] = mapped_column(String(40))
    archiefactiedatum: Mapped[dt.date | None] = mapped_column(Date)
    archiefvormer: Mapped[str] = mapped_column(String(300))
    activiteit: Mapped[str | None] = mapped_column(String(300))
    beperking_gebruik: Mapped[str] = mapped_column(String(200), default=DEFAULT_BEPERKING)
    # the Woo information category (TOOI URI, recordsdesk.woo; issue 7)
    woo_informatiecategorie: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    # retention (issue 5): the Selectielijst result it is classified under, keyed on
    # (jaar, volledig nummer), and what closing derived from it (recordsdesk.retention)
    selectielijst_jaar: Mapped[int | None] = mapped_column(Integer)
    resultaat_nummer: Mapped[str | None] = mapped_column(String(20))
    afleidingswijze: Mapped[str | None] = mapped_column(String(30))
    gesloten_op: Mapped[dt.date | None] = mapped_column(Date)
    brondatum: Mapped[dt.date | None] = mapped_column(Date)
    overbrengingsdatum: Mapped[dt.date | None] = mapped_column(Date)
    # why the archiefactiedatum of a closed dossier is still open (a msgid), or NULL
    archiefactie_open: Mapped[str | None] = mapped_column(Text)
    # the MDTO document once edited or imported (recordsdesk.mdto.stored); NULL: the
    # columns above are the whole metadata. When set, the columns are derived from it.
    mdto: Mapped[str | None] = mapped_column(Text)
    # sync (issue 6): the central archive's version this local copy is based on
    # (NULL: never synced; unused on the central archive itself), and the
    # department that owns it (the central archive's row-level security reads it)
    central_version: Mapped[int | None] = mapped_column(Integer)
    department: Mapped[str | None] = mapped_column(String(200))

    bestanden: Mapped[list[Bestand]] = relationship(
        back_populates="informatieobject", order_by="Bestand.created_at"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy API


class Bestand(Base):
    """An MDTO bestand: one stored file representing an informatieobject."""

    __tablename__ = "bestand"
    __table_args__ = (
        CheckConstraint(_in("role", BESTAND_ROLES), name="role"),
        CheckConstraint("size > 0", name="size_positive"),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    informatieobject_id: Mapped[str] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("informatieobject.id"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(255))
    puid: Mapped[str | None] = mapped_column(String(40))
    original_name: Mapped[str] = mapped_column(Text)
    safe_name: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="original")
    derived_from_id: Mapped[str | None] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("bestand.id")
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    mdto: Mapped[str | None] = mapped_column(Text)  # the bestand as received by an import

    informatieobject: Mapped[Informatieobject] = relationship(back_populates="bestanden")


class Event(Base):
    """An MDTO event in the life of an informatieobject (Creatie, Ontvangst …)."""

    __tablename__ = "event"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    informatieobject_id: Mapped[str] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("informatieobject.id"), index=True
    )
    event_type: Mapped[str] = mapped_column(String(60))
    event_tijd: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    verantwoordelijke_actor: Mapped[str | None] = mapped_column(String(200))
    resultaat: Mapped[str | None] = mapped_column(Text)
    # the MDTO event as received by an import (JSON), written back verbatim: its
    # eventTijd may be a year or a date, which event_tijd cannot hold exactly
    mdto: Mapped[str | None] = mapped_column(Text)

    # Lets the unit of work insert the object before its events.
    informatieobject: Mapped[Informatieobject] = relationship()


class Hold(Base):
    """A legal hold on a dossier or a whole Serie (and so on everything under it).

    Never deleted: lifting fills ``lifted_*``, so the history of holds stays."""

    __tablename__ = "hold"
    __table_args__ = (
        CheckConstraint("length(trim(reason)) > 0", name="reason_not_blank"),
        CheckConstraint(
            "(lifted_at IS NULL AND lifted_by IS NULL) OR "
            "(lifted_at IS NOT NULL AND lifted_by IS NOT NULL)",
            name="lifted_complete",
        ),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    informatieobject_id: Mapped[str] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("informatieobject.id"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[str] = mapped_column(String(200))
    placed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    lifted_by: Mapped[str | None] = mapped_column(String(200))
    lifted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    lift_reason: Mapped[str | None] = mapped_column(Text)


ROLES = ("records_manager", "process_owner", "archivist", "admin")


class UserRole(Base):
    """A role held by a user of this store (issue 5; the central archive enforces
    roles in the database itself, issue 6). No rows at all: single-seat mode, in
    which the one user acts in every role (see ``services.roles``)."""

    __tablename__ = "user_role"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    user_name: Mapped[str] = mapped_column(String(200), primary_key=True)
    role: Mapped[str] = mapped_column(String(30), primary_key=True)
    granted_by: Mapped[str] = mapped_column(String(200))
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


DISPOSAL_KINDS = ("destruction", "transfer")
DISPOSAL_STATES = (
    "concept",
    "ter_beoordeling",
    "beoordeeld",
    "ter_accordering",
    "geaccordeerd",
    "wijzigingen_gevraagd",
    "afgebroken",
    "vernietigd",  # destruction carried out
    "uitgevoerd",  # transfer: package made, waiting for the receiving archive
    "overgebracht",  # transfer confirmed by the receiving archive
)
ITEM_STATES = ("listed", "excluded", "kept", "removed", "skipped", "destroyed", "transferred")


class DisposalList(Base):
    """A destruction list (vernietigingslijst) or transfer list (overbrenging).

    ``version`` is the optimistic lock: every change to the list or one of its
    items raises it, so two records managers never overwrite each other."""

    __tablename__ = "disposal_list"
    __table_args__ = (
        CheckConstraint(_in("kind", DISPOSAL_KINDS), name="kind"),
        CheckConstraint(_in("state", DISPOSAL_STATES), name="state"),
        CheckConstraint("length(trim(naam)) > 0", name="naam_not_blank"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    naam: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(30), index=True)
    on_date: Mapped[dt.date] = mapped_column(Date)  # the day the due list was taken for
    author: Mapped[str] = mapped_column(String(200))
    reviewer: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    review_round: Mapped[int] = mapped_column(Integer, default=0)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    execution_started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    executed_by: Mapped[str | None] = mapped_column(String(200))
    executed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    confirmed_by: Mapped[str | None] = mapped_column(String(200))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_reason: Mapped[str | None] = mapped_column(Text)  # of a rejection or abort
    # the dossier the verklaring (or the transfer package's receipt) is filed in
    outcome_dossier_id: Mapped[str | None] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("informatieobject.id")
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy API


class DisposalItem(Base):
    """A dossier on a list, with what was listed (a snapshot) and what became of it."""

    __tablename__ = "disposal_item"
    __table_args__ = (CheckConstraint(_in("state", ITEM_STATES), name="state"),)

    list_id: Mapped[str] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("disposal_list.id"), primary_key=True
    )
    object_id: Mapped[str] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("informatieobject.id"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kenmerk: Mapped[str] = mapped_column(String(40))
    naam: Mapped[str] = mapped_column(String(500))
    waardering: Mapped[str] = mapped_column(String(1))
    selectielijst_jaar: Mapped[int | None] = mapped_column(Integer)
    resultaat_nummer: Mapped[str | None] = mapped_column(String(20))
    gesloten_op: Mapped[dt.date | None] = mapped_column(Date)
    archiefactiedatum: Mapped[dt.date | None] = mapped_column(Date)
    listed_version: Mapped[int] = mapped_column(Integer)  # the dossier's version when listed
    state: Mapped[str] = mapped_column(String(20), default="listed")
    excluded_by: Mapped[str | None] = mapped_column(String(200))
    exclusion_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    outcome_reason: Mapped[str | None] = mapped_column(Text)  # why skipped at execution
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # store objects to remove after the destroying transaction committed (JSON list);
    # cleared once removed, so a resumed execution finishes the removal exactly once
    pending_objects: Mapped[str | None] = mapped_column(Text)


class AuditEvent(Base):
    """Append-only audit trail; each row carries the hash of its predecessor.

    Triggers (see the migrations) refuse UPDATE and DELETE on both databases.
    """

    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(SequenceInt, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(36), index=True)
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # on the central archive: "<station>:<seq>" of a workstation's row pushed here
    # (unique, so a replayed push cannot add it twice); NULL for rows made here
    origin: Mapped[str | None] = mapped_column(String(80))


INBOX_STATES = (
    "seen",
    "stable",
    "claimed",
    "stored",
    "ready",
    "filed",
    "quarantined",
    "duplicate",
    "discarded",
)
AFTER_INTAKE = ("keep", "move", "delete")


class DropFolder(Base):
    """A watched folder whose new files come into the inbox."""

    __tablename__ = "drop_folder"
    __table_args__ = (CheckConstraint(_in("after_intake", AFTER_INTAKE), name="after_intake"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    path: Mapped[str] = mapped_column(Text, unique=True)
    dossier_id: Mapped[str | None] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("informatieobject.id")
    )
    recursive: Mapped[bool] = mapped_column(Boolean, default=False)
    polling: Mapped[bool] = mapped_column(Boolean, default=False)
    after_intake: Mapped[str] = mapped_column(String(10), default="move")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # defaults for what comes in here (used when filing and for Woo later)
    document_type: Mapped[str | None] = mapped_column(String(200))
    informatiecategorie: Mapped[str | None] = mapped_column(String(300))  # TOOI URI
    ignore_patterns: Mapped[str | None] = mapped_column(Text)  # JSON list of fnmatch patterns
    # a scanner's folder: its files are scanned batches, read with this scan profile
    scan_profile: Mapped[str | None] = mapped_column(String(100))


class InboxItem(Base):
    """One detected file on its way from a drop folder to a record.

    The source fingerprint (path, size, mtime, inode) is what makes intake
    idempotent: a rescan after a crash recognises a file it already holds.
    """

    __tablename__ = "inbox_item"
    __table_args__ = (
        CheckConstraint(_in("state", INBOX_STATES), name="state"),
        Index("ix_inbox_item_fingerprint", "source_path", "source_size", "source_mtime_ns"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    drop_folder_id: Mapped[str | None] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("drop_folder.id"), index=True
    )
    source_path: Mapped[str] = mapped_column(Text)
    source_name: Mapped[str] = mapped_column(Text)
    source_size: Mapped[int] = mapped_column(BigInteger)
    source_mtime_ns: Mapped[int] = mapped_column(BigInteger)
    source_inode: Mapped[int | None] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str | None] = mapped_column(Text)  # msgid of why it is quarantined
    reason_params: Mapped[str | None] = mapped_column(Text)  # JSON of the msgid's params
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    mime: Mapped[str | None] = mapped_column(String(255))
    puid: Mapped[str | None] = mapped_column(String(40))
    facts: Mapped[str | None] = mapped_column(Text)  # JSON: inspection results (PDF …)
    duplicate_of_bestand_id: Mapped[str | None] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("bestand.id")
    )
    record_id: Mapped[str | None] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("informatieobject.id")
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


SCAN_BATCH_STATES = ("needs_review", "rescan", "approved", "rejected")


class ScanBatch(Base):
    """A scanned batch taken apart into records (issue 8), and its quality check.

    ``item_id`` is the inbox item of the scanner's file, which is kept whole as
    the evidence; its records are the inbox items in ``scan_part``. ``checks``
    holds the quality flags per page (JSON), ``profile`` the scan profile used
    (JSON, as it was then). A reviewer approves or rejects the batch.
    """

    __tablename__ = "scan_batch"
    __table_args__ = (CheckConstraint(_in("state", SCAN_BATCH_STATES), name="state"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    item_id: Mapped[str] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("inbox_item.id"), unique=True
    )
    state: Mapped[str] = mapped_column(String(20))
    profile_name: Mapped[str] = mapped_column(String(100))
    profile: Mapped[str] = mapped_column(Text)
    pages: Mapped[int] = mapped_column(Integer)
    checks: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    processed_by: Mapped[str] = mapped_column(String(200))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(Text)
    # approval: "all" (every flagged page seen) or "sample" (sampled_pages, JSON)
    review_mode: Mapped[str | None] = mapped_column(String(20))
    sampled_pages: Mapped[str | None] = mapped_column(Text)
    destroy_paper_after: Mapped[dt.date | None] = mapped_column(Date)
    # re-scans: the pages asked for (JSON, 1-based); the batch's pages in reading order
    # as a PDF when that is not the scanner's file itself (images wrapped, two simplex
    # passes collated, pages replaced; NULL: the scanner's file); the replacements made
    rescan_pages: Mapped[str | None] = mapped_column(Text)
    current_sha256: Mapped[str | None] = mapped_column(String(64))
    rescans: Mapped[str | None] = mapped_column(Text)
    report_dossier_id: Mapped[str | None] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("informatieobject.id")
    )


class ScanPart(Base):
    """One record of a scanned batch: its inbox item and the batch pages it holds."""

    __tablename__ = "scan_part"

    item_id: Mapped[str] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("inbox_item.id"), primary_key=True
    )
    batch_id: Mapped[str] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("scan_batch.id"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)  # 1-based, in the batch's order
    pages: Mapped[str] = mapped_column(Text)  # JSON list of 0-based batch page indexes
    sheet: Mapped[str | None] = mapped_column(Text)  # JSON of the separator sheet's fields


class ScanOcrResult(Base):
    """An OCR done: the PDF/A made of a record's pages with some OCR settings (issue 8).

    Written as soon as each record of a batch is OCR'd, so a batch taken apart
    again after a cancel or a crash does not OCR those pages a second time (a
    500-page batch resumes where it stopped). ``settings`` is a hash of the OCR
    settings; ``confidence`` the OCR's confidence per page (JSON). Workstation
    bookkeeping, not synced.
    """

    __tablename__ = "scan_ocr_result"

    original_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    settings: Mapped[str] = mapped_column(String(64), primary_key=True)
    pdfa_sha256: Mapped[str] = mapped_column(String(64))
    pdfa_size: Mapped[int] = mapped_column(BigInteger)
    confidence: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ContentText(Base):
    """Text extracted from stored content, for search; keyed by the content's hash.

    One row serves every bestand with that content. ``needs_ocr`` marks a scan
    without a text layer (OCR is the scanning issue's work).
    """

    __tablename__ = "content_text"
    __table_args__ = (CheckConstraint("length(sha256) = 64", name="sha256_length"),)

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    needs_ocr: Mapped[bool] = mapped_column(Boolean, default=False)
    method: Mapped[str] = mapped_column(String(20))
    truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    extracted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class StoreSetting(Base):
    """Per-store facts: the station id and the kenmerk counter."""

    __tablename__ = "store_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


Index(
    "ix_informatieobject_level_status", Informatieobject.aggregatieniveau, Informatieobject.status
)
# the due list and list creation read closed dossiers by archiefactiedatum
Index(
    "ix_informatieobject_due",
    Informatieobject.status,
    Informatieobject.aggregatieniveau,
    Informatieobject.archiefactiedatum,
)
# the due list pages through them in kenmerk order (migration 0011)
Index(
    "ix_informatieobject_due_kenmerk",
    Informatieobject.status,
    Informatieobject.aggregatieniveau,
    Informatieobject.kenmerk,
    Informatieobject.archiefactiedatum,
)


class ChangeLog(Base):
    """One insert, update or delete of a synchronised row (written by triggers).

    On a workstation: the outbox. On the central archive: the change feed."""

    __tablename__ = "change_log"
    __table_args__ = (
        CheckConstraint("op IN ('u', 'd')", name="op"),
        # the outbox's size (distinct rows waiting) read from the index alone: at start-up
        Index("ix_change_log_entity_entity_id", "entity", "entity_id"),
    )

    seq: Mapped[int] = mapped_column(SequenceInt, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    op: Mapped[str] = mapped_column(String(1))


class SyncGuard(Base):
    """Held (one row, inside the transaction) while pulled rows are applied."""

    __tablename__ = "sync_guard"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class SyncConflict(Base):
    """An object changed both here and centrally since the common version."""

    __tablename__ = "sync_conflict"
    __table_args__ = (
        CheckConstraint(
            "resolution IS NULL OR resolution IN ('mine', 'theirs')", name="resolution"
        ),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    local_state: Mapped[str] = mapped_column(Text)  # JSON of the local row
    central_state: Mapped[str] = mapped_column(Text)  # JSON of the central row
    base_version: Mapped[int | None] = mapped_column(Integer)
    central_version: Mapped[int] = mapped_column(Integer)
    detected_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    resolution: Mapped[str | None] = mapped_column(String(20))
    resolved_by: Mapped[str | None] = mapped_column(String(200))


class ContentObject(Base):
    """Content held in the central database, complete and verified whole."""

    __tablename__ = "content_object"
    __table_args__ = (CheckConstraint("length(sha256) = 64", name="sha256_length"),)

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    chunk_count: Mapped[int] = mapped_column(Integer)
    verified_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ContentChunk(Base):
    """One uploaded chunk of an object; its own hash was checked on arrival."""

    __tablename__ = "content_chunk"
    __table_args__ = (CheckConstraint("idx >= 0", name="idx_positive"),)

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    chunk_sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Workstation(Base):
    """What the central archive knows of a workstation (reported on each sync)."""

    __tablename__ = "workstation"

    station_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    actor: Mapped[str] = mapped_column(String(200))
    last_push_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_pull_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    pending_changes: Mapped[int] = mapped_column(Integer, default=0)
    pending_bytes: Mapped[int] = mapped_column(BigInteger, default=0)


Index("uq_audit_event_origin", AuditEvent.origin, unique=True)


class UserDepartment(Base):
    """A database login's department (central archive only; its row-level security
    shows a filer the dossiers of the departments listed here)."""

    __tablename__ = "user_department"

    user_name: Mapped[str] = mapped_column(String(200), primary_key=True)
    department: Mapped[str] = mapped_column(String(200), primary_key=True)


# Woo (issue 7): requests under the Wet open overheid, what they cover, and the
# judgement of each document. The outcome values are the inventory list's words.
WOO_STATUSES = ("open", "closed")
WOO_BESLUITEN = (
    "reeds_openbaar",
    "openbaarmaking",
    "gedeeltelijke_openbaarmaking",
    "geen_openbaarmaking",
    "geen_documenten",
)
WOO_BEOORDELINGEN = ("openbaar", "deels_openbaar", "niet_openbaar", "reeds_openbaar")


class WooRequest(Base):
    """A Woo request (verzoek): its number, subject and dates, and how it ended.

    While open it holds everything in its scope (each scope row names the legal
    hold it placed); closing lifts those holds."""

    __tablename__ = "woo_request"
    __table_args__ = (
        CheckConstraint(_in("status", WOO_STATUSES), name="status"),
        CheckConstraint(_in("besluit", WOO_BESLUITEN), name="besluit"),
        CheckConstraint("length(trim(nummer)) > 0", name="nummer_not_blank"),
        CheckConstraint("length(trim(onderwerp)) > 0", name="onderwerp_not_blank"),
        CheckConstraint(
            "(status = 'open' AND closed_at IS NULL) OR "
            "(status = 'closed' AND closed_at IS NOT NULL AND closed_by IS NOT NULL)",
            name="closed_complete",
        ),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    nummer: Mapped[str] = mapped_column(String(40), unique=True)
    onderwerp: Mapped[str] = mapped_column(Text)
    ontvangen_op: Mapped[dt.date] = mapped_column(Date)
    besluit_uiterlijk: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    besluit: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy API


class WooScope(Base):
    """A dossier or document in a request's scope, and the hold placed for it."""

    __tablename__ = "woo_scope"

    request_id: Mapped[str] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("woo_request.id"), primary_key=True
    )
    informatieobject_id: Mapped[str] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("informatieobject.id"), primary_key=True, index=True
    )
    hold_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False), ForeignKey("hold.id"))
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    added_by: Mapped[str] = mapped_column(String(200))


class WooAssessment(Base):
    """The judgement of one document (an Archiefstuk) within one request.

    ``gronden``: the weigeringsgronden as the inventory list writes them
    (``5.1.1c; 5.1.2e``); required unless the document is (already) public."""

    __tablename__ = "woo_assessment"
    __table_args__ = (
        CheckConstraint(_in("beoordeling", WOO_BEOORDELINGEN), name="beoordeling"),
        CheckConstraint(
            "beoordeling IN ('openbaar', 'reeds_openbaar') OR "
            "(gronden IS NOT NULL AND length(trim(gronden)) > 0)",
            name="gronden_when_refused",
        ),
    )

    request_id: Mapped[str] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("woo_request.id"), primary_key=True
    )
    informatieobject_id: Mapped[str] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("informatieobject.id"), primary_key=True, index=True
    )
    beoordeling: Mapped[str] = mapped_column(String(20))
    gronden: Mapped[str | None] = mapped_column(Text)
    toelichting: Mapped[str | None] = mapped_column(Text)
    publieke_link: Mapped[str | None] = mapped_column(Text)
    assessed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    assessed_by: Mapped[str] = mapped_column(String(200))


class WooRedaction(Base):
    """One area of a PDF page to be removed before publication, and the ground for it.

    Coordinates are points on the page as displayed (after its /Rotate), origin at the
    bottom left of its crop box, as recordsdesk.redact.Area takes them."""

    __tablename__ = "woo_redaction"
    __table_args__ = (
        CheckConstraint("page >= 1", name="page_positive"),
        CheckConstraint("x1 > x0 AND y1 > y0", name="area_positive"),
        CheckConstraint("length(trim(grond)) > 0", name="grond_not_blank"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    request_id: Mapped[str] = mapped_column(
        Uuid(as_uuid=False), ForeignKey("woo_request.id"), index=True
    )
    bestand_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), ForeignKey("bestand.id"))
    page: Mapped[int] = mapped_column(Integer)
    x0: Mapped[float] = mapped_column(Float)
    y0: Mapped[float] = mapped_column(Float)
    x1: Mapped[float] = mapped_column(Float)
    y1: Mapped[float] = mapped_column(Float)
    grond: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))


class SavedSearch(Base):
    """A search a user keeps under a name: the query text and the facet filters (JSON)."""

    __tablename__ = "saved_search"
    __table_args__ = (CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[str] = mapped_column(Text)
    filters: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


Index("uq_saved_search_owner_name", SavedSearch.owner, SavedSearch.name, unique=True)


class WorkstationDossier(Base):
    """Central archive only: per dossier, the changes a workstation had not yet sent
    at its last sync (replaced on each sync), so a dossier's completeness can say
    that records may still be on their way (recordsdesk.archive.completeness)."""

    __tablename__ = "workstation_dossier"

    station_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    # no foreign key: a dossier made offline is not in the central archive yet
    dossier_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    pending_changes: Mapped[int] = mapped_column(Integer)
    reported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
