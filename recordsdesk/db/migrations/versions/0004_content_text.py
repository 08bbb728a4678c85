"""content text

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

Text extracted from stored content for search (PDF text layer, mail bodies,
plain text, docx/odt), keyed by SHA-256, with a "needs OCR" mark for scans.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_text",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("needs_ocr", sa.Boolean(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("truncated", sa.Boolean(), nullable=False),
        sa.Column("extracted_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_content_text_sha256_length")),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_content_text")),
    )


def downgrade() -> None:
    op.drop_table("content_text")
