"""Values a record takes from its dossier, and the materialised metadata of an object.

Inside RecordsDesk a record inherits some metadata from its dossier: who formed
the archive, the appraisal and retention, the Woo category, the restriction on
use and the activity. The record shows the dossier's value until someone
overrides it, and a change on the dossier reaches every record that still
inherits. MDTO has no inheritance at exchange time (domain doc §1), so every
export writes the *effective* values on every level (:func:`effective`).

Contract: pure functions over model objects; which fields an object inherits is
stored with its metadata (:mod:`recordsdesk.mdto.stored`, ``inherits``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from recordsdesk.mdto import model

#: the fields of model.Informatieobject a record can take from its dossier
INHERITABLE = (
    "waardering",
    "bewaartermijn",
    "informatiecategorie",
    "archiefvormer",
    "activiteit",
    "beperking_gebruik",
)


def effective(
    own: model.Informatieobject,
    inherits: Iterable[str],
    parent: model.Informatieobject | None,
) -> model.Informatieobject:
    """``own`` with each field named in ``inherits`` replaced by ``parent``'s value.

    ``parent`` is the parent's *effective* metadata (so inheritance runs down a
    whole hierarchy). Without a parent the object's own values stand. Names
    outside :data:`INHERITABLE` are a programming error.
    """
    names = tuple(inherits)
    unknown = set(names) - set(INHERITABLE)
    if unknown:
        raise ValueError(f"not inheritable: {sorted(unknown)}")
    if parent is None or not names:
        return own
    return dataclasses.replace(own, **{name: getattr(parent, name) for name in names})


def default_inherits(has_parent: bool) -> frozenset[str]:
    """What an object inherits before anyone has edited it: a record everything it
    can, a top-level dossier nothing."""
    return frozenset(INHERITABLE) if has_parent else frozenset()
