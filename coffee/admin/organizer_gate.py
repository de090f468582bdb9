"""The dialogue's gate over the organizer operations: organizers are ORGANIZER_IDS plus the
appointed ones; someone not registered yet is admitted by the registration mode and the
access lists."""

from __future__ import annotations

from dataclasses import dataclass

from coffee.organizers import Admission, Defaults, admission, is_organizer

REFUSALS = {Admission.BLOCKED: "blocked", Admission.NOT_ALLOWED: "not_allowed",
            Admission.CLOSED: "registration_closed"}


@dataclass(frozen=True)
class OrganizerGate:
    organizer_ids: frozenset[int]
    defaults: Defaults

    def is_organizer(self, user_id: int) -> bool:
        return is_organizer(user_id, self.organizer_ids)

    def refusal(self, user_id: int, username: str | None, registered: bool) -> str | None:
        if registered:
            return None  # a mode change does not touch participants (a block bans them)
        verdict = admission(user_id, username, registered, self.organizer_ids, self.defaults)
        return REFUSALS.get(verdict)
