"""A snippet of a local hit's text with the query's words marked.

FTS5's own ``snippet()`` marks only what matched in the column it shows, and a
plain word matches the ``stems`` column, never the body. So the local index
marks words here, with the same folding and stemming as the index
(:mod:`normalise`): a plain word marks every word with its stem, a prefix every
word starting with it, a phrase (or field term) its words as written.

The window shown is the run of :data:`WINDOW` words with the most marked words
(the first such run); without any, the text's start. Marks are
:data:`START` and :data:`END`; the UI turns them into emphasis.
"""

from __future__ import annotations

import re

from recordsdesk.search import normalise
from recordsdesk.search.query import AllOf, AnyOf, Field, Node, Phrase, Word

START, END = "\u00ab", "\u00bb"  # « »: rare in Dutch archival text
ELLIPSIS = "\u2026"
WINDOW = 24  # words in a snippet
_WORD = re.compile(r"[^\W_]+")


class Terms:
    """What to mark: stems of plain words, prefixes, and exact (folded) words."""

    def __init__(self, node: Node | None) -> None:
        self.stems: set[str] = set()
        self.prefixes: set[str] = set()
        self.words: set[str] = set()
        self._seen: dict[str, bool] = {}  # token as written -> marked (words repeat)
        self._yes: set[str] = set()  # the marked tokens of _seen
        if node is not None:
            self._add(node)
        self._initials = {s[:1] for s in self.stems}

    def _add(self, node: Node) -> None:
        if isinstance(node, Word):
            if node.prefix:
                self.prefixes.add(node.text)
            else:
                self.stems.add(normalise.stem(node.text))
        elif isinstance(node, Phrase):
            self.words.update(node.words)
        elif isinstance(node, Field):
            inner = node.node
            if isinstance(inner, Word):
                (self.prefixes if inner.prefix else self.stems).add(
                    inner.text if inner.prefix else normalise.stem(inner.text)
                )
            else:
                self.words.update(inner.words)
        elif isinstance(node, (AllOf, AnyOf)):
            for child in node.nodes:
                self._add(child)
        # Not: excluded words are not in a hit's text

    def __bool__(self) -> bool:
        return bool(self.stems or self.prefixes or self.words)

    def marked(self, tokens: set[str]) -> set[str]:
        """The tokens to mark among ``tokens`` (each token judged once per Terms)."""
        for token in tokens.difference(self._seen):
            if self.matches(token):
                self._yes.add(token)
        return tokens & self._yes

    def matches(self, token: str) -> bool:
        known = self._seen.get(token)
        if known is None:
            known = self._seen[token] = self._matches(token)
        return known

    def _matches(self, token: str) -> bool:
        folded = token.lower() if token.isascii() else normalise.fold(token)
        if folded in self.words or any(folded.startswith(p) for p in self.prefixes):
            return True
        # Stemming is the cost here; a Dutch Snowball stem keeps its word's first
        # letter, so only words starting like one of the stems are stemmed.
        return folded[:1] in self._initials and normalise.stem(folded) in self.stems


def snippet(text: str, terms: Terms, window: int = WINDOW) -> str:
    """About ``window`` words of ``text`` around the most marked words, on one line."""
    words = _WORD.findall(text)
    if not words:
        return ""
    hits = terms.marked(set(words)) if terms else set()
    marked = [i for i, w in enumerate(words) if w in hits] if hits else []
    first = _best_start(marked, window)
    last = min(first + window, len(words)) - 1
    between = _WORD.split(text)  # between[i] precedes words[i] (set operations and
    inside = set(marked)  # splitting run in C: no Python step per word of a long text)
    parts: list[str] = [ELLIPSIS] if first > 0 else []
    for i in range(first, last + 1):
        if i > first:
            parts.append(between[i])
        word = words[i]
        parts.append(f"{START}{word}{END}" if i in inside else word)
    if last < len(words) - 1:
        parts.append(ELLIPSIS)
    return " ".join("".join(parts).split())


def _best_start(marked: list[int], window: int) -> int:
    """Index of the first word of the window holding the most marked words."""
    if not marked:
        return 0
    best, best_count, low = marked[0], 0, 0
    for high, index in enumerate(marked):
        while index - marked[low] >= window:
            low += 1
        if high - low + 1 > best_count:
            best, best_count = marked[low], high - low + 1
    return max(0, best - 3)  # a few words of context before the first mark
