"""department membership for the central archive's row-level security

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29

``user_department``: which database login belongs to which department. The
central archive's policies (recordsdesk.archive.central.enforce) let a filer see
a dossier with a department only when a row here says the filer belongs to it.
Created in every store so that the schema is one; only the central archive
fills it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_department",
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("department", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("user_name", "department", name=op.f("pk_user_department")),
    )


def downgrade() -> None:
    op.drop_table("user_department")
