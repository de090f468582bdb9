"""The trio of an odd round: the best three to group when the count is odd."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import chain

from coffee.matching.blossom import augment, matched_pairs, search
from coffee.matching.round import TRIO_CHOICES, Candidate, Group, RoundData


def trio_choices(rnd: RoundData, mate: dict[int, int]) -> list[Candidate]:
    """Trios of fewest-repeat groupings, given a maximum matching ``mate``.

    With nu = |mate|, no grouping has fewer than ``floor = (n-1)/2 - nu``
    repeats, and ``floor + 2`` is always reachable. Only a trio of three unmet
    pairs whose members could each be the one left out by a maximum matching
    reaches ``floor``; ``floor + 1`` needs a trio with at least two unmet pairs.
    The search tries those candidates in that order until nothing untried can
    do better. When repeats are unavoidable it keeps up to ``TRIO_CHOICES``
    equally good trios, since which one is best depends on the recency of the
    repeats it leaves.
    """
    floor = (rnd.size - 1) // 2 - len(mate) // 2
    outer = cache(lambda: sorted(exposable(rnd, mate, list(range(rnd.size)))))
    fallback = _any_trio(rnd, mate)
    choices, best = [fallback], _trio_cost(rnd, *fallback)
    stages = ((floor, _floor_trios(rnd, mate, outer)), (floor + 1, _near_trios(rnd, mate, outer)))
    for bound, candidates in stages:
        while not _settled(best, bound, len(choices)):
            candidate = next(candidates, None)
            if candidate is None:
                break
            cost = _trio_cost(rnd, *candidate)
            if cost < best:
                choices, best = [candidate], cost
            elif cost == best and len(choices) < TRIO_CHOICES:
                choices.append(candidate)
    return choices


def _settled(best: int, bound: int, kept: int) -> bool:
    """Whether trios that cannot beat ``bound`` are worth looking at any more."""
    return best < bound or (best == bound and (best == 0 or kept == TRIO_CHOICES))


def _floor_trios(
    rnd: RoundData, mate: dict[int, int], outer: Callable[[], list[int]]
) -> Iterator[Candidate]:
    """Trios that may reach ``floor``.

    First an exposed person with a matched pair neither has met (cheap, and
    nearly always there in a large round), then every unmet triangle inside
    ``outer()``.
    """
    pairs = matched_pairs(mate)
    for x in range(rnd.size):
        if x not in mate:
            for a, b in pairs:
                if rnd.unmet(x, a) and rnd.unmet(x, b):
                    yield (x, a, b), {v: w for v, w in mate.items() if v not in (a, b)}
    for trio in _triangles(rnd, outer()):
        yield trio, without(rnd, mate, trio)


def _near_trios(
    rnd: RoundData, mate: dict[int, int], outer: Callable[[], list[int]]
) -> Iterator[Candidate]:
    """Trios that may reach ``floor + 1``, the likeliest first.

    A triangle touching ``outer`` always does; otherwise a trio with two unmet
    pairs (found through a twin vertex, which needs an unmet partner in
    ``outer`` to end its augmenting path) or any other triangle may.
    """
    for x in outer():
        for trio in _triangles_at(rnd, x, range(rnd.size)):
            yield trio, without(rnd, mate, trio)
    exposable = set(outer())
    for x in range(rnd.size):
        if any(u in exposable for u in rnd.neighbors(x)):
            found = _path_trio(rnd, mate, x)
            if found is not None:
                yield found
    for trio in _triangles(rnd, range(rnd.size)):
        yield trio, without(rnd, mate, trio)


def exposable(rnd: RoundData, mate: dict[int, int], nodes: list[int]) -> set[int]:
    """Everyone among ``nodes`` whom some maximum matching leaves out.

    ``mate`` must be a maximum matching of ``nodes``.
    """
    outer: set[int] = set()
    for root in nodes:
        if root not in mate:
            reached = search(root, nodes, rnd, mate)
            if reached is None:
                raise AssertionError("the matching was not maximum")
            outer |= reached
    return outer


def _trio_cost(rnd: RoundData, trio: Group, rest: dict[int, int]) -> int:
    """Repeats of a trio plus a maximum matching ``rest`` of everybody else."""
    return rnd.score([trio])[0] + (rnd.size - 3) // 2 - len(rest) // 2


def _any_trio(rnd: RoundData, mate: dict[int, int]) -> Candidate:
    """A trio reaching ``floor + 2``: three exposed people, or one joining a pair."""
    exposed = [v for v in range(rnd.size) if v not in mate]
    if len(exposed) >= 3:
        return tuple(exposed[:3]), dict(mate)
    x = exposed[0]
    a, b = min(matched_pairs(mate), key=lambda pair: rnd.score([(x, *pair)]))
    return (x, a, b), {v: w for v, w in mate.items() if v not in (a, b)}


def _triangles(rnd: RoundData, people: Iterable[int]) -> Iterator[Group]:
    """Trios among ``people`` (ascending) whose members have pairwise not met."""
    people = list(people)
    for k, x in enumerate(people):
        yield from _triangles_at(rnd, x, people[k + 1 :])


def _triangles_at(rnd: RoundData, x: int, others: Iterable[int]) -> Iterator[Group]:
    """Trios of ``x`` with two of ``others`` (ascending), pairwise not met."""
    near = [a for a in others if rnd.adjacent(x, a)]
    for k, a in enumerate(near):
        for b in near[k + 1 :]:
            if rnd.unmet(a, b):
                yield x, a, b


def without(
    rnd: RoundData, mate: dict[int, int], removed: Group, people: Iterable[int] | None = None
) -> dict[int, int]:
    """A maximum matching of ``people`` (default: everyone) once ``removed`` leave.

    ``mate`` must be a maximum matching of ``people``. Removing one matched
    person can only open an augmenting path from their former partner, so one
    search per removed person restores maximality.
    """
    rest = dict(mate)
    nodes = list(range(rnd.size) if people is None else people)
    for person in removed:
        nodes.remove(person)
        partner = rest.pop(person, None)
        if partner is not None:
            del rest[partner]
            augment(partner, nodes, rnd, rest)
    return rest


def _path_trio(rnd: RoundData, mate: dict[int, int], x: int) -> Candidate | None:
    """A trio around ``x`` with two unmet pairs leaving a matching of nu - 1, if any.

    A twin of ``x`` (same unmet partners) is added to the graph: the matching
    grows by one exactly when ``x`` and the twin can both be matched, to two
    people who then form the trio with ``x``.
    """
    twin = rnd.size
    grown = dict(mate)
    if not augment(twin, [*range(rnd.size), twin], _Twinned(rnd, x, twin), grown):
        return None
    a, b = grown[x], grown[twin]
    return (x, a, b), {v: w for v, w in grown.items() if v not in (x, twin, a, b)}


@dataclass
class _Twinned:
    """The "not yet met" graph plus ``twin``, who has not met the same people as ``x``."""

    rnd: RoundData
    x: int
    twin: int

    def _person(self, v: int) -> int:
        return self.x if v == self.twin else v

    def adjacent(self, u: int, v: int) -> bool:
        return self.rnd.adjacent(self._person(u), self._person(v))

    def neighbors(self, v: int) -> Iterable[int]:
        if v == self.twin:
            return self.rnd.neighbors(self.x)
        if self.adjacent(v, self.twin):
            return chain(self.rnd.neighbors(v), (self.twin,))
        return self.rnd.neighbors(v)
