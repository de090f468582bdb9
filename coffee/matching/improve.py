"""Local search: older repeats and shared interests, one exchange between two groups at a time."""

from __future__ import annotations

from coffee.matching.exhaustive import groupings
from coffee.matching.round import Group, RoundData


def improve(rnd: RoundData, groups: list[Group]) -> list[Group]:
    """Regroup a group holding a repeat with any other group while the score improves.

    Only the members of the two groups move, so the score of the whole grouping
    improves exactly when theirs does; it never gains a repeat.
    """
    groups = list(groups)
    improved = True
    while improved:
        improved = False
        for i in [k for k, group in enumerate(groups) if rnd.score([group])[0]]:
            for j in range(len(groups)):
                if j != i and _regroup(rnd, groups, i, j):
                    improved = True
                    break
    return groups


def _regroup(rnd: RoundData, groups: list[Group], i: int, j: int) -> bool:
    current = rnd.score([groups[i], groups[j]])
    best = min(groupings([*groups[i], *groups[j]]), key=rnd.score)
    if rnd.score(best) >= current:
        return False
    groups[i], groups[j] = best
    return True
