"""classification and closing

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

The Selectielijst result a dossier is classified under (jaar + volledig nummer,
never a UUID) and what closing derives from it: afleidingswijze, close date,
brondatum, transfer date, and why an archiefactiedatum is still open.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = (
    ("selectielijst_jaar", sa.Integer()),
    ("resultaat_nummer", sa.String(length=20)),
    ("afleidingswijze", sa.String(length=30)),
    ("gesloten_op", sa.Date()),
    ("brondatum", sa.Date()),
    ("overbrengingsdatum", sa.Date()),
    ("archiefactie_open", sa.Text()),
)


def upgrade() -> None:
    with op.batch_alter_table("informatieobject", schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("informatieobject", schema=None) as batch_op:
        for name, _kind in reversed(COLUMNS):
            batch_op.drop_column(name)
