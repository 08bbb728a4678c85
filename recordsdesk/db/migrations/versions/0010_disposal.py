"""roles, destruction and transfer lists

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29

Roles of the store's users (none: single-seat mode), destruction and transfer
lists with their items (a snapshot of what was listed and what became of it),
and an index for reading closed dossiers by archiefactiedatum.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_UTC = sa.DateTime(timezone=True)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


ROLES = ("records_manager", "process_owner", "archivist", "admin")
KINDS = ("destruction", "transfer")
STATES = (
    "concept",
    "ter_beoordeling",
    "beoordeeld",
    "ter_accordering",
    "geaccordeerd",
    "wijzigingen_gevraagd",
    "afgebroken",
    "vernietigd",
    "uitgevoerd",
    "overgebracht",
)
ITEM_STATES = ("listed", "excluded", "kept", "removed", "skipped", "destroyed", "transferred")


def upgrade() -> None:
    op.create_table(
        "user_role",
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("granted_by", sa.String(length=200), nullable=False),
        sa.Column("granted_at", _UTC, nullable=False),
        sa.CheckConstraint(_in("role", ROLES), name=op.f("ck_user_role_role")),
        sa.PrimaryKeyConstraint("user_name", "role", name=op.f("pk_user_role")),
    )
    op.create_table(
        "disposal_list",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("naam", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=True),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("updated_at", _UTC, nullable=False),
        sa.Column("review_round", sa.Integer(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", _UTC, nullable=True),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("approved_at", _UTC, nullable=True),
        sa.Column("execution_started_at", _UTC, nullable=True),
        sa.Column("executed_by", sa.String(length=200), nullable=True),
        sa.Column("executed_at", _UTC, nullable=True),
        sa.Column("confirmed_by", sa.String(length=200), nullable=True),
        sa.Column("confirmed_at", _UTC, nullable=True),
        sa.Column("last_reason", sa.Text(), nullable=True),
        sa.Column("outcome_dossier_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(_in("kind", KINDS), name=op.f("ck_disposal_list_kind")),
        sa.CheckConstraint(_in("state", STATES), name=op.f("ck_disposal_list_state")),
        sa.CheckConstraint("length(trim(naam)) > 0", name=op.f("ck_disposal_list_naam_not_blank")),
        sa.ForeignKeyConstraint(
            ["outcome_dossier_id"],
            ["informatieobject.id"],
            name=op.f("fk_disposal_list_outcome_dossier_id_informatieobject"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disposal_list")),
    )
    op.create_index(op.f("ix_disposal_list_state"), "disposal_list", ["state"], unique=False)
    op.create_table(
        "disposal_item",
        sa.Column("list_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("object_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kenmerk", sa.String(length=40), nullable=False),
        sa.Column("naam", sa.String(length=500), nullable=False),
        sa.Column("waardering", sa.String(length=1), nullable=False),
        sa.Column("selectielijst_jaar", sa.Integer(), nullable=True),
        sa.Column("resultaat_nummer", sa.String(length=20), nullable=True),
        sa.Column("gesloten_op", sa.Date(), nullable=True),
        sa.Column("archiefactiedatum", sa.Date(), nullable=True),
        sa.Column("listed_version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("excluded_by", sa.String(length=200), nullable=True),
        sa.Column("exclusion_reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("outcome_reason", sa.Text(), nullable=True),
        sa.Column("done_at", _UTC, nullable=True),
        sa.Column("pending_objects", sa.Text(), nullable=True),
        sa.CheckConstraint(_in("state", ITEM_STATES), name=op.f("ck_disposal_item_state")),
        sa.ForeignKeyConstraint(
            ["list_id"], ["disposal_list.id"], name=op.f("fk_disposal_item_list_id_disposal_list")
        ),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["informatieobject.id"],
            name=op.f("fk_disposal_item_object_id_informatieobject"),
        ),
        sa.PrimaryKeyConstraint("list_id", "object_id", name=op.f("pk_disposal_item")),
    )
    op.create_index(
        op.f("ix_disposal_item_object_id"), "disposal_item", ["object_id"], unique=False
    )
    op.create_index(
        "ix_informatieobject_due",
        "informatieobject",
        ["status", "aggregatieniveau", "archiefactiedatum"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_informatieobject_due", table_name="informatieobject")
    op.drop_index(op.f("ix_disposal_item_object_id"), table_name="disposal_item")
    op.drop_table("disposal_item")
    op.drop_index(op.f("ix_disposal_list_state"), table_name="disposal_list")
    op.drop_table("disposal_list")
    op.drop_table("user_role")
