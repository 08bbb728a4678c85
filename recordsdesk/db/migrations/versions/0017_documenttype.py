"""informatieobject.documenttype: the kind of document (besluit, brief, ...)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29

Issue 7 ("Facets and filters": document type). A drop folder already names the
kind of document it receives (``drop_folder.document_type``); filing now copies it
onto the record. In MDTO it is a ``classificatie`` in the begrippenlijst
"Documenttypen RecordsDesk" (``recordsdesk.mdto.mapping.DOCUMENTTYPE_LIST``); this
column is its flat summary, as ``classificatie`` is of the other schemes, so the
search facet and filter read a column. Nothing to fill in: no store had the concept.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("informatieobject", sa.Column("documenttype", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("informatieobject") as batch_op:
        batch_op.drop_column("documenttype")
