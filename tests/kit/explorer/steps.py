"""One step of an exploration, and the script a failure is replayed from: one step a line.

    organizer: /admin                 a command (any, including one the person may not use)
    organizer: press 🔎 Find a participant   a button of the latest message that has buttons
    en_member: stale #4 Yes, I take part     a button of an earlier message (#4: its number
                                             in the chat, from 1)
    en_newcomer: tap Skip              a button of the reply keyboard
    en_newcomer: type Alice            a typed message
    en_newcomer: contact               their own phone number shared (`contact other`:
                                       someone else's)
    en_newcomer: photo                 a photo (`sticker`: something the bot cannot read)
    en_member: blocks                  they block the bot (`unblocks`: and unblock it)
    job: invite                        the weekly job (invite, match, feedback) due next,
                                       run at its time, its messages delivered
"""

from __future__ import annotations

from dataclasses import dataclass

WORLD = "job"
PERSON_VERBS = ("command", "press", "stale", "tap", "type", "contact", "photo", "sticker",
                "blocks", "unblocks")
JOBS = ("invite", "match", "feedback")


@dataclass(frozen=True)
class Step:
    who: str  # a member of the cast, or WORLD for a job
    verb: str  # one of PERSON_VERBS, or "job"
    arg: str = ""
    message: int = 0  # `stale`: the message's number in the chat, from 1

    def line(self) -> str:
        if self.who == WORLD:
            return f"{WORLD}: {self.arg}"
        if self.verb == "command":
            return f"{self.who}: /{self.arg}"
        if self.verb == "stale":
            return f"{self.who}: stale #{self.message} {self.arg}"
        return f"{self.who}: {self.verb} {self.arg}".rstrip()

    @classmethod
    def parse(cls, line: str) -> Step:
        who, _, rest = line.strip().partition(": ")
        if not rest and line.strip().endswith(":"):
            raise ValueError(f"a step without an action: {line!r}")
        if who == WORLD:
            if rest not in JOBS:
                raise ValueError(f"unknown job {rest!r} (known: {', '.join(JOBS)})")
            return cls(WORLD, "job", rest)
        if rest.startswith("/"):
            return cls(who, "command", rest[1:])
        verb, _, arg = rest.partition(" ")
        if verb not in PERSON_VERBS:
            raise ValueError(f"unknown action {verb!r} in {line!r}")
        if verb == "stale":
            number, _, label = arg.partition(" ")
            return cls(who, verb, label, message=int(number.lstrip("#")))
        return cls(who, verb, arg)


def script(steps: list[Step]) -> str:
    return "\n".join(step.line() for step in steps)


def parse_script(text: str) -> list[Step]:
    """The steps of a script; blank lines and `#` comments are left out."""
    return [Step.parse(line) for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")]
