"""A maximum matching of the "not yet met" graph built by a seeded greedy pass (people sharing a
topic first) and completed with augmenting paths; then which people repeat, chosen to make the
repeats old."""

from __future__ import annotations

import random
from collections import deque
from itertools import islice

from coffee.matching.blossom import augment, matched_pairs
from coffee.matching.round import INTEREST_WINDOW, Candidate, Group, RoundData
from coffee.matching.trio import exposable, trio_choices, without


def fewest_repeats(rnd: RoundData, rng: random.Random) -> list[Candidate]:
    """Choices of a trio (empty for an even count) and a maximum matching of the rest.

    Each choice fixes the fewest repeats possible: the trio's own, plus one
    per pair of people its matching leaves out (they have all met each other).
    """
    mate = _maximum_matching(rnd, rng)
    if rnd.size % 2 == 0:
        return [((), mate)]
    return trio_choices(rnd, mate)


def groups_around(rnd: RoundData, trio: Group, rest: dict[int, int]) -> list[Group]:
    people = [v for v in range(rnd.size) if v not in trio]
    return ([trio] if trio else []) + _pairs_with_oldest_repeats(rnd, rest, people)


def _maximum_matching(rnd: RoundData, rng: random.Random) -> dict[int, int]:
    """Seeded greedy matching of not-yet-met pairs, made maximum by augmenting paths."""
    mate = _greedy(rnd, rng)
    nodes = list(range(rnd.size))
    for root in nodes:
        if root not in mate:
            augment(root, nodes, rnd, mate)
    return mate


def _greedy(rnd: RoundData, rng: random.Random) -> dict[int, int]:
    """Pair people in a seeded random order: topic-mates first, then anyone not met."""
    pool = _Pool(rnd, rng)
    mate: dict[int, int] = {}
    for find in (pool.topic_mate, pool.anyone) if rnd.has_interests else (pool.anyone,):
        for v in list(reversed(pool.order)):
            if v in pool.where:
                pool.take(v)
                w = find(v)
                if w is None:
                    pool.put_back(v)
                else:
                    pool.take(w)
                    mate[v], mate[w] = w, v
    return mate


class _Pool:
    """People the greedy pass has not paired yet, in a seeded random order."""

    def __init__(self, rnd: RoundData, rng: random.Random) -> None:
        self.rnd = rnd
        self.order = list(range(rnd.size))
        rng.shuffle(self.order)
        self.where = {v: k for k, v in enumerate(self.order)}
        self.by_topic: dict[str, deque[int]] = {}
        for v in self.order:
            for topic in rnd.topics[v]:
                self.by_topic.setdefault(topic, deque()).append(v)

    def take(self, v: int) -> None:
        k = self.where.pop(v)
        last = self.order.pop()
        if last != v:
            self.order[k] = last
            self.where[last] = k

    def put_back(self, v: int) -> None:
        self.where[v] = len(self.order)
        self.order.append(v)

    def anyone(self, v: int) -> int | None:
        """The free person latest in the order whom ``v`` has not met, if any."""
        return next((u for u in reversed(self.order) if self.rnd.unmet(v, u)), None)

    def topic_mate(self, v: int) -> int | None:
        """A free person sharing a topic with ``v`` whom ``v`` has not met, if any."""
        for topic in sorted(self.rnd.topics[v]):
            members = self.by_topic[topic]
            while members and members[0] not in self.where:
                members.popleft()
            free = (u for u in members if u in self.where)
            for u in islice(free, INTEREST_WINDOW):
                if self.rnd.unmet(v, u):
                    return u
        return None


def _pairs_with_oldest_repeats(rnd: RoundData, mate: dict[int, int],
                              people: list[int]) -> list[Group]:
    """Pairs for ``people`` (even count) with the fewest repeats, preferring old ones.

    ``mate`` is a maximum matching of ``people``; whoever it leaves out have
    all met each other (else it would not be maximum) and must repeat. Who
    that is can vary: any set of met pairs whose removal leaves a perfect
    matching of the others will do. Such a set is built from the
    oldest met pairs first, then each of its pairs, most recent first, is
    swapped for an older one where that keeps the others perfectly matched.
    Both steps are greedy, so the result is not always the oldest possible.
    """
    if len(mate) == len(people):
        return matched_pairs(mate)
    outer = exposable(rnd, mate, people)
    candidates = sorted(
        (rnd.last[(u, v)], -rnd.shared(u, v), u, v)
        for u in outer
        for v in rnd.met[u]
        if u < v and v in outer
    )
    repeats, mate, rest = _oldest_repeats(rnd, mate, people, candidates)
    repeats, mate = _swap_for_older(rnd, mate, rest, repeats, candidates)
    return repeats + matched_pairs(mate)


_Ranked = list[tuple[int, int, int, int]]


def _oldest_repeats(
    rnd: RoundData, mate: dict[int, int], people: list[int], candidates: _Ranked
) -> tuple[list[Group], dict[int, int], list[int]]:
    """Repeat pairs taken oldest first, a perfect matching of the rest, and the rest."""
    members = set(people)
    repeats: list[Group] = []
    for *_, u, v in candidates:
        if len(mate) == len(people):
            break
        if u not in members or v not in members:
            continue
        trial = without(rnd, mate, (u, v), people)
        if len(trial) == len(mate):
            mate, people = trial, [w for w in people if w not in (u, v)]
            members -= {u, v}
            repeats.append((u, v))
    exposed = [w for w in people if w not in mate]
    repeats += zip(exposed[::2], exposed[1::2], strict=True)
    return repeats, mate, [w for w in people if w in mate]


def _swap_for_older(
    rnd: RoundData, mate: dict[int, int], rest: list[int], repeats: list[Group], candidates: _Ranked
) -> tuple[list[Group], dict[int, int]]:
    """Swap each repeat pair, most recent first, for the oldest one that still fits.

    A swap fits when everyone else can still be perfectly matched.
    """
    repeats = sorted(repeats, key=lambda pair: rnd.last[(pair[0], pair[1])], reverse=True)
    for k, (u, v) in enumerate(repeats):
        pool = [*rest, u, v]
        members = set(pool)
        for when, _, x, y in candidates:
            if when >= rnd.last[(u, v)]:
                break
            if x not in members or y not in members:
                continue
            trial = without(rnd, mate, (x, y), pool)
            if len(trial) == len(mate):
                repeats[k], mate = (x, y), trial
                rest = [w for w in pool if w not in (x, y)]
                break
    return repeats, mate
