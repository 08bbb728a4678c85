"""drop folder defaults

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

Per drop folder: a default document type, a default Woo information category
(TOOI URI) and the user's own ignore patterns (JSON list).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("drop_folder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_type", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("informatiecategorie", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("ignore_patterns", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("drop_folder", schema=None) as batch_op:
        batch_op.drop_column("ignore_patterns")
        batch_op.drop_column("informatiecategorie")
        batch_op.drop_column("document_type")
