"""The data one round is matched on: participants renumbered in id order with their past meetings,
how a grouping scores, and the result."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Protocol

Pair = tuple[int, int]


Group = tuple[int, ...]


Score = tuple[int, tuple[int, ...], int]


EXACT_LIMIT = 12
"""Rounds up to this size are solved by enumerating every grouping (at most 17,325)."""


ROTATION_CHECK_BUDGET = 100_000
"""Pair look-ups spent at most on trying rotations before falling back to matching."""


TRIO_CHOICES = 24
"""Equally few-repeat trios compared on recency when an odd round must repeat."""


INTEREST_WINDOW = 16
"""How many free people sharing a topic the greedy pass checks per topic for a new face."""


@dataclass(frozen=True)
class MatchResult:
    """The groups of one round.

    ``groups`` holds sorted tuples of user ids, sorted among themselves: pairs,
    plus one trio when the count is odd. ``unmatched`` lists a lone participant
    (only when exactly one person said yes). ``repeated_pairs`` are the pairs
    inside the groups that had met before; ``repeats`` is their number.
    ``strategy`` tells which method produced the groups: ``rotation``, ``exact``,
    ``matching`` or ``none``.
    """

    groups: list[Group]
    repeats: int
    unmatched: tuple[int, ...] = ()
    repeated_pairs: tuple[Pair, ...] = ()
    strategy: str = "none"


class Graph(Protocol):
    """The "not yet met" graph as the matching search sees it."""

    def adjacent(self, u: int, v: int) -> bool: ...

    def neighbors(self, v: int) -> Iterable[int]: ...


@dataclass
class RoundData:
    """Participants renumbered 0..n-1 in id order, with their past meetings."""

    ids: list[int]
    met: list[set[int]]
    last: dict[Pair, int]
    topics: list[frozenset[str]]
    has_interests: bool = field(init=False)
    _rows: dict[int, list[int]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.has_interests = any(self.topics)

    @classmethod
    def build(
        cls,
        participants: Sequence[int],
        history: Mapping[Pair, int],
        interests: Mapping[int, frozenset[str]] | None,
    ) -> RoundData:
        ids = sorted(participants)
        if len(set(ids)) != len(ids):
            raise ValueError("participants must not contain duplicates")
        index = {pid: i for i, pid in enumerate(ids)}
        met: list[set[int]] = [set() for _ in ids]
        last: dict[Pair, int] = {}
        for (a, b), when in history.items():
            i, j = index.get(a), index.get(b)
            if i is None or j is None or i == j:
                continue
            met[i].add(j)
            met[j].add(i)
            pair = (i, j) if i < j else (j, i)
            if when > last.get(pair, when - 1):
                last[pair] = when
        topics = [frozenset((interests or {}).get(pid, ())) for pid in ids]
        return cls(ids, met, last, topics)

    @property
    def size(self) -> int:
        return len(self.ids)

    def unmet(self, u: int, v: int) -> bool:
        return v not in self.met[u]

    def adjacent(self, u: int, v: int) -> bool:
        return u != v and v not in self.met[u]

    def neighbors(self, v: int) -> Iterable[int]:
        """Everyone ``v`` has not met.

        Filtered on the fly while that is most people (the usual case, and a
        list would cost O(n) memory per person); listed once and kept when
        ``v`` has met most of the round.
        """
        met = self.met[v]
        if 2 * len(met) < self.size:
            return (u for u in range(self.size) if u != v and u not in met)
        row = self._rows.get(v)
        if row is None:
            row = self._rows[v] = [u for u in range(self.size) if u != v and u not in met]
        return row

    def shared(self, u: int, v: int) -> int:
        return len(self.topics[u] & self.topics[v])

    def score(self, groups: Iterable[Group]) -> Score:
        """(repeats, rounds of the repeats most recent first, -shared interests): lower wins."""
        rounds: list[int] = []
        shared = 0
        for group in groups:
            for u, v in combinations(group, 2):
                if v in self.met[u]:
                    rounds.append(self.last[(min(u, v), max(u, v))])
                shared += self.shared(u, v)
        rounds.sort(reverse=True)
        return len(rounds), tuple(rounds), -shared

    def result(self, groups: list[Group], strategy: str) -> MatchResult:
        named = sorted(tuple(self.ids[i] for i in sorted(group)) for group in groups)
        repeated = tuple(
            sorted(
                (self.ids[min(u, v)], self.ids[max(u, v)])
                for group in groups
                for u, v in combinations(group, 2)
                if v in self.met[u]
            )
        )
        return MatchResult(named, len(repeated), (), repeated, strategy)


Candidate = tuple[Group, dict[int, int]]
