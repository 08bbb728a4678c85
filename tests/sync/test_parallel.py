"""Two groups of content at once: the caller's thread and one more, results in order,
an error raised only after both sides ended, groups cut evenly."""

from __future__ import annotations

import threading
import time

import pytest

from recordsdesk.archive.sync.parallel import GROUP_BYTES, balanced_limit, on_two_threads

MB = 1024 * 1024


def test_results_come_in_order_from_two_threads() -> None:
    seen: dict[int, int] = {}

    def work(n: int) -> int:
        seen[n] = threading.get_ident()
        return n * n

    assert on_two_threads(list(range(7)), work) == [n * n for n in range(7)]
    here = threading.get_ident()
    assert {seen[n] for n in (0, 2, 4, 6)} == {here}, "even ones on the caller's thread"
    assert len({seen[n] for n in (1, 3, 5)} - {here}) == 1, "odd ones on one other thread"
    assert on_two_threads([5], work) == [25] and seen[5] == here
    assert on_two_threads([], work) == []


def test_an_error_is_raised_after_the_other_side_finished() -> None:
    done: list[int] = []

    def work(n: int) -> int:
        if n == 0:
            raise OSError("disk gone")
        time.sleep(0.05)
        done.append(n)
        return n

    with pytest.raises(OSError, match="disk gone"):
        on_two_threads([0, 1, 2, 3], work)
    assert done == [1, 3], "the other side's groups all ended before the error came back"


@pytest.mark.parametrize(
    ("total", "expected_groups"),
    [(23 * MB, 2), (47 * MB, 4), (5 * MB, 2), (200 * MB, 14), (1, 1)],
)
def test_groups_are_cut_even_and_never_over_the_limit(total: int, expected_groups: int) -> None:
    limit = balanced_limit(total)
    assert 0 < limit <= GROUP_BYTES
    assert -(-total // limit) == expected_groups
