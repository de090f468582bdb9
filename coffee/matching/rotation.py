"""RoundData-robin rotation: the circle method walks a stable group through a schedule in which
everyone meets everyone before anybody meets twice."""

from __future__ import annotations

from collections.abc import Iterator

from coffee.matching.round import ROTATION_CHECK_BUDGET, Group, Pair, RoundData


def _circle_pairs(size: int, turn: int) -> Iterator[Pair]:
    """Positions paired in ``turn`` of the circle method for an even ``size``.

    Position ``size - 1`` stays put while the others rotate; over turns
    0..size-2 every two positions meet exactly once.
    """
    spin = size - 1
    yield turn, spin
    for step in range(1, size // 2):
        yield (turn + step) % spin, (turn - step) % spin


def _rotation(rnd: RoundData, turn: int) -> tuple[list[Group] | None, int]:
    """The rotation's groups if it repeats nobody, and the look-ups spent finding out.

    An odd count rotates with an empty seat; whoever draws it joins the first
    pair that neither of them has met.
    """
    n = rnd.size
    met = rnd.met  # looked up directly: this loop runs up to ROTATION_CHECK_BUDGET times
    pairs: list[Group] = []
    spare = None
    checks = 0
    for u, v in _circle_pairs(n + n % 2, turn):
        if v == n:
            spare = u
            continue
        checks += 1
        if v in met[u]:
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


def best_rotation(rnd: RoundData, round_number: int) -> list[Group] | None:
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
