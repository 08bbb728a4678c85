"""The life of an inbox item, as a checked state machine.

::

    seen ─▶ stable ─▶ claimed ─▶ stored ─▶ ready ─▶ filed
      │        │         │          │         │
      └────────┴─────────┴──────────┴─────────┴──▶ quarantined ─▶ (retry) claimed
                                    └──▶ duplicate ─▶ filed | discarded
    ready, quarantined, duplicate ─▶ discarded

* ``claimed`` is written (and committed) before the original is touched, so a
  crash afterwards finds the item and finishes or repeats the work.
* ``stored``: the content is durably in the object store under its hash.
* ``ready``: identified and inspected; only now may the original leave the
  drop folder.
* ``duplicate``: the content is already filed or waiting in the inbox; the
  user chooses to discard it or to file it anyway.
* ``filed`` and ``discarded`` are final.
"""

from __future__ import annotations

from enum import StrEnum

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_


class InboxState(StrEnum):
    SEEN = "seen"
    STABLE = "stable"
    CLAIMED = "claimed"
    STORED = "stored"
    READY = "ready"
    FILED = "filed"
    QUARANTINED = "quarantined"
    DUPLICATE = "duplicate"
    DISCARDED = "discarded"


S = InboxState

TRANSITIONS: dict[InboxState, frozenset[InboxState]] = {
    S.SEEN: frozenset({S.STABLE, S.QUARANTINED}),
    S.STABLE: frozenset({S.CLAIMED, S.QUARANTINED}),
    S.CLAIMED: frozenset({S.STORED, S.QUARANTINED}),
    S.STORED: frozenset({S.READY, S.DUPLICATE, S.QUARANTINED}),
    S.READY: frozenset({S.FILED, S.DISCARDED}),
    S.DUPLICATE: frozenset({S.FILED, S.DISCARDED}),
    # retry starts the work again from the claim; the original is still held
    S.QUARANTINED: frozenset({S.CLAIMED, S.DISCARDED}),
    S.FILED: frozenset(),
    S.DISCARDED: frozenset(),
}

FINAL = frozenset(state for state, targets in TRANSITIONS.items() if not targets)
# The original may leave the drop folder once an item has reached one of these.
ORIGINAL_RELEASABLE = frozenset({S.READY, S.DUPLICATE, S.FILED})


def check_transition(current: InboxState, target: InboxState) -> None:
    """Refuse a transition the state machine does not allow."""
    if target not in TRANSITIONS[current]:
        raise UserError(
            N_("An inbox item that is {current} cannot become {target}."),
            {"current": current.value, "target": target.value},
        )
