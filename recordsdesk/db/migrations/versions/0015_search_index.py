"""full-text search index: FTS5 locally, tsvector centrally, and what waits for it

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29

Issue 7. What is indexed: dossiers and records (Archiefstuk), one document each
(built by :mod:`recordsdesk.search.index`).

* ``search_pending(object_id, seq)``: the objects whose index entry is stale.
  Triggers on ``informatieobject``, ``bestand`` and ``content_text`` mark them
  in the same transaction as the change, so nothing searchable can change
  without the index knowing. A mark that exists already gets ``seq + 1``: the
  indexer removes a mark only when its ``seq`` is still the one it read, so a
  change made while a batch was being indexed is indexed again.
* SQLite: ``search_fts``, an FTS5 table (``unicode61 remove_diacritics 2``;
  prefix indexes for 2 and 3 characters, where a prefix query would otherwise
  merge the most terms: a longer one costs indexing time and gains little),
  and ``search_row`` that gives each indexed object its FTS5 rowid.
* PostgreSQL: ``search_document`` with one ``tsvector`` per searchable field
  (text search configuration ``rd_dutch``, :mod:`recordsdesk.search.pg_config`),
  each with a GIN index. The trigger functions run as their owner (SECURITY
  DEFINER, search path pinned), so a login that may file records but not write
  the index still marks what it changed.

A dossier whose kenmerk, naam or Woo category changes marks its records too
(their ``dossier`` and ``categorie`` fields repeat them). Everything indexable
is marked once here, so an existing store is indexed on first use.

SQLite triggers are lost when a later migration rebuilds a table with a copy
(batch mode); such a migration must create them again.
"""

# ruff: noqa: S608 - the SQL below is built from constants only, never from input

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

LEVELS = "('Dossier', 'Archiefstuk')"
# informatieobject columns that reach an index entry
OBJECT_COLUMNS = ("kenmerk", "naam", "omschrijving", "parent_id", "aggregatieniveau",
                  "woo_informatiecategorie")  # fmt: skip
# a dossier's columns that its records' entries repeat
DOSSIER_COLUMNS = ("kenmerk", "naam", "woo_informatiecategorie")
BESTAND_COLUMNS = ("informatieobject_id", "sha256", "role", "derived_from_id")
_MARK = "ON CONFLICT (object_id) DO UPDATE SET seq = search_pending.seq + 1"
TSV_COLUMNS = ("tsv_all", "tsv_titel", "tsv_dossier", "tsv_categorie", "tsv_afzender")


def _changed(columns: tuple[str, ...], distinct: str) -> str:
    return "(" + " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in columns) + ")"


