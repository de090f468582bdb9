"""Tests of the weekly matching: placement, repeat avoidance, recency, interests, scale."""

import itertools
import random
import time
from collections.abc import Iterator, Mapping, Sequence

import pytest

from coffee.matching import (
    EXACT_LIMIT,
    MatchResult,
    Pair,
    match_participants,
    repeat_lower_bound,
)

History = dict[Pair, int]


def record(history: History, result: MatchResult, week: int) -> None:
    for group in result.groups:
        for a, b in itertools.combinations(group, 2):
            history[(a, b)] = week


def assert_valid(result: MatchResult, participants: Sequence[int]) -> None:
    placed = sorted(person for group in result.groups for person in group)
    assert placed == sorted(participants)
    sizes = sorted(len(group) for group in result.groups)
    trios = len(participants) % 2
    assert sizes == [2] * (len(result.groups) - trios) + [3] * trios
    assert all(list(group) == sorted(group) for group in result.groups)
    assert result.groups == sorted(result.groups)


def repeats_of(groups: Sequence[Sequence[int]], history: Mapping[Pair, int]) -> list[int]:
    """Rounds of the repeated pairs, most recent first."""
    rounds = [
        history[pair]
        for group in groups
        for pair in itertools.combinations(sorted(group), 2)
        if pair in history
    ]
    return sorted(rounds, reverse=True)


def all_groupings(people: list[int]) -> Iterator[list[tuple[int, ...]]]:
    """Every split into pairs plus one trio for an odd count, by plain recursion."""
    if len(people) % 2:
        for trio in itertools.combinations(people, 3):
            rest = [p for p in people if p not in trio]
            for pairs in all_groupings(rest):
                yield [trio, *pairs]
        return
    if not people:
        yield []
        return
    first = people[0]
    for k in range(1, len(people)):
        rest = people[1:k] + people[k + 1 :]
        for pairs in all_groupings(rest):
            yield [(first, people[k]), *pairs]


def repeat_free_groupings(people: list[int], history: Mapping[Pair, int]) -> Iterator[list]:
    """Every grouping without a repeated pair, searching only pairs who have not met."""

    def fresh(a: int, b: int) -> bool:
        return (min(a, b), max(a, b)) not in history

    def pairs(rest: list[int]) -> Iterator[list]:
        if not rest:
            yield []
            return
        first = rest[0]
        for k in range(1, len(rest)):
            if fresh(first, rest[k]):
                for tail in pairs(rest[1:k] + rest[k + 1 :]):
                    yield [(first, rest[k]), *tail]

    if len(people) % 2 == 0:
        yield from pairs(people)
        return
    for trio in itertools.combinations(people, 3):
        if all(fresh(a, b) for a, b in itertools.combinations(trio, 2)):
            for tail in pairs([p for p in people if p not in trio]):
                yield [trio, *tail]


def random_history(
    rng: random.Random, people: Sequence[int], density: float, rounds: int = 20
) -> History:
    return {
        pair: rng.randint(1, rounds)
        for pair in itertools.combinations(sorted(people), 2)
        if rng.random() < density
    }


def rotation_proof_history(people: list[int], seed: int) -> History:
    """Random past meetings (30% of pairs) that leave no repeat-free rotation.

    Plenty of repeat-free groupings remain, so the matching path must find one.
    """
    for attempt in itertools.count(seed * 1000):
        history = random_history(random.Random(attempt), people, 0.3)
        if match_participants(people, history, round_number=1).strategy != "rotation":
            return history
    raise AssertionError("unreachable")


# --- rule 1: everyone is placed -------------------------------------------------------


def test_nobody_gives_no_groups() -> None:
    result = match_participants([], {}, round_number=1)
    assert result.groups == [] and result.repeats == 0 and result.unmatched == ()


def test_a_lone_participant_is_reported_unmatched() -> None:
    result = match_participants([7], {}, round_number=1)
    assert result.groups == [] and result.unmatched == (7,)


def test_two_make_a_pair_even_if_they_met() -> None:
    result = match_participants([9, 4], {(4, 9): 3}, round_number=5)
    assert result.groups == [(4, 9)]
    assert result.repeats == 1 and result.repeated_pairs == ((4, 9),)


def test_three_make_a_trio() -> None:
    result = match_participants([3, 1, 2], {}, round_number=1)
    assert result.groups == [(1, 2, 3)] and result.unmatched == ()


@pytest.mark.parametrize("size", [*range(2, 16), 31, 60, 61])
def test_everyone_is_placed_exactly_once(size: int) -> None:
    rng = random.Random(size)
    people = rng.sample(range(1000), size)
    history = random_history(rng, people, 0.5)
    result = match_participants(people, history, round_number=21, seed=size)
    assert_valid(result, people)
    assert result.unmatched == ()
    assert result.repeats == len(repeats_of(result.groups, history))


