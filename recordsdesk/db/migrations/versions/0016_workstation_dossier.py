"""per dossier, what each workstation had not yet sent (for a dossier's completeness)

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29

Issue 7. The central archive's ``workstation`` table knows how many changes a
workstation had waiting at its last sync; ``workstation_dossier`` says for which
dossiers, so a Woo searcher is told that a dossier may not be whole yet.
Created in every store so that the schema is one; only the central archive fills it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workstation_dossier",
        sa.Column("station_id", sa.String(40), nullable=False),
        sa.Column("dossier_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("pending_changes", sa.Integer(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("station_id", "dossier_id", name=op.f("pk_workstation_dossier")),
    )
    op.create_index(
        op.f("ix_workstation_dossier_dossier_id"), "workstation_dossier", ["dossier_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_workstation_dossier_dossier_id"), table_name="workstation_dossier")
    op.drop_table("workstation_dossier")
