"""The stored dialogue context: typed in memory, and read from every stored shape."""

from __future__ import annotations

from engine.store import DialogState
from tests.kit.participant import Participant


def test_a_context_stored_with_the_old_short_keys_still_works(participant: Participant) -> None:
    participant.complete_profile()
    participant.press("Змінити відповідь")
    stored = DialogState.get_by_id(101).context
    assert set(stored) >= {"keyboard", "stack", "values"}
    # As contexts were stored before the keys had their full names.
    old = {"kb": stored["keyboard"], "stack": stored["stack"], "vars": {"week": "2026-11-30"}}
    DialogState.update(context=old).where(DialogState.user == 101).execute()

    participant.press("Назад до профілю")
    assert participant.texts()[-1].startswith("Ваш профіль")
    assert DialogState.get_by_id(101).context["values"] == {"week": "2026-11-30"}
