"""Benchmark of the weekly matching.

1. Scale: simulates a year of rounds (by default 52 weeks, a random 70% of
   10,000 members saying yes each week, every week matched by
   ``match_participants`` itself and fed back into the history), then times
   one match of all members and compares its repeats with the lower bound.
2. Round-robin: 50 members saying yes 49 weeks in a row must never repeat a
   pair.

Usage: python bench/matching.py [--participants 10000] [--weeks 52] [--seed 1]
"""

import itertools
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import options
from coffee.matching import (
    MatchResult,
    Pair,
    match_participants,
    repeat_lower_bound,
)


def record(history: dict[Pair, int], result: MatchResult, week: int) -> None:
    for group in result.groups:
        for pair in itertools.combinations(group, 2):
            history[pair] = week


def simulate(members: list[int], weeks: int, share: float, seed: int) -> dict[Pair, int]:
    rng = random.Random(seed)
    history: dict[Pair, int] = {}
    for week in range(1, weeks + 1):
        present = rng.sample(members, round(len(members) * share))
        record(history, match_participants(present, history, round_number=week, seed=seed), week)
    return history


def scale(participants: int, weeks: int, seed: int) -> None:
    members = list(range(1, participants + 1))
    start = time.perf_counter()
    history = simulate(members, weeks, 0.7, seed)
    built = time.perf_counter() - start
    start = time.perf_counter()
    result = match_participants(members, history, round_number=weeks + 1, seed=seed)
    seconds = time.perf_counter() - start
    bound = repeat_lower_bound(members, history)
    print(f"history: {weeks} simulated weeks, 70% of members each ({built:.1f} s to build)")
    print(f"participants: {participants}")
    print(f"history pairs: {len(history)}")
    print(f"seconds for the final match: {seconds:.3f} ({result.strategy})")
    print(f"repeats: {result.repeats}")
    print(f"lower bound: {bound}")


def round_robin(size: int = 50) -> int:
    members = list(range(1, size + 1))
    history: dict[Pair, int] = {}
    repeats = 0
    for week in range(1, size):
        result = match_participants(members, history, round_number=week)
        repeats += result.repeats
        record(history, result, week)
    return repeats


def main() -> None:
    args = options(__doc__, participants=10_000, weeks=52, seed=1)
    scale(args.participants, args.weeks, args.seed)
    print(f"50 members x 49 weeks, total repeats: {round_robin()}")


if __name__ == "__main__":
    main()
