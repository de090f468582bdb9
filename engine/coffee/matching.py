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
  built by a seeded greedy pass and completed with Edmonds' augmenting paths.
  That graph is nearly complete in a large community, so it is never
  materialized: adjacency is "not in the sparse set of people already met".
  Its maximum matching gives the fewest repeats possible; an odd count adds an
  exact search for the best trio, and a local search then prefers older
  repeats and shared interests.
"""

import random
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, combinations

Pair = tuple[int, int]
Group = tuple[int, ...]
Score = tuple[int, tuple[int, ...], int]
Adjacent = Callable[[int, int], bool]

EXACT_LIMIT = 10
"""Rounds up to this size are solved by enumerating every grouping (at most 1,260)."""

ROTATION_CHECK_BUDGET = 100_000
"""Pair look-ups spent at most on trying rotations before falling back to matching."""

INTEREST_WINDOW = 16
"""How many not-yet-met candidates the greedy pass compares for shared interests."""


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


@dataclass
class _Round:
    """Participants renumbered 0..n-1 in id order, with their past meetings."""

    ids: list[int]
    met: list[set[int]]
    last: dict[Pair, int]
    topics: list[frozenset[str]]
    has_interests: bool = field(init=False)

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
            pair = (min(i, j), max(i, j))
            last[pair] = max(when, last.get(pair, when))
        topics = [frozenset((interests or {}).get(pid, ())) for pid in ids]
        return cls(ids, met, last, topics)

    @property
    def size(self) -> int:
        return len(self.ids)

    def unmet(self, u: int, v: int) -> bool:
        return v not in self.met[u]

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
    return rnd.result(_improve(rnd, _fewest_repeat_groups(rnd, rng)), "matching")


def repeat_lower_bound(participants: Sequence[int], history: Mapping[Pair, int]) -> int:
    """The fewest repeated pairs that any grouping of these participants can have.

    Computed exactly: a maximum matching of the "not yet met" graph, plus the
    exact best trio when the count is odd.
    """
    rnd = _Round.build(participants, history, None)
    if rnd.size < 2:
        return 0
    return rnd.score(_fewest_repeat_groups(rnd, random.Random(0)))[0]


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


def _fewest_repeat_groups(rnd: _Round, rng: random.Random) -> list[Group]:
    """A grouping with the fewest repeats possible (not yet tuned for recency)."""
    mate = _maximum_matching(rnd, rng)
    if rnd.size % 2 == 0:
        return _complete(mate, range(rnd.size))
    return _with_trio(rnd, mate)


def _maximum_matching(rnd: _Round, rng: random.Random) -> dict[int, int]:
    """Seeded greedy matching of not-yet-met pairs, made maximum by augmenting paths."""
    mate = _greedy(rnd, rng)
    nodes = list(range(rnd.size))
    for root in nodes:
        if root not in mate:
            _augment(root, nodes, rnd.unmet, mate)
    return mate


def _greedy(rnd: _Round, rng: random.Random) -> dict[int, int]:
    pool = list(range(rnd.size))
    rng.shuffle(pool)
    window = INTEREST_WINDOW if rnd.has_interests else 1
    mate: dict[int, int] = {}
    while pool:
        v = pool.pop()
        k = _pick_partner(rnd, v, pool, window)
        if k is not None:
            w = pool.pop(k)
            mate[v], mate[w] = w, v
    return mate


def _pick_partner(rnd: _Round, v: int, pool: list[int], window: int) -> int | None:
    """Index in ``pool`` of the first unmet candidates' best by shared interests."""
    best, best_shared, seen = None, -1, 0
    for k in range(len(pool) - 1, -1, -1):
        if not rnd.unmet(v, pool[k]):
            continue
        shared = rnd.shared(v, pool[k])
        if shared > best_shared:
            best, best_shared = k, shared
        seen += 1
        if seen == window:
            break
    return best


