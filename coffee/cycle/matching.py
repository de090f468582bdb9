"""Weekly matching: split one round's participants into coffee groups.

This module has one job: given who said yes this round and who has met whom
before, return pairs (plus one trio when the count is odd) that repeat as few
past meetings as possible. It is a pure function of its inputs: no database, no
clock, no I/O.

Order of preference between two groupings (lexicographic):

1. fewer repeated pairs (a trio counts its three pairs);
2. older repeats: compare the rounds of the repeated pairs, most recent first,
   so one repeat from last week is worse than any number of repeats of equal
   count that are all older;
3. more shared interests, summed over all pairs (tie-breaker only).

How a round is matched:

* **Round-robin rotation first.** Choosing *any* repeat-free grouping each week
  is short-sighted: the pairs used up this week can leave the "not yet met"
  graph without a perfect matching in a later week, although a full schedule of
  n - 1 repeat-free weeks exists for n people (a 1-factorization of K_n). The
  circle method over the participants in id order produces exactly such a
  schedule, so a stable group that keeps saying yes walks through it and meets
  everyone before anybody meets twice. The rotation is taken only when it
  repeats nobody.
* **Tiny rounds** (at most ``EXACT_LIMIT`` people) are solved by trying every
  grouping, which honours all three preferences exactly.
* **Otherwise a maximum matching** of the graph of pairs who have not met,
  built by a seeded greedy pass (people sharing a topic first) and completed
  with Edmonds' augmenting paths. That graph is nearly complete in a large
  community, so it is never materialized: adjacency is "not in the sparse set
  of people already met", and the search tries the few unmatched people first.
  The maximum matching fixes the fewest repeats possible; an odd count adds an
  exact search for the best trio. Which people repeat is then chosen greedily
  to make the repeats old, and a local search polishes recency and interests.
  Beyond ``EXACT_LIMIT`` the repeat count is always optimal, the recency of
  unavoidable repeats is best effort.
"""

import random
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, combinations, islice
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


class _Graph(Protocol):
    """The "not yet met" graph as the matching search sees it."""

    def adjacent(self, u: int, v: int) -> bool: ...

    def neighbors(self, v: int) -> Iterable[int]: ...


@dataclass
class _Round:
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
    ) -> "_Round":
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
    rnd = _Round.build(participants, history, interests)
    if rnd.size < 2:
        return MatchResult([], 0, tuple(rnd.ids))
    rotation = _best_rotation(rnd, round_number)
    if rotation is not None:
        return rnd.result(rotation, "rotation")
    rng = random.Random(f"{seed}:{round_number}")
    if rnd.size <= EXACT_LIMIT:
        return rnd.result(_exact_groups(rnd, rng), "exact")
    groups = min(
        (_groups_around(rnd, trio, rest) for trio, rest in _fewest_repeats(rnd, rng)),
        key=rnd.score,
    )
    return rnd.result(_improve(rnd, groups), "matching")


def repeat_lower_bound(participants: Sequence[int], history: Mapping[Pair, int]) -> int:
    """The fewest repeated pairs that any grouping of these participants can have.

    Computed exactly: a maximum matching of the "not yet met" graph, plus the
    exact best trio when the count is odd.
    """
    rnd = _Round.build(participants, history, None)
    if rnd.size < 2:
        return 0
    trio, rest = _fewest_repeats(rnd, random.Random(0))[0]
    return rnd.score([trio])[0] + (rnd.size - len(trio)) // 2 - len(rest) // 2


# --- round-robin rotation -------------------------------------------------------------


