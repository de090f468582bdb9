"""Tiny rounds: every grouping tried, which honours all three preferences exactly."""

from __future__ import annotations

import random
from collections.abc import Iterator
from itertools import combinations

from coffee.matching.round import Group, RoundData


def _perfect_matchings(people: list[int]) -> Iterator[list[Group]]:
    if not people:
        yield []
        return
    first, rest = people[0], people[1:]
    for k, other in enumerate(rest):
        for tail in _perfect_matchings(rest[:k] + rest[k + 1 :]):
            yield [(first, other), *tail]


def groupings(people: list[int]) -> Iterator[list[Group]]:
    """Every way to split ``people`` into pairs, plus one trio if the count is odd."""
    if len(people) % 2 == 0:
        yield from _perfect_matchings(people)
        return
    for trio in combinations(people, 3):
        rest = [p for p in people if p not in trio]
        for pairs in _perfect_matchings(rest):
            yield [trio, *pairs]


def exact_groups(rnd: RoundData, rng: random.Random) -> list[Group]:
    """The best grouping by full enumeration; the seeded order breaks exact ties."""
    people = list(range(rnd.size))
    rng.shuffle(people)
    return min(groupings(people), key=rnd.score)