def _augment(root: int, nodes: list[int], adjacent: Adjacent, mate: dict[int, int]) -> bool:
    """Look for an augmenting path from the exposed ``root`` and flip it if found."""
    if all(v in mate or v == root for v in nodes):
        return False
    return _search(root, nodes, adjacent, mate) is None


def _search(
    root: int, nodes: list[int], adjacent: Adjacent, mate: dict[int, int]
) -> set[int] | None:
    """Edmonds' search from the exposed ``root``.

    Flips the first augmenting path found and returns None; when there is none,
    returns the outer vertices: those an even alternating path reaches from
    ``root``, i.e. who could be left out instead of ``root``. Exposed vertices
    are scanned first: in a nearly complete graph a path of length one or three
    then turns up after O(n) look-ups.
    """
    free = [v for v in nodes if v not in mate and v != root]
    parent: dict[int, int] = {}
    base = {v: v for v in nodes}
    outer = {root}
    queue = deque([root])
    while queue:
        v = queue.popleft()
        for to in chain(free, nodes):
            if base[v] == base[to] or mate.get(v) == to or not adjacent(v, to):
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


def _complete(mate: dict[int, int], nodes: Iterable[int]) -> list[Group]:
    """Matched pairs, then the exposed people paired in order.

    The matching is maximum, so the exposed people have all met each other:
    how they are paired changes no count, and the local search tunes it.
    """
    exposed = [v for v in nodes if v not in mate]
    return _matched_pairs(mate) + list(zip(exposed[::2], exposed[1::2], strict=True))


# --- the trio of an odd round ---------------------------------------------------------


def _with_trio(rnd: _Round, mate: dict[int, int]) -> list[Group]:
    """The fewest-repeat grouping with one trio, given a maximum matching ``mate``.

    With nu = |mate|, no grouping has fewer than ``floor = (n-1)/2 - nu``
    repeats, and ``floor + 2`` is always reachable. Only a trio of three unmet
    pairs whose members could each be the one left out by a maximum matching
    reaches ``floor``; ``floor + 1`` needs a trio with at least two unmet pairs.
    The search tries those candidates in that order and stops at the first
    trio that nothing untried can beat.
    """
    floor = (rnd.size - 1) // 2 - len(mate) // 2
    quick = _quick_trio(rnd, mate)
    if quick is not None:
        return _trio_groups(rnd, *quick)
    outer = sorted(_exposable(rnd, mate))
    best = _any_trio(rnd, mate)
    best_cost = _trio_cost(rnd, *best)
    stages = ((floor, _floor_trios(rnd, mate, outer)), (floor + 1, _near_trios(rnd, mate, outer)))
    for target, candidates in stages:
        for candidate in candidates:
            if best_cost <= target:
                break
            cost = _trio_cost(rnd, *candidate)
            if cost < best_cost:
                best, best_cost = candidate, cost
    return _trio_groups(rnd, *best)


_Candidate = tuple[Group, dict[int, int]]


def _floor_trios(rnd: _Round, mate: dict[int, int], outer: list[int]) -> Iterator[_Candidate]:
    """Trios that may reach ``floor``: unmet triangles inside ``outer``."""
    for trio in _triangles(rnd, outer):
        yield trio, _without(rnd, mate, trio)


def _near_trios(rnd: _Round, mate: dict[int, int], outer: list[int]) -> Iterator[_Candidate]:
    """Trios that may reach ``floor + 1``, the likeliest first.

    A triangle touching ``outer`` always does; otherwise a trio with two unmet
    pairs (found through a twin vertex) or any other triangle may.
    """
    for x in outer:
        for trio in _triangles(rnd, range(rnd.size), x):
            yield trio, _without(rnd, mate, trio)
    for x in range(rnd.size):
        found = _path_trio(rnd, mate, x)
        if found is not None:
            yield found
    for trio in _triangles(rnd, range(rnd.size)):
        yield trio, _without(rnd, mate, trio)


