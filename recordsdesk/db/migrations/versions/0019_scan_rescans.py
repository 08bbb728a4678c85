"""Re-scans of pages of a batch under review

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30

Issue 8. A reviewer asks for pages of a batch to be scanned again
(``rescan_pages``, state ``rescan``); the re-scanned pages then replace exactly
those pages. ``current_sha256`` is the batch's pages in reading order as a PDF in
the object store, when that is not the scanner's file itself (images wrapped,
two simplex passes collated, pages replaced; NULL: the scanner's file),
``rescans`` the list of replacements (JSON: pages, the re-scan's content, who, when).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

OLD_STATES = "state IN ('needs_review', 'approved', 'rejected')"
NEW_STATES = "state IN ('needs_review', 'rescan', 'approved', 'rejected')"


def upgrade() -> None:
    with op.batch_alter_table("scan_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rescan_pages", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("current_sha256", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("rescans", sa.Text(), nullable=True))
        batch_op.drop_constraint(op.f("ck_scan_batch_state"), type_="check")
        batch_op.create_check_constraint("state", NEW_STATES)


def downgrade() -> None:
    # a batch waiting for a re-scan is under review again in the older schema
    op.execute("UPDATE scan_batch SET state = 'needs_review' WHERE state = 'rescan'")
    with op.batch_alter_table("scan_batch", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_scan_batch_state"), type_="check")
        batch_op.create_check_constraint("state", OLD_STATES)
        batch_op.drop_column("rescans")
        batch_op.drop_column("current_sha256")
        batch_op.drop_column("rescan_pages")