def _circle_pairs(size: int, turn: int) -> Iterator[Pair]:
    """Positions paired in ``turn`` of the circle method for an even ``size``.

    Position ``size - 1`` stays put while the others rotate; over turns
    0..size-2 every two positions meet exactly once.
    """
    spin = size - 1
    yield turn, spin
    for step in range(1, size // 2):
        yield (turn + step) % spin, (turn - step) % spin


def _rotation(rnd: _Round, turn: int) -> tuple[list[Group] | None, int]:
    """The rotation's groups if it repeats nobody, and the look-ups spent finding out.

    An odd count rotates with an empty seat; whoever draws it joins the first
    pair that neither of them has met.
    """
    n = rnd.size
    pairs: list[Group] = []
    spare = None
    checks = 0
    for u, v in _circle_pairs(n + n % 2, turn):
        if v == n:
            spare = u
            continue
        checks += 1
        if not rnd.unmet(u, v):
            return None, checks
        pairs.append((u, v))
    if spare is None:
        return pairs, checks
    for k, (u, v) in enumerate(pairs):
        checks += 1
        if rnd.unmet(spare, u) and rnd.unmet(spare, v):
            pairs[k] = (u, v, spare)
            return pairs, checks
    return None, checks


def _best_rotation(rnd: _Round, round_number: int) -> list[Group] | None:
    """The first repeat-free rotation from the one due this round, within a budget.

    With interests, the repeat-free rotation sharing the most interests among
    those tried: any unused rotation keeps the rest of the schedule intact.
    """
    turns = rnd.size - 1 + rnd.size % 2
    budget = ROTATION_CHECK_BUDGET
    best, best_score = None, None
    for k in range(turns):
        groups, checks = _rotation(rnd, (round_number + k) % turns)
        budget -= checks
        if groups is not None:
            if not rnd.has_interests:
                return groups
            score = rnd.score(groups)
            if best_score is None or score < best_score:
                best, best_score = groups, score
        if budget <= 0:
            break
    return best


# --- exhaustive search for tiny rounds ------------------------------------------------


def _perfect_matchings(people: list[int]) -> Iterator[list[Group]]:
    if not people:
        yield []
        return
    first, rest = people[0], people[1:]
    for k, other in enumerate(rest):
        for tail in _perfect_matchings(rest[:k] + rest[k + 1 :]):
            yield [(first, other), *tail]


def _groupings(people: list[int]) -> Iterator[list[Group]]:
    """Every way to split ``people`` into pairs, plus one trio if the count is odd."""
    if len(people) % 2 == 0:
        yield from _perfect_matchings(people)
        return
    for trio in combinations(people, 3):
        rest = [p for p in people if p not in trio]
        for pairs in _perfect_matchings(rest):
            yield [trio, *pairs]


def _exact_groups(rnd: _Round, rng: random.Random) -> list[Group]:
    """The best grouping by full enumeration; the seeded order breaks exact ties."""
    people = list(range(rnd.size))
    rng.shuffle(people)
    return min(_groupings(people), key=rnd.score)


# --- maximum matching on the "not yet met" graph --------------------------------------


_Candidate = tuple[Group, dict[int, int]]


def _fewest_repeats(rnd: _Round, rng: random.Random) -> list[_Candidate]:
    """Choices of a trio (empty for an even count) and a maximum matching of the rest.

    Each choice fixes the fewest repeats possible: the trio's own, plus one
    per pair of people its matching leaves out (they have all met each other).
    """
    mate = _maximum_matching(rnd, rng)
    if rnd.size % 2 == 0:
        return [((), mate)]
    return _trio_choices(rnd, mate)


def _groups_around(rnd: _Round, trio: Group, rest: dict[int, int]) -> list[Group]:
    people = [v for v in range(rnd.size) if v not in trio]
    return ([trio] if trio else []) + _pairs_with_oldest_repeats(rnd, rest, people)


def _maximum_matching(rnd: _Round, rng: random.Random) -> dict[int, int]:
    """Seeded greedy matching of not-yet-met pairs, made maximum by augmenting paths."""
    mate = _greedy(rnd, rng)
    nodes = list(range(rnd.size))
    for root in nodes:
        if root not in mate:
            _augment(root, nodes, rnd, mate)
    return mate


def _greedy(rnd: _Round, rng: random.Random) -> dict[int, int]:
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

    def __init__(self, rnd: _Round, rng: random.Random) -> None:
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


def _augment(root: int, nodes: list[int], graph: _Graph, mate: dict[int, int]) -> bool:
    """Look for an augmenting path from the exposed ``root`` and flip it if found."""
    if all(v in mate or v == root for v in nodes):
        return False
    return _search(root, nodes, graph, mate) is None


def _search(root: int, nodes: list[int], graph: _Graph, mate: dict[int, int]) -> set[int] | None:
    """Edmonds' search from the exposed ``root`` within ``nodes``.

    Flips the first augmenting path found and returns None; when there is none,
    returns the outer vertices: those an even alternating path reaches from
    ``root``, i.e. who could be left out instead of ``root``. Exposed vertices
    are tried first: in a nearly complete graph a path of length one or three
    then turns up after O(n) look-ups.
    """
    free = [v for v in nodes if v not in mate and v != root]
    parent: dict[int, int] = {}
    base = {v: v for v in nodes}
    outer = {root}
    queue = deque([root])
    while queue:
        v = queue.popleft()
        near = (u for u in free if graph.adjacent(v, u))
        for to in chain(near, graph.neighbors(v)):
            if to not in base or base[v] == base[to] or mate.get(v) == to:
                continue
            if to == root or (to in mate and mate[to] in parent):
                _contract(v, to, nodes, base, mate, parent, outer, queue)
            elif to not in parent:
                parent[to] = v
                if to not in mate:
                    _flip(to, parent, mate)
                    return None
                outer.add(mate[to])
                queue.append(mate[to])
    return outer


def _contract(
    v: int,
    to: int,
    nodes: list[int],
    base: dict[int, int],
    mate: dict[int, int],
    parent: dict[int, int],
    outer: set[int],
    queue: deque[int],
) -> None:
    """Shrink the odd cycle closed by the edge v-to into a blossom."""
    top = _common_base(v, to, base, mate, parent)
    blossom: set[int] = set()
    _mark_path(v, top, to, base, mate, parent, blossom)
    _mark_path(to, top, v, base, mate, parent, blossom)
    for u in nodes:
        if base[u] in blossom:
            base[u] = top
            if u not in outer:
                outer.add(u)
                queue.append(u)


def _common_base(
    a: int, b: int, base: dict[int, int], mate: dict[int, int], parent: dict[int, int]
) -> int:
    seen = set()
    while True:
        a = base[a]
        seen.add(a)
        if a not in mate:
            break
        a = parent[mate[a]]
    while True:
        b = base[b]
        if b in seen:
            return b
        b = parent[mate[b]]


def _mark_path(
    v: int,
    top: int,
    child: int,
    base: dict[int, int],
    mate: dict[int, int],
    parent: dict[int, int],
    blossom: set[int],
) -> None:
    while base[v] != top:
        blossom.add(base[v])
        blossom.add(base[mate[v]])
        parent[v] = child
        child = mate[v]
        v = parent[mate[v]]


def _flip(end: int, parent: dict[int, int], mate: dict[int, int]) -> None:
    v: int | None = end
    while v is not None:
        up = parent[v]
        after = mate.get(up)
        mate[v], mate[up] = up, v
        v = after


def _matched_pairs(mate: dict[int, int]) -> list[Group]:
    return sorted((v, w) for v, w in mate.items() if v < w)


def _pairs_with_oldest_repeats(rnd: _Round, mate: dict[int, int], people: list[int]) -> list[Group]:
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
        return _matched_pairs(mate)
    outer = _exposable(rnd, mate, people)
    candidates = sorted(
        (rnd.last[(u, v)], -rnd.shared(u, v), u, v)
        for u in outer
        for v in rnd.met[u]
        if u < v and v in outer
    )
    repeats, mate, rest = _oldest_repeats(rnd, mate, people, candidates)
    repeats, mate = _swap_for_older(rnd, mate, rest, repeats, candidates)
    return repeats + _matched_pairs(mate)


_Ranked = list[tuple[int, int, int, int]]


def _oldest_repeats(
    rnd: _Round, mate: dict[int, int], people: list[int], candidates: _Ranked
) -> tuple[list[Group], dict[int, int], list[int]]:
    """Repeat pairs taken oldest first, a perfect matching of the rest, and the rest."""
    members = set(people)
    repeats: list[Group] = []
    for *_, u, v in candidates:
        if len(mate) == len(people):
            break
        if u not in members or v not in members:
            continue
        trial = _without(rnd, mate, (u, v), people)
        if len(trial) == len(mate):
            mate, people = trial, [w for w in people if w not in (u, v)]
            members -= {u, v}
            repeats.append((u, v))
    exposed = [w for w in people if w not in mate]
    repeats += zip(exposed[::2], exposed[1::2], strict=True)
    return repeats, mate, [w for w in people if w in mate]


def _swap_for_older(
    rnd: _Round, mate: dict[int, int], rest: list[int], repeats: list[Group], candidates: _Ranked
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
            trial = _without(rnd, mate, (x, y), pool)
            if len(trial) == len(mate):
                repeats[k], mate = (x, y), trial
                rest = [w for w in pool if w not in (x, y)]
                break
    return repeats, mate


# --- the trio of an odd round ---------------------------------------------------------


def _trio_choices(rnd: _Round, mate: dict[int, int]) -> list[_Candidate]:
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
    outer = cache(lambda: sorted(_exposable(rnd, mate, list(range(rnd.size)))))
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
    rnd: _Round, mate: dict[int, int], outer: Callable[[], list[int]]
) -> Iterator[_Candidate]:
    """Trios that may reach ``floor``.

    First an exposed person with a matched pair neither has met (cheap, and
    nearly always there in a large round), then every unmet triangle inside
    ``outer()``.
    """
    pairs = _matched_pairs(mate)
    for x in range(rnd.size):
        if x not in mate:
            for a, b in pairs:
                if rnd.unmet(x, a) and rnd.unmet(x, b):
                    yield (x, a, b), {v: w for v, w in mate.items() if v not in (a, b)}
    for trio in _triangles(rnd, outer()):
        yield trio, _without(rnd, mate, trio)


def _near_trios(
    rnd: _Round, mate: dict[int, int], outer: Callable[[], list[int]]
) -> Iterator[_Candidate]:
    """Trios that may reach ``floor + 1``, the likeliest first.

    A triangle touching ``outer`` always does; otherwise a trio with two unmet
    pairs (found through a twin vertex, which needs an unmet partner in
    ``outer`` to end its augmenting path) or any other triangle may.
    """
    for x in outer():
        for trio in _triangles_at(rnd, x, range(rnd.size)):
            yield trio, _without(rnd, mate, trio)
    exposable = set(outer())
    for x in range(rnd.size):
        if any(u in exposable for u in rnd.neighbors(x)):
            found = _path_trio(rnd, mate, x)
            if found is not None:
                yield found
    for trio in _triangles(rnd, range(rnd.size)):
        yield trio, _without(rnd, mate, trio)


def _exposable(rnd: _Round, mate: dict[int, int], nodes: list[int]) -> set[int]:
    """Everyone among ``nodes`` whom some maximum matching leaves out.

    ``mate`` must be a maximum matching of ``nodes``.
    """
    outer: set[int] = set()
    for root in nodes:
        if root not in mate:
            reached = _search(root, nodes, rnd, mate)
            if reached is None:
                raise AssertionError("the matching was not maximum")
            outer |= reached
    return outer


def _trio_cost(rnd: _Round, trio: Group, rest: dict[int, int]) -> int:
    """Repeats of a trio plus a maximum matching ``rest`` of everybody else."""
    return rnd.score([trio])[0] + (rnd.size - 3) // 2 - len(rest) // 2


def _any_trio(rnd: _Round, mate: dict[int, int]) -> _Candidate:
    """A trio reaching ``floor + 2``: three exposed people, or one joining a pair."""
    exposed = [v for v in range(rnd.size) if v not in mate]
    if len(exposed) >= 3:
        return tuple(exposed[:3]), dict(mate)
    x = exposed[0]
    a, b = min(_matched_pairs(mate), key=lambda pair: rnd.score([(x, *pair)]))
    return (x, a, b), {v: w for v, w in mate.items() if v not in (a, b)}


def _triangles(rnd: _Round, people: Iterable[int]) -> Iterator[Group]:
    """Trios among ``people`` (ascending) whose members have pairwise not met."""
    people = list(people)
    for k, x in enumerate(people):
        yield from _triangles_at(rnd, x, people[k + 1 :])


def _triangles_at(rnd: _Round, x: int, others: Iterable[int]) -> Iterator[Group]:
    """Trios of ``x`` with two of ``others`` (ascending), pairwise not met."""
    near = [a for a in others if rnd.adjacent(x, a)]
    for k, a in enumerate(near):
        for b in near[k + 1 :]:
            if rnd.unmet(a, b):
                yield x, a, b


def _without(
    rnd: _Round, mate: dict[int, int], removed: Group, people: Iterable[int] | None = None
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
            _augment(partner, nodes, rnd, rest)
    return rest


def _path_trio(rnd: _Round, mate: dict[int, int], x: int) -> _Candidate | None:
    """A trio around ``x`` with two unmet pairs leaving a matching of nu - 1, if any.

    A twin of ``x`` (same unmet partners) is added to the graph: the matching
    grows by one exactly when ``x`` and the twin can both be matched, to two
    people who then form the trio with ``x``.
    """
    twin = rnd.size
    grown = dict(mate)
    if not _augment(twin, [*range(rnd.size), twin], _Twinned(rnd, x, twin), grown):
        return None
    a, b = grown[x], grown[twin]
    return (x, a, b), {v: w for v, w in grown.items() if v not in (x, twin, a, b)}


@dataclass
class _Twinned:
    """The "not yet met" graph plus ``twin``, who has not met the same people as ``x``."""

    rnd: _Round
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


# --- local search: older repeats and shared interests ---------------------------------


def _improve(rnd: _Round, groups: list[Group]) -> list[Group]:
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


def _regroup(rnd: _Round, groups: list[Group], i: int, j: int) -> bool:
    current = rnd.score([groups[i], groups[j]])
    best = min(_groupings([*groups[i], *groups[j]]), key=rnd.score)
    if rnd.score(best) >= current:
        return False
    groups[i], groups[j] = best
    return True