def _exposable(rnd: _Round, mate: dict[int, int]) -> set[int]:
    """Everyone some maximum matching leaves out (``mate`` must be maximum)."""
    nodes = list(range(rnd.size))
    outer: set[int] = set()
    for root in nodes:
        if root not in mate:
            outer |= _search(root, nodes, rnd.unmet, mate) or set()
    return outer


def _trio_cost(rnd: _Round, trio: Group, rest: dict[int, int]) -> int:
    """Repeats of a trio plus a maximum matching ``rest`` of everybody else."""
    return rnd.score([trio])[0] + (rnd.size - 3) // 2 - len(rest) // 2


def _trio_groups(rnd: _Round, trio: Group, rest: dict[int, int]) -> list[Group]:
    return [trio, *_complete(rest, (v for v in range(rnd.size) if v not in trio))]


def _quick_trio(rnd: _Round, mate: dict[int, int]) -> tuple[Group, dict[int, int]] | None:
    """An exposed person who has met neither member of a matched pair: the optimum."""
    pairs = _matched_pairs(mate)
    for x in range(rnd.size):
        if x in mate:
            continue
        for a, b in pairs:
            if rnd.unmet(x, a) and rnd.unmet(x, b):
                rest = {v: w for v, w in mate.items() if v not in (a, b)}
                return (x, a, b), rest
    return None


def _any_trio(rnd: _Round, mate: dict[int, int]) -> tuple[Group, dict[int, int]]:
    """A trio reaching ``floor + 2``: three exposed people, or one joining a pair."""
    exposed = [v for v in range(rnd.size) if v not in mate]
    if len(exposed) >= 3:
        return tuple(exposed[:3]), dict(mate)
    x = exposed[0]
    a, b = min(_matched_pairs(mate), key=lambda pair: rnd.score([(x, *pair)]))
    return (x, a, b), {v: w for v, w in mate.items() if v not in (a, b)}


def _triangles(rnd: _Round, people: Iterable[int], apex: int | None = None) -> Iterator[Group]:
    """Trios among ``people`` (ascending) whose members have pairwise not met.

    With ``apex``, only the trios containing it.
    """
    people = list(people)
    for x in people if apex is None else [apex]:
        ahead = [a for a in people if (a > x or apex is not None) and a != x and rnd.unmet(x, a)]
        for k, a in enumerate(ahead):
            for b in ahead[k + 1 :]:
                if rnd.unmet(a, b):
                    yield x, a, b


def _without(rnd: _Round, mate: dict[int, int], removed: Group) -> dict[int, int]:
    """A maximum matching once ``removed`` leave, from the maximum matching ``mate``.

    Removing one matched person can only open an augmenting path from their
    former partner, so one search per removed person restores maximality.
    """
    rest = dict(mate)
    gone: set[int] = set()
    for person in removed:
        gone.add(person)
        partner = rest.pop(person, None)
        if partner is None:
            continue
        del rest[partner]
        nodes = [v for v in range(rnd.size) if v not in gone]
        _augment(partner, nodes, rnd.unmet, rest)
    return rest


def _path_trio(
    rnd: _Round, mate: dict[int, int], x: int
) -> tuple[Group, dict[int, int]] | None:
    """A trio around ``x`` with two unmet pairs leaving a matching of nu - 1, if any.

    A twin of ``x`` (same unmet partners) is added to the graph: the matching
    grows by one exactly when ``x`` and the twin can both be matched, to two
    people who then form the trio with ``x``.
    """
    twin = rnd.size

    def adjacent(u: int, v: int) -> bool:
        u, v = (x if u == twin else u), (x if v == twin else v)
        return u != v and rnd.unmet(u, v)

    grown = dict(mate)
    if not _augment(twin, [*range(rnd.size), twin], adjacent, grown):
        return None
    a, b = grown[x], grown[twin]
    return (x, a, b), {v: w for v, w in grown.items() if v not in (x, twin, a, b)}


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
