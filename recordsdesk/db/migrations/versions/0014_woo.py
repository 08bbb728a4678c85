"""Woo requests, their scope and assessments; the Woo category of a record; saved searches

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29

Issue 7. ``informatieobject.woo_informatiecategorie`` keeps the TOOI URI of a
record's Woo information category (recordsdesk.woo). A ``woo_request`` holds
what is in its scope (``woo_scope``, each row naming the legal hold it placed),
the judgement of each document (``woo_assessment``) and the areas to redact
(``woo_redaction``). ``saved_search``: a user's named searches.
The column is added with a plain ALTER TABLE (no table copy), so the change-log
triggers of migration 0012 stay in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_UTC = sa.DateTime(timezone=True)


def _who(prefix: str) -> list[sa.Column[object]]:
    return [
        sa.Column(f"{prefix}_at", _UTC, nullable=False),
        sa.Column(f"{prefix}_by", sa.String(200), nullable=False),
    ]


def upgrade() -> None:
    op.add_column(
        "informatieobject", sa.Column("woo_informatiecategorie", sa.String(200), nullable=True)
    )
    op.create_table(
        "woo_request",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("nummer", sa.String(40), nullable=False),
        sa.Column("onderwerp", sa.Text(), nullable=False),
        sa.Column("ontvangen_op", sa.Date(), nullable=False),
        sa.Column("besluit_uiterlijk", sa.Date(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("besluit", sa.String(40), nullable=True),
        *_who("created"),
        sa.Column("closed_at", _UTC, nullable=True),
        sa.Column("closed_by", sa.String(200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(status = 'open' AND closed_at IS NULL) OR "
            "(status = 'closed' AND closed_at IS NOT NULL AND closed_by IS NOT NULL)",
            name=op.f("ck_woo_request_closed_complete"),
        ),
        sa.CheckConstraint(
            "besluit IN ('reeds_openbaar', 'openbaarmaking', 'gedeeltelijke_openbaarmaking', "
            "'geen_openbaarmaking', 'geen_documenten')",
            name=op.f("ck_woo_request_besluit"),
        ),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_woo_request_status")),
        sa.CheckConstraint(
            "length(trim(nummer)) > 0", name=op.f("ck_woo_request_nummer_not_blank")
        ),
        sa.CheckConstraint(
            "length(trim(onderwerp)) > 0", name=op.f("ck_woo_request_onderwerp_not_blank")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_woo_request")),
        sa.UniqueConstraint("nummer", name=op.f("uq_woo_request_nummer")),
    )
    op.create_table(
        "woo_scope",
        sa.Column("request_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("informatieobject_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("hold_id", sa.Uuid(as_uuid=False), nullable=True),
        *_who("added"),
        sa.ForeignKeyConstraint(["hold_id"], ["hold.id"], name=op.f("fk_woo_scope_hold_id_hold")),
        sa.ForeignKeyConstraint(
            ["informatieobject_id"],
            ["informatieobject.id"],
            name=op.f("fk_woo_scope_informatieobject_id_informatieobject"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["woo_request.id"], name=op.f("fk_woo_scope_request_id_woo_request")
        ),
        sa.PrimaryKeyConstraint("request_id", "informatieobject_id", name=op.f("pk_woo_scope")),
    )
    op.create_index(op.f("ix_woo_scope_informatieobject_id"), "woo_scope", ["informatieobject_id"])
    op.create_table(
        "woo_assessment",
        sa.Column("request_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("informatieobject_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("beoordeling", sa.String(20), nullable=False),
        sa.Column("gronden", sa.Text(), nullable=True),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column("publieke_link", sa.Text(), nullable=True),
        *_who("assessed"),
        sa.CheckConstraint(
            "beoordeling IN ('openbaar', 'deels_openbaar', 'niet_openbaar', 'reeds_openbaar')",
            name=op.f("ck_woo_assessment_beoordeling"),
        ),
        sa.CheckConstraint(
            "beoordeling IN ('openbaar', 'reeds_openbaar') OR "
            "(gronden IS NOT NULL AND length(trim(gronden)) > 0)",
            name=op.f("ck_woo_assessment_gronden_when_refused"),
        ),
        sa.ForeignKeyConstraint(
            ["informatieobject_id"],
            ["informatieobject.id"],
            name=op.f("fk_woo_assessment_informatieobject_id_informatieobject"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["woo_request.id"],
            name=op.f("fk_woo_assessment_request_id_woo_request"),
        ),
        sa.PrimaryKeyConstraint(
            "request_id", "informatieobject_id", name=op.f("pk_woo_assessment")
        ),
    )
    op.create_index(
        op.f("ix_woo_assessment_informatieobject_id"), "woo_assessment", ["informatieobject_id"]
    )
    op.create_table(
        "woo_redaction",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("request_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("bestand_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Float(), nullable=False) for name in ("x0", "y0", "x1", "y1")),
        sa.Column("grond", sa.String(20), nullable=False),
        *_who("created"),
        sa.CheckConstraint(
            "length(trim(grond)) > 0", name=op.f("ck_woo_redaction_grond_not_blank")
        ),
        sa.CheckConstraint("page >= 1", name=op.f("ck_woo_redaction_page_positive")),
        sa.CheckConstraint("x1 > x0 AND y1 > y0", name=op.f("ck_woo_redaction_area_positive")),
        sa.ForeignKeyConstraint(
            ["bestand_id"], ["bestand.id"], name=op.f("fk_woo_redaction_bestand_id_bestand")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["woo_request.id"],
            name=op.f("fk_woo_redaction_request_id_woo_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_woo_redaction")),
    )
    op.create_index(op.f("ix_woo_redaction_request_id"), "woo_redaction", ["request_id"])
    op.create_table(
        "saved_search",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("filters", sa.Text(), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_saved_search_name_not_blank")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_search")),
    )
    op.create_index("uq_saved_search_owner_name", "saved_search", ["owner", "name"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_saved_search_owner_name", table_name="saved_search")
    op.drop_table("saved_search")
    op.drop_index(op.f("ix_woo_redaction_request_id"), table_name="woo_redaction")
    op.drop_table("woo_redaction")
    op.drop_index(op.f("ix_woo_assessment_informatieobject_id"), table_name="woo_assessment")
    op.drop_table("woo_assessment")
    op.drop_index(op.f("ix_woo_scope_informatieobject_id"), table_name="woo_scope")
    op.drop_table("woo_scope")
    op.drop_table("woo_request")
    # a plain DROP COLUMN (SQLite 3.35+): a table copy would lose the change-log triggers
    op.drop_column("informatieobject", "woo_informatiecategorie")
