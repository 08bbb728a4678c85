"""Reading an MDTO package from disk into an import plan, trusting nothing in it.

:func:`scan` reads a sidecar tree: ours (``recordsdesk export mdto`` with the
content put beside it, ``recordsdesk export sip``, also as a BagIt bag) or
another system's. It returns either a :class:`Plan` or *every* problem found,
each with the file (relative to the folder given) and, where there is one, the
element path. It never raises for bad input and never writes anything.

What it refuses, and where (each module states its part in full):

* **Paths, XML, metadata files and BagIt manifests**
  (:mod:`recordsdesk.mdto.package_walk`): the tree is walked without following
  links, every link and special file is refused, files are opened with
  ``O_NOFOLLOW``; every metadata file is validated safely
  (:func:`recordsdesk.mdto.schema.validate`) and checked
  (:func:`recordsdesk.mdto.rules.check`); metadata files are ``*.mdto.xml`` and
  any other ``*.xml`` with an ``MDTO`` root; a bag's manifests must list every
  payload file with its true checksum, and nothing else.
* **Content** (:mod:`recordsdesk.mdto.package_pairing`): each bestand sidecar
  paired with its file (beside it, or named by a plain ``naam``), a sidecar
  without its file and the reverse refused (with ``metadata_only`` a sidecar
  without its file is skipped and listed instead), content hashed streaming
  and every MD5, SHA-1 and SHA-2 checksum recomputed.
* **Hierarchy** (here). Objects are matched by identificatie (kenmerk and bron);
  an identificatie used twice is a problem. ``isOnderdeelVan``,
  ``bevatOnderdeel``, ``heeftRepresentatie`` and ``isRepresentatieVan`` must
  name objects in the package (a reference that cannot be resolved would be
  lost, so it is refused); an object has at most one parent; cycles are
  reported (:func:`rules.check_hierarchy`); a bestand whose
  ``isRepresentatieVan`` names another object than the one whose
  ``heeftRepresentatie`` lists it is a problem.

The plan lists the informatieobjecten parent first, each with its bestanden
(in ``heeftRepresentatie`` order, then by file) and their content paths, sizes
and verified SHA-256; whoever stores the content must hash it again while
copying and compare, so that a file changed after the scan is noticed
(:mod:`recordsdesk.services.importing` does).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from recordsdesk.i18n import N_
from recordsdesk.mdto import model, rules
from recordsdesk.mdto.package_pairing import pair
from recordsdesk.mdto.package_walk import (
    BAG_DECLARATION,
    BAG_PAYLOAD,
    MANIFEST_ALGORITHMS,
    UNREADABLE,
    Content,
    Meta,
    PackageProblem,
    Problems,
    check_manifest,
    is_regular,
    read_all,
    walk,
)

NOT_A_FOLDER = N_("{path} is not a folder.")
NO_PAYLOAD = N_("This is a BagIt bag (it has bagit.txt) but it has no data folder.")
NO_OBJECTS = N_("The package holds no MDTO informatieobject (no *.mdto.xml file with one).")
DUPLICATE_ID = N_("The identificatie {kenmerk} ({bron}) is also used by {other}.")
REF_WITHOUT_ID = N_(
    "{element} names {naam} without an identificatie, so RecordsDesk cannot tell "
    "which object in the package is meant."
)
REF_UNRESOLVED = N_(
    "{element} names {kenmerk} ({bron}), which is not in the package; the link would be lost."
)
TWO_PARENTS = N_(
    "This object is part of two objects in the package ({first} and {second}); "
    "RecordsDesk keeps one parent per object."
)
REPRESENTATION_CONFLICT = N_(
    "This bestand says it represents {owner}, but {other} lists it in heeftRepresentatie."
)


@dataclass(frozen=True)
class PlannedBestand:
    """A bestand to import: its sidecar, its content file and the content's verified facts."""

    sidecar: str  # relative path of the sidecar
    content: Path  # the content file (absolute)
    meta: model.Bestand
    size: int
    sha256: str


