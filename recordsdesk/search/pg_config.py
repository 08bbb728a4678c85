"""The PostgreSQL text search configuration of the central index: ``rd_dutch``.

``rd_dutch`` is a copy of the built-in ``dutch`` configuration in which words
first lose their diacritics (the ``unaccent`` extension) and are then stemmed
by ``rd_dutch_stem``: the Dutch Snowball stemmer *without* a stop-word list.
Stop words are the query parser's business (:data:`normalise.STOP_WORDS`, a
short list); PostgreSQL's own list of about a hundred words would silently drop
words such as "niet", "geen" or "zijn", and with them the meaning of a phrase
like "niet openbaar". Words with digits ("co2", "art5a") lose their diacritics
and are lower-cased (``simple``), plain numbers keep the ``dutch`` mapping.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

CONFIG = "rd_dutch"
STEM_DICTIONARY = "rd_dutch_stem"

_WORDS = "hword, hword_part, word, asciiword, asciihword, hword_asciipart"
_NUMWORDS = "numword, numhword, hword_numpart"


def create_config(connection: Connection) -> None:
    """Create ``unaccent``, the stemmer dictionary and ``rd_dutch`` unless present.

    Idempotent. Needs the right to create objects in the current schema;
    ``unaccent`` is a trusted extension (PostgreSQL 13+), so a database owner
    without superuser rights may create it.
    """
    connection.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    have_dictionary = connection.execute(
        text("SELECT 1 FROM pg_ts_dict WHERE dictname = :name AND pg_ts_dict_is_visible(oid)"),
        {"name": STEM_DICTIONARY},
    ).first()
    if have_dictionary is None:
        connection.execute(
            text(
                f"CREATE TEXT SEARCH DICTIONARY {STEM_DICTIONARY}"
                " (TEMPLATE = snowball, Language = dutch)"
            )
        )
    have_config = connection.execute(
        text("SELECT 1 FROM pg_ts_config WHERE cfgname = :name AND pg_ts_config_is_visible(oid)"),
        {"name": CONFIG},
    ).first()
    if have_config is None:
        connection.execute(text(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = dutch)"))
        connection.execute(
            text(
                f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR {_WORDS}"
                f" WITH unaccent, {STEM_DICTIONARY}"
            )
        )
        connection.execute(
            text(
                f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR {_NUMWORDS}"
                " WITH unaccent, simple"
            )
        )
