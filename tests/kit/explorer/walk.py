"""The exploration: seeded walks through the whole dialogue, each step checked, a failure
shrunk to the few steps that still show it and printed as a script a test replays.

Why a walk of our own and not Hypothesis's stateful testing: what can be done next depends on
what the bot has just shown (its buttons, the question someone stands at), so every step would
be a `data.draw` that Hypothesis records as draws, not as the presses and texts a reader (and
a regression test) needs; and a run here is bounded by time, not by a number of examples. The
walk steers towards what it has not tried yet: at each step it picks a member (or the weekly
job due next) and, among everything that member could do (see `moves`), prefers the moves
least tried in that situation (who, in which language, at which state). Over enough steps that
tries every command, button and kind of answer in every state the cast reaches.
Every episode starts from an empty database (`World.reset`); a seed and an episode number fix
every choice, so a run is reproducible step by step.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.kit.explorer.checks import Allowance, Checker, Violation
from tests.kit.explorer.moves import Move, commands, job_moves, moves_of, where_key
from tests.kit.explorer.steps import WORLD, Step, parse_script, script
from tests.kit.explorer.world import Inapplicable, World

EPISODE_STEPS = 120
JOB_SHARE = 0.07  # of the steps: the weekly jobs (about three rounds an episode)
FOCUS = 0.6  # how often the member who acted last acts again: people act in bursts, and a
# burst reaches the deep states (an organizer's search, pick, card and comment)
ONWARD = 4.0  # how much likelier a move that goes on (a button shown, a valid answer) is than
# one that interrupts (a command, a wrong answer): the flows are walked through, not only poked


class Found(AssertionError):
    """The explorer found a defect; the message holds the script that replays it."""

    def __init__(self, violations: list[Violation], steps: list[Step], origin: str) -> None:
        self.violations = violations
        self.steps = steps
        lines = "\n".join(f"            {line}" for line in script(steps).splitlines())
        super().__init__(
            f"the explorer found a defect ({origin}):\n"
            + "".join(f"  {violation}\n" for violation in violations)
            + f"\nthe {len(steps)} steps that show it, as a test (tests/explore/test_found.py):"
            + "\n\n    def test_...(world: World) -> None:\n"
            + f'        replay(world, """\n{lines}\n        """)\n')


@dataclass
class Coverage:
    """What a run covered."""

    steps: int = 0
    episodes: int = 0
    states: set[str] = field(default_factory=set)
    situations: set[tuple[str, ...]] = field(default_factory=set)
    commands: set[tuple[str, str, str]] = field(default_factory=set)
    tries: Counter[tuple[str, ...]] = field(default_factory=Counter)

    def summary(self, world: World, allowed: set[Allowance]) -> str:
        library = world.engine.library
        resting = {f"{spec.name}.{name}" for spec in library.flows.values()
                   for name, state in spec.states.items() if state.waits or not state.next}
        locales = {key[1] for key in self.situations}
        lines = [
            f"{self.steps} steps in {self.episodes} episodes",
            f"states stood in: {len(self.states & resting)} of the {len(resting)} a "
            f"participant can stand in",
            f"(state, command, locale) combinations: {len(self.commands)} "
            f"({len({c[0] for c in self.commands})} states x {len(commands(world))} commands "
            f"x {len(locales)} locales seen: {', '.join(sorted(locales))})",
            f"distinct moves tried: {len(self.tries)}",
        ]
        missed = sorted(resting - self.states)
        if missed:
            lines.append(f"never stood in: {', '.join(missed)}")
        lines.extend(f"allowance used: {allowance.template}, {allowance.check} "
                     f"({allowance.reason})"
                     for allowance in sorted(allowed, key=lambda a: (a.template, a.check)))
        return "\n".join(lines)


class Explorer:
    """Walks a world; `run` explores for a while, `replay` runs a script."""

    def __init__(self, world: World, seed: int = 1, episode_steps: int = EPISODE_STEPS,
                 shrink_seconds: float = 120.0) -> None:
        self.world = world
        self.seed = seed
        self.episode_steps = episode_steps
        self.shrink_seconds = shrink_seconds
        self.checker = Checker(world)
        self.coverage = Coverage()

    def run(self, seconds: float, progress: Callable[[str], None] | None = None) -> Coverage:
        """Explore for `seconds` (a started episode is finished); raises Found."""
        deadline = time.monotonic() + seconds
        with self.world.watching_logs():
            while time.monotonic() < deadline:
                self._episode(self.coverage.episodes)
                self.coverage.episodes += 1
                if progress is not None:
                    progress(f"{self.coverage.episodes} episodes, {self.coverage.steps} "
                             f"steps, {len(self.coverage.states)} states")
        return self.coverage

    def replay(self, text: str | list[Step]) -> list[Violation]:
        """Run a script from an empty world; the violations of the first step that has any
        (raises Inapplicable when a step cannot be taken)."""
        steps = parse_script(text) if isinstance(text, str) else text
        with self.world.watching_logs():
            return self._replay(steps)

    def summary(self) -> str:
        return self.coverage.summary(self.world, self.checker.allowed)

    # Episodes ---------------------------------------------------------------------------

    def _episode(self, number: int) -> None:
        rng = random.Random(f"{self.seed}:{number}")
        self.world.reset()
        self.checker.reset()
        taken: list[Step] = []
        for _ in range(self.episode_steps):
            move = self._choose(rng, taken[-1].who if taken else None)
            taken.append(move.step)
            violations = self._take(move.step)
            self.coverage.steps += 1
            self.coverage.tries[move.key] += 1
            if violations:
                self._report(violations, taken, f"seed {self.seed}, episode {number}, "
                                                f"step {len(taken)}")

    def _choose(self, rng: random.Random, last: str | None) -> Move:
        if rng.random() < JOB_SHARE:
            moves = job_moves(self.world)
            soonest = min(moves, key=lambda move: self.world.next_due(move.step.arg))
            return soonest if rng.random() < 0.8 else rng.choice(moves)
        if last is not None and last != WORLD and rng.random() < FOCUS:
            name = last
        else:
            name = rng.choice(self.world.cast).name
        moves = moves_of(self.world, name, rng)
        weights = [(ONWARD if move.onward else 1.0) / (1 + self.coverage.tries[move.key]) ** 2
                   for move in moves]
        return rng.choices(moves, weights)[0]

    def _take(self, step: Step) -> list[Violation]:
        self.checker.before_step(step)
        try:
            delivered = self.world.apply(step)
        except Inapplicable:
            raise
        except Exception as error:  # a job or a delivery that raised: a defect like any other
            return [Violation("exception", f"{step.line()} raised {type(error).__name__}: "
                                           f"{error}")]
        self._cover(step)
        return self.checker.after_step(step, delivered)

    def _cover(self, step: Step) -> None:
        if step.who == WORLD:
            return
        member = self.world.members[step.who]
        kind, locale, place = where_key(self.world, member)
        self.coverage.states.add(place)
        self.coverage.situations.add((kind, locale, place))
        if step.verb == "command":
            before_flow, before_state, _ = self.checker.before
            self.coverage.commands.add((f"{before_flow}.{before_state}", step.arg, locale))

    def _replay(self, steps: list[Step]) -> list[Violation]:
        self.world.reset()
        self.checker.reset()
        for step in steps:
            violations = self._take(step)
            if violations:
                return violations
        return []

    # Failures ---------------------------------------------------------------------------

    def _report(self, violations: list[Violation], steps: list[Step], origin: str) -> None:
        checks = {violation.check for violation in violations}
        self.checker.only = checks
        try:
            shrunk = self._shrink(steps, checks)
            shown = self._reproduces(shrunk, checks) or violations
        finally:
            self.checker.only = None
        raise Found(shown, shrunk, origin)

    def _reproduces(self, steps: list[Step], checks: set[str]) -> list[Violation] | None:
        try:
            violations = self._replay(steps)
        except Inapplicable:
            return None
        return violations if {v.check for v in violations} & checks else None

    def _shrink(self, steps: list[Step], checks: set[str]) -> list[Step]:
        """A short sub-list of `steps` that still fails one of `checks`: first without each
        bystander's steps, then by delta debugging, within the time given."""
        deadline = time.monotonic() + self.shrink_seconds
        for who in dict.fromkeys(step.who for step in steps[:-1]):
            if who == steps[-1].who or time.monotonic() >= deadline:
                continue
            candidate = [step for step in steps if step.who != who]
            if self._reproduces(candidate, checks):
                steps = candidate
        parts = 2
        while len(steps) > 1 and time.monotonic() < deadline:
            size = -(-len(steps) // parts)
            for start in range(0, len(steps), size):
                candidate = steps[:start] + steps[start + size:]
                if time.monotonic() >= deadline:
                    break
                if candidate and self._reproduces(candidate, checks):
                    steps = candidate
                    parts = max(parts - 1, 2)
                    break
            else:
                if parts >= len(steps):
                    break
                parts = min(len(steps), parts * 2)
        return steps


def replay(world: World, text: str) -> None:
    """Run a script the explorer printed; fail with what it shows, if anything."""
    explorer = Explorer(world)
    violations = explorer.replay(text)
    assert not violations, "\n".join(str(violation) for violation in violations)
