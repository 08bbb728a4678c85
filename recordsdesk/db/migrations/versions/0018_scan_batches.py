"""Scanned batches: scanner folders, batches with their quality checks, their parts

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30

Issue 8. A drop folder with a ``scan_profile`` is a scanner's folder. A scanned
batch that came in there is taken apart into records: ``scan_batch`` (one per
batch, with the quality flags per page and the reviewer's decision) and
``scan_part`` (the inbox item of each record and the batch pages it holds).
Both are workstation bookkeeping, like the inbox: they are not synced.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("drop_folder", sa.Column("scan_profile", sa.String(100), nullable=True))
    op.create_table(
        "scan_batch",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("item_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("profile_name", sa.String(100), nullable=False),
        sa.Column("profile", sa.Text(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("checks", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_by", sa.String(200), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("review_mode", sa.String(20), nullable=True),
        sa.Column("sampled_pages", sa.Text(), nullable=True),
        sa.Column("destroy_paper_after", sa.Date(), nullable=True),
        sa.Column("report_dossier_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.CheckConstraint(
            "state IN ('needs_review', 'approved', 'rejected')", name=op.f("ck_scan_batch_state")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["inbox_item.id"], name=op.f("fk_scan_batch_item_id_inbox_item")
        ),
        sa.ForeignKeyConstraint(
            ["report_dossier_id"],
            ["informatieobject.id"],
            name=op.f("fk_scan_batch_report_dossier_id_informatieobject"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scan_batch")),
        sa.UniqueConstraint("item_id", name=op.f("uq_scan_batch_item_id")),
    )
    op.create_table(
        "scan_part",
        sa.Column("item_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("batch_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Text(), nullable=False),
        sa.Column("sheet", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["scan_batch.id"], name=op.f("fk_scan_part_batch_id_scan_batch")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["inbox_item.id"], name=op.f("fk_scan_part_item_id_inbox_item")
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_scan_part")),
    )
    op.create_index(op.f("ix_scan_part_batch_id"), "scan_part", ["batch_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_scan_part_batch_id"), table_name="scan_part")
    op.drop_table("scan_part")
    op.drop_table("scan_batch")
    with op.batch_alter_table("drop_folder") as batch_op:
        batch_op.drop_column("scan_profile")
