"""A small ISO Schematron runner with XPath 2 (elementpath), for tests only.

lxml's ``isoschematron`` compiles to XSLT 1.0 and so evaluates XPath 1 only; the
Noord-Hollands Archief's ``mdto.sch`` declares ``queryBinding="xslt2"`` and uses
``matches()``, an XPath 2 function. This runner evaluates each ``assert`` and
``report`` test with elementpath's XPath 2 parser instead.

Supported: ``ns``, ``pattern``, ``rule`` (``context`` a match pattern: a path,
``|`` unions of paths), ``assert``, ``report``, and in messages ``value-of`` and
``name``; ``title``, ``p`` and ``emph`` are ignored. Anything else (``let``,
abstract patterns, ``include``, phases, ...) raises ``NotImplementedError``
instead of being skipped silently, so a richer schema cannot pass by accident.

Semantics as in ISO Schematron: within one pattern a node is handled by the
first rule whose context matches it. An assert fails when its test's effective
boolean value is false; a report fires when it is true. A test that raises an
XPath dynamic error (``matches()`` given two nodes, say) yields a
:class:`Failure` with ``error`` set, as a schematron processor would stop there.
Comments in the schema are ignored by the parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import elementpath
from lxml import etree  # type: ignore[import-untyped]

SCH = "http://purl.oclc.org/dsdl/schematron"
_IGNORED = {"title", "p", "emph"}


@dataclass(frozen=True)
class Assertion:
    """One ``assert`` or ``report`` of the schema; ``number`` counts them from 1 in order."""

    number: int
    kind: Literal["assert", "report"]
    context: str
    test: str


@dataclass(frozen=True)
class Failure:
    """A failed assert or a fired report at ``location`` (``/MDTO/bestand``).

    ``error`` is the XPath error text when the test could not be evaluated.
    """

    assertion: Assertion
    location: str
    message: str
    error: str | None = None


@dataclass(frozen=True)
class _Rule:
    context: str
    checks: tuple[tuple[Assertion, Any], ...]  # (assertion, its sch element for the message)


class Schematron:
    """A parsed schema; :meth:`validate` runs it on one document."""

    def __init__(self, path: Path) -> None:
        root = etree.parse(str(path)).getroot()
        self.namespaces: dict[str, str] = {}
        self.patterns: list[list[_Rule]] = []
        assertions: list[Assertion] = []
        for child in root:
            if not isinstance(child.tag, str):
                continue  # comments, processing instructions
            name = _local(child)
            if name == "ns":
                self.namespaces[child.get("prefix")] = child.get("uri")
            elif name == "pattern":
                self.patterns.append(self._pattern(child, assertions))
            elif name not in _IGNORED:
                raise NotImplementedError(f"schematron element {name} is not supported")
        self.assertions = tuple(assertions)

    def _pattern(self, pattern: Any, assertions: list[Assertion]) -> list[_Rule]:
        if pattern.get("abstract") or pattern.get("is-a"):
            raise NotImplementedError("abstract patterns are not supported")
        rules: list[_Rule] = []
        for rule in pattern:
            if not isinstance(rule.tag, str) or _local(rule) in _IGNORED:
                continue
            if _local(rule) != "rule" or rule.get("abstract"):
                raise NotImplementedError(f"schematron element {_local(rule)} is not supported")
            checks = []
            for check in rule:
                if not isinstance(check.tag, str):
                    continue
                name = _local(check)
                if name not in ("assert", "report"):
                    raise NotImplementedError(f"schematron element {name} is not supported")
                kind: Literal["assert", "report"] = "assert" if name == "assert" else "report"
                number = len(assertions) + 1
                assertion = Assertion(number, kind, rule.get("context"), check.get("test"))
                assertions.append(assertion)
                checks.append((assertion, check))
            rules.append(_Rule(rule.get("context"), tuple(checks)))
        return rules

    def validate(self, document: Path | bytes) -> list[Failure]:
        """Every failure in ``document``, in pattern order, then document order."""
        data = document if isinstance(document, bytes) else document.read_bytes()
        root = etree.fromstring(data)
        failures: list[Failure] = []
        for rules in self.patterns:
            handled: set[Any] = set()
            for rule in rules:
                for node in self._select(root, _as_path(rule.context), root):
                    if node in handled:
                        continue
                    handled.add(node)
                    failures += self._check(root, node, rule)
        return failures

    def _check(self, root: Any, node: Any, rule: _Rule) -> list[Failure]:
        found = []
        for assertion, element in rule.checks:
            where = _path(node)
            try:
                holds = bool(self._select(root, f"boolean(({assertion.test}))", node))
            except elementpath.ElementPathError as exc:
                found.append(Failure(assertion, where, "", str(exc)))
                continue
            if holds == (assertion.kind == "report"):
                found.append(Failure(assertion, where, self._message(root, node, element)))
        return found

    def _message(self, root: Any, node: Any, element: Any) -> str:
        parts = [element.text or ""]
        for child in element:
            if isinstance(child.tag, str) and _local(child) == "value-of":
                select = child.get("select")
                expression = f"string-join(for $v in ({select}) return string($v), ' ')"
                parts.append(str(self._select(root, expression, node)))
            elif isinstance(child.tag, str) and _local(child) == "name":
                parts.append(etree.QName(node).localname)
            parts.append(child.tail or "")
        return " ".join("".join(parts).split())

    def _select(self, root: Any, expression: str, item: Any) -> Any:
        return elementpath.select(root, expression, namespaces=dict(self.namespaces), item=item)


def _local(element: Any) -> str:
    return str(etree.QName(element).localname)


def _as_path(context: str) -> str:
    """A match pattern as an expression selecting every matching node."""
    return " | ".join(
        part.strip() if part.strip().startswith("/") else f"//{part.strip()}"
        for part in context.split("|")
    )


def _path(node: Any) -> str:
    """``/MDTO/bestand/checksum[2]``: local names, ``[n]`` among same-named siblings."""
    steps = []
    while node is not None:
        name = etree.QName(node).localname
        parent = node.getparent()
        if parent is not None:
            same = [sibling for sibling in parent if sibling.tag == node.tag]
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        steps.append(name)
        node = parent
    return "/" + "/".join(reversed(steps))