def upgrade() -> None:
    op.create_table(
        "search_pending",
        sa.Column("object_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("object_id", name=op.f("pk_search_pending")),
    )
    if op.get_bind().dialect.name == "sqlite":
        _sqlite()
    else:
        _postgresql()
    op.execute(
        "INSERT INTO search_pending (object_id) "
        f"SELECT id FROM informatieobject WHERE aggregatieniveau IN {LEVELS}"
    )


def _sqlite() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5(titel, dossier, categorie, afzender, body, "
        "stems, object_id UNINDEXED, dossier_id UNINDEXED, "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    op.create_table(
        "search_row",
        sa.Column("rowid", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.PrimaryKeyConstraint("rowid", name=op.f("pk_search_row")),
        sa.UniqueConstraint("object_id", name=op.f("uq_search_row_object_id")),
    )
    mark = f"INSERT INTO search_pending (object_id) VALUES ({{row}}) {_MARK};"
    changed = _changed(OBJECT_COLUMNS, "IS NOT")
    dossier_changed = _changed(DOSSIER_COLUMNS, "IS NOT")
    statements = {  # constants only, no input
        "search_object_insert": "AFTER INSERT ON informatieobject "
        f"WHEN NEW.aggregatieniveau IN {LEVELS} BEGIN {mark.format(row='NEW.id')} END",
        "search_object_update": f"AFTER UPDATE OF {', '.join(OBJECT_COLUMNS)} ON informatieobject "
        f"WHEN (NEW.aggregatieniveau IN {LEVELS} OR OLD.aggregatieniveau IN {LEVELS}) "
        f"AND {changed} BEGIN {mark.format(row='NEW.id')} "
        "INSERT INTO search_pending (object_id) SELECT id FROM informatieobject "
        f"WHERE parent_id = NEW.id AND NEW.aggregatieniveau = 'Dossier' AND {dossier_changed} "
        f"{_MARK}; END",
        "search_object_delete": "AFTER DELETE ON informatieobject "
        f"WHEN OLD.aggregatieniveau IN {LEVELS} BEGIN {mark.format(row='OLD.id')} END",
        "search_bestand_insert": "AFTER INSERT ON bestand BEGIN "
        f"{mark.format(row='NEW.informatieobject_id')} END",
        "search_bestand_update": f"AFTER UPDATE OF {', '.join(BESTAND_COLUMNS)} ON bestand BEGIN "
        f"{mark.format(row='NEW.informatieobject_id')} "
        f"{mark.format(row='OLD.informatieobject_id')} END",
        "search_bestand_delete": "AFTER DELETE ON bestand BEGIN "
        f"{mark.format(row='OLD.informatieobject_id')} END",
    }
    for when in ("INSERT", "UPDATE"):
        statements[f"search_text_{when.lower()}"] = (
            f"AFTER {when} ON content_text BEGIN "
            "INSERT INTO search_pending (object_id) SELECT DISTINCT informatieobject_id "
            f"FROM bestand WHERE sha256 = NEW.sha256 {_MARK}; END"
        )
    for name, body in statements.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def _postgresql() -> None:
    from recordsdesk.search import pg_config

    bind = op.get_bind()
    pg_config.create_config(bind)
    op.create_table(
        "search_document",
        sa.Column("object_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("dossier_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("titel", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        *(sa.Column(name, postgresql.TSVECTOR(), nullable=False) for name in TSV_COLUMNS),
        sa.PrimaryKeyConstraint("object_id", name=op.f("pk_search_document")),
    )
    op.create_index(op.f("ix_search_document_dossier_id"), "search_document", ["dossier_id"])
    for name in TSV_COLUMNS:
        op.create_index(
            op.f(f"ix_search_document_{name}"), "search_document", [name], postgresql_using="gin"
        )
    schema = bind.scalar(sa.text("SELECT current_schema()"))
    pinned = bind.dialect.identifier_preparer.quote(str(schema))
    definer = f"SECURITY DEFINER SET search_path = {pinned}, pg_temp"
    mark = f"INSERT INTO search_pending (object_id) VALUES ({{row}}) {_MARK};"
    op.execute(
        "CREATE FUNCTION rd_search_mark_object() RETURNS trigger LANGUAGE plpgsql "
        f"{definer} AS $$ BEGIN "
        f"IF TG_OP = 'DELETE' THEN {mark.format(row='OLD.id')} RETURN NULL; END IF; "
        f"{mark.format(row='NEW.id')} "
        "IF TG_OP = 'UPDATE' AND NEW.aggregatieniveau = 'Dossier' AND "
        f"{_changed(DOSSIER_COLUMNS, 'IS DISTINCT FROM')} THEN "
        "INSERT INTO search_pending (object_id) SELECT id FROM informatieobject "
        f"WHERE parent_id = NEW.id {_MARK}; END IF; "
        "RETURN NULL; END $$"
    )
    op.execute(
        "CREATE FUNCTION rd_search_mark_bestand() RETURNS trigger LANGUAGE plpgsql "
        f"{definer} AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {mark.format(row='OLD.informatieobject_id')} END IF; "
        f"IF TG_OP <> 'DELETE' THEN {mark.format(row='NEW.informatieobject_id')} END IF; "
        "RETURN NULL; END $$"
    )
    op.execute(
        "CREATE FUNCTION rd_search_mark_text() RETURNS trigger LANGUAGE plpgsql "
        f"{definer} AS $$ BEGIN "
        "INSERT INTO search_pending (object_id) SELECT DISTINCT informatieobject_id "
        f"FROM bestand WHERE sha256 = NEW.sha256 {_MARK}; RETURN NULL; END $$"
    )
    changed = _changed(OBJECT_COLUMNS, "IS DISTINCT FROM")
    triggers = {
        "search_object_insert": "AFTER INSERT ON informatieobject FOR EACH ROW "
        f"WHEN (NEW.aggregatieniveau IN {LEVELS}) EXECUTE FUNCTION rd_search_mark_object()",
        "search_object_update": f"AFTER UPDATE OF {', '.join(OBJECT_COLUMNS)} ON informatieobject "
        f"FOR EACH ROW WHEN ((NEW.aggregatieniveau IN {LEVELS} OR OLD.aggregatieniveau IN "
        f"{LEVELS}) AND {changed}) EXECUTE FUNCTION rd_search_mark_object()",
        "search_object_delete": "AFTER DELETE ON informatieobject FOR EACH ROW "
        f"WHEN (OLD.aggregatieniveau IN {LEVELS}) EXECUTE FUNCTION rd_search_mark_object()",
        "search_bestand": f"AFTER INSERT OR DELETE OR UPDATE OF {', '.join(BESTAND_COLUMNS)} "
        "ON bestand FOR EACH ROW EXECUTE FUNCTION rd_search_mark_bestand()",
        "search_text": "AFTER INSERT OR UPDATE ON content_text FOR EACH ROW "
        "EXECUTE FUNCTION rd_search_mark_text()",
    }
    for name, body in triggers.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


SQLITE_TRIGGERS = (
    "search_object_insert", "search_object_update", "search_object_delete",
    "search_bestand_insert", "search_bestand_update", "search_bestand_delete",
    "search_text_insert", "search_text_update",
)  # fmt: skip
PG_TRIGGERS = {
    "search_object_insert": "informatieobject",
    "search_object_update": "informatieobject",
    "search_object_delete": "informatieobject",
    "search_bestand": "bestand",
    "search_text": "content_text",
}


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.drop_table("search_row")
        op.execute("DROP TABLE IF EXISTS search_fts")
    else:
        for name, table in PG_TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for function in ("object", "bestand", "text"):
            op.execute(f"DROP FUNCTION IF EXISTS rd_search_mark_{function}()")
        op.drop_table("search_document")  # its indexes go with it
    op.drop_table("search_pending")