@dataclass(frozen=True)
class PlannedObject:
    """An informatieobject to import, with its parent (an index) and its bestanden."""

    source: str  # relative path of its metadata file
    meta: model.Informatieobject
    parent: int | None  # index of the parent in Plan.objects (always earlier)
    bestanden: tuple[PlannedBestand, ...]


@dataclass(frozen=True)
class Plan:
    """What to import from ``folder`` (see the module contract)."""

    folder: Path
    objects: tuple[PlannedObject, ...]  # parent first
    skipped: tuple[str, ...] = ()  # sidecars without content (metadata_only)

    @property
    def bestanden(self) -> Iterator[PlannedBestand]:
        for obj in self.objects:
            yield from obj.bestanden


@dataclass(frozen=True)
class Scan:
    """The outcome of :func:`scan`: a plan, or (``plan`` None) every problem found."""

    plan: Plan | None
    problems: tuple[PackageProblem, ...] = field(default_factory=tuple)


def scan(folder: Path, *, metadata_only: bool = False) -> Scan:
    """The import plan of the package in ``folder``, or every problem; see the module doc."""
    problems = Problems()
    try:
        root = folder.resolve(strict=True)
    except OSError as exc:
        problems.add("", UNREADABLE, {"reason": exc.strerror or str(exc)})
        return Scan(None, tuple(problems.items))
    if not root.is_dir():
        problems.add("", NOT_A_FOLDER, {"path": str(folder)})
        return Scan(None, tuple(problems.items))
    payload, manifests = root, []
    if is_regular(root / BAG_DECLARATION):
        payload = root / BAG_PAYLOAD
        if not (payload.is_dir() and not payload.is_symlink()):
            problems.add(BAG_DECLARATION, NO_PAYLOAD)
            return Scan(None, tuple(problems.items))
        manifests = [a for a in MANIFEST_ALGORITHMS if is_regular(root / f"manifest-{a}.txt")]
    files = list(walk(root, payload, problems))
    metas, contents, failed = read_all(root, files, problems)
    wanted = set(manifests)
    bestanden = pair(metas, contents, failed, problems, wanted, metadata_only)
    skipped = tuple(sorted(m.rel for m, c in bestanden if c is None))
    objects = [m for m in metas if isinstance(m.obj, model.Informatieobject)]
    if not objects and not problems.items:
        problems.add("", NO_OBJECTS)
    for algorithm in manifests:
        check_manifest(root, algorithm, files, metas, contents, problems)
    if failed:
        # references into a file that could not be read would only repeat its problem
        return Scan(None, tuple(problems.items))
    planned = _hierarchy(objects, bestanden, problems)
    if problems.items:
        return Scan(None, tuple(problems.items))
    return Scan(Plan(root, tuple(planned), skipped))


# -- hierarchy ----------------------------------------------------------------

Key = tuple[str, str]


def _keys(obj: model.Informatieobject | model.Bestand) -> list[Key]:
    return [(i.kenmerk, i.bron) for i in obj.identificatie]


def _hierarchy(
    objects: list[Meta],
    bestanden: list[tuple[Meta, Content | None]],
    problems: Problems,
) -> list[PlannedObject]:
    """The objects parent first, each with its bestanden; problems for what does not fit."""
    index: dict[Key, int] = {}
    for number, meta in enumerate(objects):
        for key in _keys(meta.obj):
            if key in index:
                other = objects[index[key]].rel
                problems.add(
                    meta.rel, DUPLICATE_ID, {"kenmerk": key[0], "bron": key[1], "other": other}
                )
            else:
                index[key] = number
    parents: dict[int, set[int]] = {}
    for number, meta in enumerate(objects):
        obj = meta.obj
        assert isinstance(obj, model.Informatieobject)
        for found in _resolve(meta, "isOnderdeelVan", obj.is_onderdeel_van, index, problems):
            parents.setdefault(number, set()).add(found)
        for found in _resolve(meta, "bevatOnderdeel", obj.bevat_onderdeel, index, problems):
            parents.setdefault(found, set()).add(number)
    parent: dict[int, int] = {}
    for child, candidates in parents.items():
        if len(candidates) > 1:
            first, second = sorted(objects[i].rel for i in candidates)[:2]
            problems.add(objects[child].rel, TWO_PARENTS, {"first": first, "second": second})
        else:
            parent[child] = next(iter(candidates))
    infos = [m.obj for m in objects if isinstance(m.obj, model.Informatieobject)]
    cycles = rules.check_hierarchy(infos)
    problems.extend("", cycles)
    owned = _representations(objects, index, bestanden, problems)
    if problems.items:
        return []
    order: list[int] = []
    children: dict[int | None, list[int]] = {}
    for number in range(len(objects)):
        children.setdefault(parent.get(number), []).append(number)
    stack = list(reversed(children.get(None, [])))
    while stack:
        number = stack.pop()
        order.append(number)
        stack.extend(reversed(children.get(number, [])))
    position = {number: n for n, number in enumerate(order)}
    planned = []
    for number in order:
        meta = objects[number]
        assert isinstance(meta.obj, model.Informatieobject)
        up = parent.get(number)
        planned.append(
            PlannedObject(
                meta.rel,
                meta.obj,
                position[up] if up is not None else None,
                tuple(owned.get(number, ())),
            )
        )
    return planned


