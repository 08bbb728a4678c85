"""change capture, sync state, central content chunks

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29

Every store (a workstation's and the central archive) gets the same tables:

* ``change_log``: one row per insert, update or delete of a synchronised row,
  written by triggers in the same transaction as the change. On a workstation
  it is the outbox; on the central archive it is the change feed that
  workstations pull from. Triggers (not ORM events) so that Core bulk writes
  are captured too.
* ``sync_guard``: while the sync engine applies pulled rows it holds a row here
  inside its own transaction, so those writes do not re-enter the outbox.
* ``sync_conflict``: a dossier changed on both sides, with both versions.
* ``content_object`` / ``content_chunk``: the central content store in the
  database (chunks, each hashed; an object is complete once verified whole).
* ``workstation``: what the central archive knows of each workstation's outbox.
* ``informatieobject.central_version`` (the central version a local copy is
  based on) and ``department``; ``audit_event.origin`` (a workstation's audit
  row pushed centrally, unique: a replayed push cannot duplicate it).

On PostgreSQL the trigger takes the advisory lock the audit chain uses, so
change sequence numbers are handed out in commit order and a puller that has
seen number n has seen everything below it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_UTC = sa.DateTime(timezone=True)
_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# table -> key column of the synchronised tables
SYNCED = {
    "informatieobject": "id",
    "bestand": "id",
    "event": "id",
    "hold": "id",
    "content_text": "sha256",
}
# the audit chain's advisory lock key (recordsdesk.audit._CHAIN_LOCK)
_CHAIN_LOCK = 0x5244_4155


def upgrade() -> None:
    op.add_column("informatieobject", sa.Column("central_version", sa.Integer(), nullable=True))
    op.add_column("informatieobject", sa.Column("department", sa.String(200), nullable=True))
    op.add_column("audit_event", sa.Column("origin", sa.String(80), nullable=True))
    op.create_index(op.f("uq_audit_event_origin"), "audit_event", ["origin"], unique=True)
    op.create_table(
        "change_log",
        sa.Column("seq", _SEQ, autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(30), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("op", sa.String(1), nullable=False),
        sa.CheckConstraint("op IN ('u', 'd')", name=op.f("ck_change_log_op")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_change_log")),
    )
    op.create_index(op.f("ix_change_log_entity_id"), "change_log", ["entity_id"], unique=False)
    op.create_table(
        "sync_guard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_guard")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("entity", sa.String(30), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("local_state", sa.Text(), nullable=False),
        sa.Column("central_state", sa.Text(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("central_version", sa.Integer(), nullable=False),
        sa.Column("detected_at", _UTC, nullable=False),
        sa.Column("resolved_at", _UTC, nullable=True),
        sa.Column("resolution", sa.String(20), nullable=True),
        sa.Column("resolved_by", sa.String(200), nullable=True),
        sa.CheckConstraint(
            "resolution IS NULL OR resolution IN ('mine', 'theirs')",
            name=op.f("ck_sync_conflict_resolution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    op.create_index(
        op.f("ix_sync_conflict_entity_id"), "sync_conflict", ["entity_id"], unique=False
    )
    op.create_table(
        "content_object",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("chunk_count", sa.Integer(), nullable=False),
        sa.Column("verified_at", _UTC, nullable=False),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_content_object_sha256_length")),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_content_object")),
    )
    op.create_table(
        "content_chunk",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("chunk_sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("idx >= 0", name=op.f("ck_content_chunk_idx_positive")),
        sa.PrimaryKeyConstraint("sha256", "idx", name=op.f("pk_content_chunk")),
    )
    op.create_table(
        "workstation",
        sa.Column("station_id", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("last_push_at", _UTC, nullable=True),
        sa.Column("last_pull_at", _UTC, nullable=True),
        sa.Column("pending_changes", sa.Integer(), nullable=False),
        sa.Column("pending_bytes", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("station_id", name=op.f("pk_workstation")),
    )
    _create_capture()


def downgrade() -> None:
    _drop_capture()
    op.drop_table("workstation")
    op.drop_table("content_chunk")
    op.drop_table("content_object")
    op.drop_index(op.f("ix_sync_conflict_entity_id"), table_name="sync_conflict")
    op.drop_table("sync_conflict")
    op.drop_table("sync_guard")
    op.drop_index(op.f("ix_change_log_entity_id"), table_name="change_log")
    op.drop_table("change_log")
    op.drop_index(op.f("uq_audit_event_origin"), table_name="audit_event")
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("origin")
    with op.batch_alter_table("informatieobject") as batch:
        batch.drop_column("department")
        batch.drop_column("central_version")


def _create_capture() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table, key in SYNCED.items():
            for when, row, code in (
                ("INSERT", "NEW", "u"),
                ("UPDATE", "NEW", "u"),
                ("DELETE", "OLD", "d"),
            ):
                op.execute(  # constants only, no input
                    f"CREATE TRIGGER change_{table}_{when.lower()} AFTER {when} ON {table} "  # noqa: S608
                    "WHEN NOT EXISTS (SELECT 1 FROM sync_guard) BEGIN "
                    "INSERT INTO change_log (entity, entity_id, op) "
                    f"VALUES ('{table}', {row}.{key}, '{code}'); END"
                )
        return
    op.execute(
        "CREATE FUNCTION rd_capture_change() RETURNS trigger LANGUAGE plpgsql AS $$ "  # noqa: S608
        "DECLARE key text; BEGIN "
        "IF EXISTS (SELECT 1 FROM sync_guard) THEN RETURN NULL; END IF; "
        f"PERFORM pg_advisory_xact_lock({_CHAIN_LOCK}); "
        "IF TG_OP = 'DELETE' THEN key := to_jsonb(OLD) ->> TG_ARGV[0]; "
        "ELSE key := to_jsonb(NEW) ->> TG_ARGV[0]; END IF; "
        "INSERT INTO change_log (entity, entity_id, op) VALUES "
        "(TG_TABLE_NAME, key, CASE WHEN TG_OP = 'DELETE' THEN 'd' ELSE 'u' END); "
        "RETURN NULL; END $$"
    )
    for table, key in SYNCED.items():
        op.execute(
            f"CREATE TRIGGER change_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION rd_capture_change('{key}')"
        )


def _drop_capture() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in SYNCED:
            for when in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS change_{table}_{when}")
        return
    for table in SYNCED:
        op.execute(f"DROP TRIGGER IF EXISTS change_{table} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS rd_capture_change()")
