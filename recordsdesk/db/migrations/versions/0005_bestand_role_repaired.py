"""bestand role repaired

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

A PDF that qpdf could read only by rebuilding it is filed with a repaired copy
beside the untouched original: a bestand with role ``repaired``. On SQLite the
table is rebuilt; :func:`recordsdesk.db.migrate.upgrade` turns foreign-key
enforcement off around the migration and checks every key before it commits.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bestand", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_bestand_role"), type_="check")
        batch_op.create_check_constraint("role", "role IN ('original', 'pdfa', 'ocr', 'repaired')")


def downgrade() -> None:
    with op.batch_alter_table("bestand", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_bestand_role"), type_="check")
        batch_op.create_check_constraint("role", "role IN ('original', 'pdfa', 'ocr')")
