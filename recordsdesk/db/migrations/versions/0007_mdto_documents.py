"""mdto documents

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

The full MDTO metadata of an object once it is edited or imported
(``informatieobject.mdto``, see recordsdesk/mdto/stored.py), a bestand and an
event as received by an import (``bestand.mdto``, ``event.mdto``). All three are
NULL for existing rows: their flat columns are then the whole metadata, so no
data needs converting.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("informatieobject", "bestand", "event")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("mdto", sa.Text(), nullable=True))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("mdto")