def _resolve(
    meta: Meta,
    element: str,
    refs: Iterable[model.Verwijzing],
    index: Mapping[Key, int],
    problems: Problems,
) -> Iterator[int]:
    refs = list(refs)
    root = "informatieobject" if isinstance(meta.obj, model.Informatieobject) else "bestand"
    for number, ref in enumerate(refs, start=1):
        where = f"/MDTO/{root}/{element}" + (f"[{number}]" if len(refs) > 1 else "")
        if ref.identificatie is None:
            problems.add(meta.rel, REF_WITHOUT_ID, {"element": element, "naam": ref.naam}, where)
            continue
        key = (ref.identificatie.kenmerk, ref.identificatie.bron)
        if key not in index:
            params = {"element": element, "kenmerk": key[0], "bron": key[1]}
            problems.add(meta.rel, REF_UNRESOLVED, params, where)
            continue
        yield index[key]


def _representations(
    objects: list[Meta],
    index: Mapping[Key, int],
    bestanden: list[tuple[Meta, Content | None]],
    problems: Problems,
) -> dict[int, list[PlannedBestand]]:
    """Each object's bestanden, in its heeftRepresentatie order (then by file)."""
    by_key: dict[Key, int] = {}
    for number, (meta, _content) in enumerate(bestanden):
        for key in _keys(meta.obj):
            if key in by_key:
                other = bestanden[by_key[key]][0].rel
                problems.add(
                    meta.rel, DUPLICATE_ID, {"kenmerk": key[0], "bron": key[1], "other": other}
                )
            else:
                by_key[key] = number
    owner: dict[int, int] = {}
    rank: dict[int, int] = {}
    for number, (meta, _content) in enumerate(bestanden):
        bestand = meta.obj
        assert isinstance(bestand, model.Bestand)
        for found in _resolve(
            meta, "isRepresentatieVan", [bestand.is_representatie_van], index, problems
        ):
            owner[number] = found
    for number, meta in enumerate(objects):
        obj = meta.obj
        assert isinstance(obj, model.Informatieobject)
        for place, found in enumerate(
            _resolve(meta, "heeftRepresentatie", obj.heeft_representatie, by_key, problems)
        ):
            if owner.get(found, number) != number:
                problems.add(
                    bestanden[found][0].rel,
                    REPRESENTATION_CONFLICT,
                    {"owner": objects[owner[found]].rel, "other": meta.rel},
                )
            owner.setdefault(found, number)
            rank.setdefault(found, place)
    result: dict[int, list[PlannedBestand]] = {}
    for number in sorted(owner, key=lambda n: (rank.get(n, len(bestanden)), bestanden[n][0].rel)):
        meta, content = bestanden[number]
        assert isinstance(meta.obj, model.Bestand)
        if content is None or "sha256" not in content.digests:
            continue  # skipped (metadata only), or unreadable (a problem already)
        result.setdefault(owner[number], []).append(
            PlannedBestand(
                meta.rel,
                content.path,
                meta.obj,
                content.size,
                content.digests["sha256"],
            )
        )
    return result
