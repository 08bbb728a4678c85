"""Dutch text normalisation shared by the indexer and the query compilers.

Folding is the same as SQLite FTS5's ``unicode61 remove_diacritics 2``
tokenizer: case folded, diacritics removed, words are runs of letters and
digits (everything else, the underscore included, separates words). One
difference: compatibility characters are decomposed here ("ĳ" -> "ij",
"ß" -> "ss", "ﬁ" -> "fi", "x²" -> "x2") and kept by unicode61, so for them only
the stemmed search (the ``stems`` column, PostgreSQL) folds both spellings alike. Stemming is
the Dutch (Porter) Snowball stemmer applied to folded words, so "financiële" and
"financiele" get one stem, and "vergunningen" and "vergunning" another one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

# Letters and digits of any script; \w without the underscore (unicode61 treats
# "_" as punctuation). Combining marks are gone after fold(), so not needed here.
_WORD = re.compile(r"[^\W_]+")

#: Words so common that a search on them finds nearly everything: left out of
#: plain (unquoted, unfielded) query words and reported back as a hint. Kept
#: short on purpose: "niet", "geen" and "wel" stay searchable ("niet openbaar"),
#: and a quoted phrase or a field value keeps every word.
STOP_WORDS: frozenset[str] = frozenset(
    {
        *("de", "het", "een", "en", "van", "in", "op", "te", "dat", "die", "dit", "deze"),
        *("is", "zijn", "was", "wordt", "worden", "voor", "met", "aan", "er", "om", "als"),
        *("bij", "of", "ook", "tot", "uit", "naar", "door", "over", "dan", "maar", "nog", "al"),
    }
)

# "dutch_porter" is the Snowball algorithm PostgreSQL's dutch_stem uses, so the
# local and the central index conflate the same words. Snowball 3's newer "dutch"
# also strips the ge- prefix: "gemeente", "mening" and "menen" all become "meen",
# "gebouw" becomes "bouw"; too loose for finding records.
_STEMMER = snowballstemmer.stemmer("dutch_porter")


def fold(text: str) -> str:
    """Case fold and strip diacritics: ``"Café"`` -> ``"cafe"``, ``"ĳs"`` -> ``"ijs"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """The folded words of ``text``, in order (as FTS5's unicode61 splits them)."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Dutch Snowball (Porter) stem of one folded word (cached: indexing repeats words a lot)."""
    return str(_STEMMER.stemWord(word))


def stems(text: str) -> str:
    """Space-separated stems of every word of ``text``: the index's ``stems`` column."""
    return " ".join(stem(t) for t in tokens(text))


def pg_words(text: str) -> str:
    """The folded words of ``text`` joined by spaces: give *this* to ``to_tsvector``.

    The central index must be built as ``to_tsvector('rd_dutch', pg_words(text))``,
    not from the raw text: PostgreSQL's own parser reads "Z-2024-001" as "z",
    "-2024", "-001" (signed integers), "5.1.2" as one version number and
    "info@gemeente.nl" as one e-mail address, while the query compiler builds
    its lexemes from :func:`tokens`. Fed these words, both sides split alike.
    """
    return " ".join(tokens(text))
