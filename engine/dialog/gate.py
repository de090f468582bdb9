"""Who may talk to the bot and who is an organizer: the dialogue asks, the assembly answers.

The dialogue knows no access lists: before it handles a message from someone not registered
yet it asks the gate whether they may go on, and it asks the gate whether a participant is an
organizer (organizer-only flows and buttons). The default gate admits everyone and knows the
organizers by ORGANIZER_IDS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["Gate", "OrganizerIdsGate"]


class Gate(Protocol):
    def is_organizer(self, user_id: int) -> bool:
        """May this person use organizer-only flows and buttons?"""

    def refusal(self, user_id: int, username: str | None, registered: bool) -> str | None:
        """None to let the person go on; otherwise the template of the one polite line they
        get instead of an answer."""


@dataclass(frozen=True)
class OrganizerIdsGate:
    """Everyone is admitted; the organizers are ORGANIZER_IDS."""

    organizer_ids: frozenset[int]

    def is_organizer(self, user_id: int) -> bool:
        return user_id in self.organizer_ids

    def refusal(self, user_id: int, username: str | None, registered: bool) -> str | None:
        return None
