"""Weekly matching: split one round's participants into coffee groups (see the package)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from coffee.matching.exhaustive import exact_groups
from coffee.matching.fewest_repeats import fewest_repeats, groups_around
from coffee.matching.improve import improve
from coffee.matching.rotation import best_rotation
from coffee.matching.round import EXACT_LIMIT, MatchResult, Pair, RoundData


def match_participants(
    participants: Sequence[int],
    history: Mapping[Pair, int],
    *,
    round_number: int,
    seed: int = 0,
    interests: Mapping[int, frozenset[str]] | None = None,
) -> MatchResult:
    """Group this round's participants, avoiding pairs who met before.

    ``history`` maps a pair (smaller id, larger id) to the round of its most
    recent meeting; pairs involving absent users are ignored. The outcome
    depends only on the set of participants, the history, ``round_number`` and
    ``seed``, never on input or dict order. A single participant cannot be
    matched and is returned in ``unmatched``.
    """
    rnd = RoundData.build(participants, history, interests)
    if rnd.size < 2:
        return MatchResult([], 0, tuple(rnd.ids))
    rotation = best_rotation(rnd, round_number)
    if rotation is not None:
        return rnd.result(rotation, "rotation")
    rng = random.Random(f"{seed}:{round_number}")
    if rnd.size <= EXACT_LIMIT:
        return rnd.result(exact_groups(rnd, rng), "exact")
    groups = min(
        (groups_around(rnd, trio, rest) for trio, rest in fewest_repeats(rnd, rng)),
        key=rnd.score,
    )
    return rnd.result(improve(rnd, groups), "matching")


def repeat_lower_bound(participants: Sequence[int], history: Mapping[Pair, int]) -> int:
    """The fewest repeated pairs that any grouping of these participants can have.

    Computed exactly: a maximum matching of the "not yet met" graph, plus the
    exact best trio when the count is odd.
    """
    rnd = RoundData.build(participants, history, None)
    if rnd.size < 2:
        return 0
    trio, rest = fewest_repeats(rnd, random.Random(0))[0]
    return rnd.score([trio])[0] + (rnd.size - len(trio)) // 2 - len(rest) // 2