def test_duplicate_participants_are_rejected() -> None:
    with pytest.raises(ValueError, match="duplicates"):
        match_participants([1, 2, 2], {}, round_number=1)


# --- rule 2: repeats are avoided whenever possible ------------------------------------


def test_fifty_people_meet_everyone_in_49_weeks_without_a_repeat() -> None:
    people = list(range(100, 150))
    history: History = {}
    for week in range(1, 50):
        result = match_participants(people, history, round_number=week)
        assert result.repeats == 0, f"week {week}"
        assert result.strategy == "rotation"
        record(history, result, week)
    assert len(history) == 50 * 49 // 2


def test_changing_population_gets_no_avoidable_repeat() -> None:
    rng = random.Random(11)
    everyone = list(range(1, 81))
    history: History = {}
    for week in range(1, 21):
        people = rng.sample(everyone, rng.randint(30, 60))
        result = match_participants(people, history, round_number=week, seed=week)
        assert_valid(result, people)
        assert repeat_lower_bound(people, history) == 0
        assert result.repeats == 0, f"week {week}"
        record(history, result, week)


def first_fit(people: list[int], history: Mapping[Pair, int]) -> int:
    """Repeats left by pairing each person with the first free one not met yet."""
    free = sorted(people)
    stuck = 0
    while free:
        person = free.pop(0)
        partner = next((p for p in free if (person, p) not in history), None)
        if partner is None:
            stuck += 1
        else:
            free.remove(partner)
    return stuck // 2


def test_a_greedy_trap_is_escaped() -> None:
    people = list(range(14))
    fresh = {(0, 1), (0, 2), (1, 3), (4, 5), (6, 7), (8, 9), (10, 11), (12, 13)}
    history = {pair: 5 for pair in itertools.combinations(people, 2) if pair not in fresh}
    assert first_fit(people, history) > 0
    solutions = list(repeat_free_groupings(people, history))
    assert len(solutions) == 1
    result = match_participants(people, history, round_number=6)
    assert result.strategy == "matching"
    assert result.repeats == 0
    assert result.groups == sorted(solutions[0])


@pytest.mark.parametrize("size", [13, 14, 15, 16])
def test_sparse_rounds_find_a_repeat_free_grouping_whenever_one_exists(size: int) -> None:
    rng = random.Random(size)
    exists = 0
    for trial in range(12):
        people = rng.sample(range(100), size)
        history = random_history(rng, people, rng.uniform(0.6, 0.8))
        possible = next(repeat_free_groupings(sorted(people), history), None) is not None
        exists += possible
        result = match_participants(people, history, round_number=21, seed=trial)
        assert_valid(result, people)
        assert (result.repeats == 0) == possible
        assert result.repeats == repeat_lower_bound(people, history)
    assert 0 < exists < 12


# --- rule 3: fewest repeats, the oldest ones ------------------------------------------


def test_four_people_in_their_fourth_week_repeat_their_first() -> None:
    people = [1, 2, 3, 4]
    history: History = {}
    for week in range(1, 4):
        result = match_participants(people, history, round_number=week)
        assert result.repeats == 0
        record(history, result, week)
    first_week = sorted(pair for pair, week in history.items() if week == 1)
    result = match_participants(people, history, round_number=4)
    assert result.repeats == 2
    assert result.groups == first_week


