"""Writing index entries to PostgreSQL's ``search_document``: the server makes the
tsvectors (``rd_dutch``) from the words :func:`tokens.fast_tokens` gives, which are
the words the query compiler splits a query into (:func:`normalise.pg_words`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, text
from sqlalchemy import Uuid as UuidType

from recordsdesk.search.entries import Entry
from recordsdesk.search.pg_config import CONFIG as PG_CONFIG  # a constant: safe in SQL
from recordsdesk.search.tokens import fast_tokens


def _tsv(param: str) -> str:
    return f"to_tsvector('{PG_CONFIG}', :{param}_w)"


_PG_UPSERT = text(
    "INSERT INTO search_document (object_id, dossier_id, titel, body, tsv_all, tsv_titel, "  # noqa: S608 - constants only
    "tsv_dossier, tsv_categorie, tsv_afzender) VALUES (:object_id, :dossier_id, :titel, :body, "
    f"setweight({_tsv('titel')}, 'A') || setweight({_tsv('afzender')}, 'C') || "
    f"setweight({_tsv('body')}, 'D'), {_tsv('titel')}, {_tsv('dossier')}, {_tsv('categorie')}, "
    f"{_tsv('afzender')}) ON CONFLICT (object_id) DO UPDATE SET dossier_id = EXCLUDED.dossier_id, "
    "titel = EXCLUDED.titel, body = EXCLUDED.body, tsv_all = EXCLUDED.tsv_all, "
    "tsv_titel = EXCLUDED.tsv_titel, tsv_dossier = EXCLUDED.tsv_dossier, "
    "tsv_categorie = EXCLUDED.tsv_categorie, tsv_afzender = EXCLUDED.tsv_afzender"
).bindparams(
    bindparam("object_id", type_=UuidType(as_uuid=False)),
    bindparam("dossier_id", type_=UuidType(as_uuid=False)),
)


def write_postgresql(connection: Connection, ids: Sequence[str], entries: Sequence[Entry]) -> None:
    kept = {e.object_id for e in entries}
    gone = [object_id for object_id in ids if object_id not in kept]
    if gone:
        connection.execute(
            text("DELETE FROM search_document WHERE object_id = :oid").bindparams(
                bindparam("oid", type_=UuidType(as_uuid=False))
            ),
            [{"oid": object_id} for object_id in gone],
        )
    if entries:
        connection.execute(
            _PG_UPSERT,
            [
                {
                    "object_id": e.object_id,
                    "dossier_id": e.dossier_id,
                    "titel": e.titel,
                    "body": e.body,
                    # words split as the query compiler splits them (normalise.pg_words,
                    # whose words fast_tokens gives faster)
                    **{
                        f"{name}_w": " ".join(fast_tokens(getattr(e, name)))
                        for name in ("titel", "dossier", "categorie", "afzender", "body")
                    },
                }
                for e in entries
            ],
        )
