"""An index on the outbox by entity and key, so its size is counted from the index

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30

Issue 9 (start-up with 100,000 records). The sync status counts the distinct rows
waiting in ``change_log``; without this index SQLite sorts the whole outbox for
that (0.9 s for 200,000 changes), with it the count reads the index (0.1 s).
"""

from __future__ import annotations

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_change_log_entity_entity_id", "change_log", ["entity", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_change_log_entity_entity_id", table_name="change_log")