@pytest.mark.parametrize("size", [14, 40])
def test_after_a_full_round_robin_the_oldest_week_comes_back(size: int) -> None:
    people = list(range(size))
    history: History = {}
    for week in range(1, size):
        record(history, match_participants(people, history, round_number=week), week)
    for week in range(size, size + 3):
        result = match_participants(people, history, round_number=week)
        assert result.repeats == size // 2
        assert repeats_of(result.groups, history) == [week - size + 1] * (size // 2)
        record(history, result, week)


def test_a_forced_repeat_uses_the_oldest_acquaintance() -> None:
    people = list(range(20))
    history = {(0, other): 8 for other in range(1, 20)}
    history[(0, 13)] = 2
    result = match_participants(people, history, round_number=9)
    assert result.strategy == "matching"
    assert result.repeated_pairs == ((0, 13),)


@pytest.mark.parametrize("size", range(2, 11))
def test_small_rounds_are_optimal(size: int) -> None:
    rng = random.Random(100 + size)
    for trial in range(8):
        people = rng.sample(range(50), size)
        history = random_history(rng, people, rng.random())
        interests = {p: frozenset(rng.sample("abcdef", 2)) for p in people}
        result = match_participants(
            people, history, round_number=21, seed=trial, interests=interests
        )
        best = min(len(repeats_of(g, history)) for g in all_groupings(sorted(people)))
        assert result.repeats == best
        if result.strategy == "exact":
            best_recency = min(
                repeats_of(g, history)
                for g in all_groupings(sorted(people))
                if len(repeats_of(g, history)) == best
            )
            assert repeats_of(result.groups, history) == best_recency


@pytest.mark.parametrize("size", range(0, 11))
def test_repeat_lower_bound_is_exact_for_small_rounds(size: int) -> None:
    rng = random.Random(size)
    for _ in range(15):
        people = rng.sample(range(40), size)
        history = random_history(rng, people, rng.random())
        groupings = all_groupings(sorted(people)) if size > 1 else iter([[]])
        best = min(len(repeats_of(g, history)) for g in groupings)
        assert repeat_lower_bound(people, history) == best


@pytest.mark.parametrize("size", [13, 17, 24, 41])
def test_dense_histories_repeat_no_more_than_the_lower_bound(size: int) -> None:
    rng = random.Random(size)
    forced = 0
    for trial in range(6):
        people = rng.sample(range(200), size)
        history = random_history(rng, people, rng.uniform(0.85, 1.0))
        result = match_participants(people, history, round_number=21, seed=trial)
        assert_valid(result, people)
        assert result.strategy == "matching"
        assert result.repeats == repeat_lower_bound(people, history)
        forced += result.repeats > 0
    assert forced


# --- rule 4: shared interests break ties only -----------------------------------------


def test_interests_pick_among_repeat_free_groupings() -> None:
    interests = {1: frozenset({"go"}), 3: frozenset({"go"}), 2: frozenset({"art"})}
    interests[4] = frozenset({"art"})
    result = match_participants([1, 2, 3, 4], {}, round_number=1, interests=interests)
    assert result.groups == [(1, 3), (2, 4)]


def test_interests_never_cost_a_repeat() -> None:
    interests = {1: frozenset({"go"}), 3: frozenset({"go"})}
    result = match_participants([1, 2, 3, 4], {(1, 3): 1}, round_number=2, interests=interests)
    assert result.repeats == 0
    assert (1, 3) not in result.groups


def test_interests_never_cost_a_more_recent_repeat() -> None:
    history = {(1, 2): 1, (3, 4): 1, (1, 3): 2, (2, 4): 2, (1, 4): 3, (2, 3): 3}
    interests = {1: frozenset({"go"}), 4: frozenset({"go"}), 2: frozenset({"x"})}
    interests[3] = frozenset({"x"})
    result = match_participants([1, 2, 3, 4], history, round_number=4, interests=interests)
    assert result.groups == [(1, 2), (3, 4)]


def test_interests_steer_the_matching_path() -> None:
    people = list(range(1, 31))
    history = rotation_proof_history(people, 1)
    topics = {p: frozenset({f"topic{(p - 1) // 2}"}) for p in people}
    result = match_participants(people, history, round_number=2, interests=topics)
    assert result.strategy == "matching" and result.repeats == 0
    fresh_mates = {(p, p + 1) for p in people[::2] if (p, p + 1) not in history}
    plain = match_participants(people, history, round_number=2)
    assert fresh_mates <= set(result.groups)
    assert not fresh_mates <= set(plain.groups)


# --- rule 5: determinism ---------------------------------------------------------------


@pytest.mark.parametrize("size", [8, 31, 200])
def test_input_order_does_not_matter(size: int) -> None:
    rng = random.Random(size)
    people = rng.sample(range(10_000), size)
    history = rotation_proof_history(people, size)
    shuffled_people = rng.sample(people, size)
    items = list(history.items())
    rng.shuffle(items)
    first = match_participants(people, history, round_number=7, seed=3)
    second = match_participants(shuffled_people, dict(items), round_number=7, seed=3)
    assert first == second


def test_seeds_vary_the_fallback_grouping() -> None:
    people = list(range(40))
    history = rotation_proof_history(people, 2)
    results = [match_participants(people, history, round_number=3, seed=s) for s in range(6)]
    assert all(r.strategy == "matching" and r.repeats == 0 for r in results)
    assert len({tuple(r.groups) for r in results}) > 1
    again = match_participants(people, history, round_number=3, seed=2)
    assert again == results[2]


def test_tiny_rounds_use_exact_search() -> None:
    people = list(range(EXACT_LIMIT))
    history = rotation_proof_history(people, 3)
    assert match_participants(people, history, round_number=1).strategy == "exact"


# --- rule 6: scale -------------------------------------------------------------------


def test_ten_thousand_people_with_a_year_of_history() -> None:
    rng = random.Random(1)
    people = list(range(10_000))
    history: History = {}
    for week in range(1, 53):
        present = rng.sample(people, 7_000)
        for a, b in zip(present[::2], present[1::2], strict=True):
            history[(min(a, b), max(a, b))] = week
    for count in (10_000, 9_999):
        start = time.perf_counter()
        result = match_participants(people[:count], history, round_number=53, seed=1)
        assert time.perf_counter() - start < 5
        assert result.repeats == 0
        assert len(result.groups) == count // 2
