"""legal holds

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29

Legal holds (issue 5): several per dossier or Serie, each with its reason, who
placed it and when; lifting is recorded, never deleted.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hold",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("informatieobject_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by", sa.String(length=200), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_by", sa.String(length=200), nullable=True),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("length(trim(reason)) > 0", name=op.f("ck_hold_reason_not_blank")),
        sa.CheckConstraint(
            "(lifted_at IS NULL AND lifted_by IS NULL) OR "
            "(lifted_at IS NOT NULL AND lifted_by IS NOT NULL)",
            name=op.f("ck_hold_lifted_complete"),
        ),
        sa.ForeignKeyConstraint(
            ["informatieobject_id"],
            ["informatieobject.id"],
            name=op.f("fk_hold_informatieobject_id_informatieobject"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hold")),
    )
    with op.batch_alter_table("hold", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hold_informatieobject_id"), ["informatieobject_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("hold", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hold_informatieobject_id"))
    op.drop_table("hold")
