"""Who takes part in an exploration: for every language the bot offers a registered
participant and a newcomer, a second registered participant (pairs, trios and departures need
three), a newcomer whose Telegram language has no catalog, and two organizers (ADMIN_IDS),
one registered and one not."""

from __future__ import annotations

from dataclasses import dataclass

ORGANIZER_IDS = (900, 901)  # the ADMIN_IDS an exploration's bot is built with
UNKNOWN_LANGUAGE = "eo"  # a Telegram language no catalog has
NAMES = ("Олена", "Alice", "Петро", "Bob", "Ірина", "Carol", "Тарас", "Dave", "Оксана", "Erin")


@dataclass(frozen=True)
class Member:
    name: str  # how scripts call them; also their Telegram @username
    user_id: int
    language_code: str  # what Telegram reports
    registered: bool  # registered before the exploration starts
    organizer: bool
    first_name: str

    @property
    def kind(self) -> str:
        """What coverage counts them as: organizer or not, registered or not."""
        return (("organizer" if self.organizer else "participant")
                + ("" if self.registered else " newcomer"))


def cast_for(offered: list[str], default_locale: str) -> list[Member]:
    """The cast for a bot offering the languages `offered` (its default first)."""
    locales = sorted(offered, key=lambda code: code != default_locale)
    other = locales[1] if len(locales) > 1 else default_locale
    people: list[tuple[str, str, bool, bool]] = []
    for locale in locales:
        people.append((f"{locale}_member", locale, True, False))
        people.append((f"{locale}_newcomer", locale, False, False))
    people.append((f"{default_locale}_partner", default_locale, True, False))
    people.append(("stranger", UNKNOWN_LANGUAGE, False, False))
    cast = [Member(name, 101 + index, code, registered, organizer, NAMES[index % len(NAMES)])
            for index, (name, code, registered, organizer) in enumerate(people)]
    cast.append(Member("organizer", ORGANIZER_IDS[0], default_locale, True, True,
                       NAMES[len(cast) % len(NAMES)]))
    cast.append(Member("new_organizer", ORGANIZER_IDS[1], other, False, True,
                       NAMES[(len(cast)) % len(NAMES)]))
    return cast
