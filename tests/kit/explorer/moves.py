"""What a member could do next, read from the compiled flows and from their chat: every command
the bot has (and one it has not), every button shown, a button of an earlier message, the reply
keyboard, and a valid and an invalid answer to the question they stand at.

Nothing here names a flow, a state or a label: a new flow, question or button is explored as
soon as it exists.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from engine.dialog.present import CHECKED
from engine.flows.spec import Ask
from tests.kit.explorer.cast import Member
from tests.kit.explorer.steps import JOBS, WORLD, Step
from tests.kit.explorer.world import World

UNKNOWN_COMMAND = "frobnicate"
PHRASES = ("Кава й довгі прогулянки", "Coffee and long walks", "Книжки, музика та гори",
           "Кава & чай <без цукру>")  # what a participant types appears as typed
INVALID_PHRASE = "Щось зовсім інше"
SCHEDULE_TIME = "fri 10:00"
ONWARD_ANSWERS = ("valid", "longest", "typed option", "contact")


@dataclass(frozen=True)
class Move:
    """A step, what coverage counts it as, and whether it goes on through the flow (a button
    shown, a valid answer) rather than interrupting it."""

    step: Step
    key: tuple[str, ...]
    onward: bool = False


def commands(world: World) -> list[str]:
    """Every command of the flows, and one no flow has."""
    names = sorted(spec.command for spec in world.engine.library.flows.values() if spec.command)
    return [*names, UNKNOWN_COMMAND]


def moves_of(world: World, name: str, rng: random.Random) -> list[Move]:
    """Everything `name` could do now."""
    member = world.members[name]
    if world.blocked(name):
        return [Move(Step(name, "unblocks"), (*_where(world, member), "unblocks"))]
    where = _where(world, member)
    person = world.chat(name)
    moves = [Move(Step(name, "command", command), (*where, f"/{command}"))
             for command in commands(world)]
    keyboards = [index for index, message in enumerate(person.chat) if message.reply.buttons]
    if keyboards:
        for label in person.chat[keyboards[-1]].labels:
            moves.append(Move(Step(name, "press", label), (*where, "press", label), True))
    if len(keyboards) > 1:
        index = rng.choice(keyboards[:-1])
        label = rng.choice(person.chat[index].labels)
        moves.append(Move(Step(name, "stale", label, message=index + 1), (*where, "stale")))
    moves.extend(Move(Step(name, "tap", button.label), (*where, "tap", button.label), True)
                 for button in person.reply_keyboard if not button.request_contact)
    for kind, step in _typed(world, member, rng):
        moves.append(Move(step, (*where, kind), kind in ONWARD_ANSWERS))
    if member.registered:
        moves.append(Move(Step(name, "blocks"), (*where, "blocks")))
    return moves


def job_moves(world: World) -> list[Move]:
    return [Move(Step(WORLD, "job", job), ("job", job)) for job in JOBS]


def valid_answer(world: World, name: str, salt: int) -> Step | None:
    """A valid answer to the question `name` stands at (None where there is none)."""
    spec = world.state_spec(name)
    if spec is None or spec.ask is None:
        return None
    return _valid(world, world.members[name], spec.ask, random.Random(salt))


def where_key(world: World, member: Member) -> tuple[str, ...]:
    return _where(world, member)


def _where(world: World, member: Member) -> tuple[str, ...]:
    flow, state, _ = world.stands(member.name)
    return (member.kind, world.locale(member.user_id) or "-", f"{flow}.{state}")


def _typed(world: World, member: Member, rng: random.Random) -> list[tuple[str, Step]]:
    name = member.name
    spec = world.state_spec(name)
    ask = spec.ask if spec is not None else None
    typed: list[tuple[str, Step]] = [("sticker", Step(name, "sticker"))]
    if ask is None:
        return [*typed, ("text", Step(name, "type", rng.choice(PHRASES)))]
    valid = _valid(world, member, ask, rng)
    if valid is not None:
        typed.append(("valid", valid))
    if ask.input == "text":
        typed.append(("longest", Step(name, "type", _longest(ask.max_length))))
    typed.append(("invalid", _invalid(member, ask, rng)))
    if ask.input in ("choice", "language", "pick"):
        labels = [label.removeprefix(CHECKED) for label in _option_labels(world, name)]
        if labels:
            typed.append(("typed option", Step(name, "type", rng.choice(labels))))
    if ask.input == "contact":
        typed.append(("contact", Step(name, "contact")))
        typed.append(("other contact", Step(name, "contact", "other")))
    if ask.input != "photo":
        typed.append(("photo", Step(name, "photo")))
    return typed


def _valid(world: World, member: Member, ask: Ask, rng: random.Random) -> Step | None:
    name = member.name
    if ask.input == "text":
        others = [m for m in world.cast if m is not member]
        other = rng.choice(others)
        pool = [member.first_name, other.first_name, str(other.user_id), f"@{other.name}",
                SCHEDULE_TIME, *PHRASES]
        text = pool[0] if rng.random() < 0.3 else rng.choice(pool)
        return Step(name, "type", text[:ask.max_length])
    if ask.input == "number":
        low = ask.min if ask.min is not None else 0
        high = ask.max if ask.max is not None else low + 100
        return Step(name, "type", str(rng.randint(low, high)))
    if ask.input == "contact":
        return Step(name, "contact")
    if ask.input == "photo":
        return Step(name, "photo")
    labels = _option_labels(world, name)
    if ask.input == "multi":
        done = world.engine.renderer.gettext(_locale(world, member), ask.done)
        ticked = [label for label in labels if label.startswith(CHECKED)]
        choices = [label for label in labels if label != done]
        if ticked or not choices:
            return Step(name, "press", done)
        return Step(name, "press", rng.choice(choices[:max(1, len(choices))]))
    if not labels:
        return None
    if ask.input == "language":
        own = world.engine.renderer.language_name(_locale(world, member))
        if own in labels:
            return Step(name, "press", own)
    skip = world.engine.renderer.gettext(_locale(world, member), ask.skip) if ask.skip else None
    options = [label for label in labels if label != skip] or labels
    return Step(name, "press", options[0] if rng.random() < 0.5 else rng.choice(options))


def _longest(length: int) -> str:
    """A text of exactly `length` characters, in words (the longest a question takes)."""
    words = ("слово " * (length // 6 + 1))[:length]
    return words[:-1] + "ь" if words.endswith(" ") else words


def _invalid(member: Member, ask: Ask, rng: random.Random) -> Step:
    name = member.name
    if ask.input == "text":
        if rng.random() < 0.5:
            return Step(name, "type", "ж" * (ask.max_length + 1))
        return Step(name, "sticker")
    if ask.input == "number":
        return Step(name, "type", rng.choice([INVALID_PHRASE, str((ask.max or 100) + 1)]))
    return Step(name, "type", INVALID_PHRASE)


def _option_labels(world: World, name: str) -> list[str]:
    person = world.chat(name)
    for message in reversed(person.chat):
        if message.reply.buttons:
            return message.labels
    return []


def _locale(world: World, member: Member) -> str:
    return world.locale(member.user_id) or member.language_code
