"""OCR results kept per record's pages, so a batch resumes where it stopped

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30

Issue 8. ``scan_ocr_result``: the PDF/A OCR made of a record's pages (keyed by
the pages' content and a hash of the OCR settings), written as each record of a
batch is OCR'd. Taking a batch apart again after a cancel or a crash finds the
records already OCR'd there. Workstation bookkeeping, not synced.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scan_ocr_result",
        sa.Column("original_sha256", sa.String(64), nullable=False),
        sa.Column("settings", sa.String(64), nullable=False),
        sa.Column("pdfa_sha256", sa.String(64), nullable=False),
        sa.Column("pdfa_size", sa.BigInteger(), nullable=False),
        sa.Column("confidence", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("original_sha256", "settings", name=op.f("pk_scan_ocr_result")),
    )


def downgrade() -> None:
    op.drop_table("scan_ocr_result")
