"""The inbox state machine allows exactly the documented transitions."""

from __future__ import annotations

import itertools

import pytest

from recordsdesk.errors import UserError
from recordsdesk.intake.states import (
    FINAL,
    ORIGINAL_RELEASABLE,
    TRANSITIONS,
    InboxState,
    check_transition,
)

S = InboxState

ALLOWED = {
    (S.SEEN, S.STABLE),
    (S.SEEN, S.QUARANTINED),
    (S.STABLE, S.CLAIMED),
    (S.STABLE, S.QUARANTINED),
    (S.CLAIMED, S.STORED),
    (S.CLAIMED, S.QUARANTINED),
    (S.STORED, S.READY),
    (S.STORED, S.DUPLICATE),
    (S.STORED, S.QUARANTINED),
    (S.READY, S.FILED),
    (S.READY, S.DISCARDED),
    (S.DUPLICATE, S.FILED),
    (S.DUPLICATE, S.DISCARDED),
    (S.QUARANTINED, S.CLAIMED),
    (S.QUARANTINED, S.DISCARDED),
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)))
def test_exactly_the_documented_transitions_are_allowed(
    current: InboxState, target: InboxState
) -> None:
    if (current, target) in ALLOWED:
        check_transition(current, target)
    else:
        with pytest.raises(UserError):
            check_transition(current, target)


def test_filed_and_discarded_are_final() -> None:
    assert frozenset({S.FILED, S.DISCARDED}) == FINAL


def test_every_state_can_reach_a_final_state() -> None:
    for start in S:
        reached, frontier = {start}, [start]
        while frontier:
            for nxt in TRANSITIONS[frontier.pop()]:
                if nxt not in reached:
                    reached.add(nxt)
                    frontier.append(nxt)
        assert reached & FINAL, f"{start} can never end"


def test_the_original_is_released_only_once_its_content_is_safe() -> None:
    unsafe = {S.SEEN, S.STABLE, S.CLAIMED, S.STORED, S.QUARANTINED}
    assert not (ORIGINAL_RELEASABLE & unsafe)
