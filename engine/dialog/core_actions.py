"""Actions every bot built on the engine has: finishing a profile, notes to organizers, status."""

from __future__ import annotations

import json

from engine.dialog.registry import Registry
from engine.dialog.turn import Turn
from engine.store import OrganizerNote

core = Registry()
core.needs.command("start", "a participant without a state, or whose state is gone, is taken "
                            "to /start")
core.needs.template("input_error", error=str, input=str, what=str, command=str, known=str,
                    min=int, max=int, length=int)
core.needs.template("disabled")
core.needs.template("keyboard_removed")
core.needs.template("apology", turn=False)
core.needs.template("private_only", turn=False)
core.needs.template("status", flow=str, state=str, stack=list, stored=str, profile=str)
core.needs.template("note_for_organizers", note=str)


@core.action("finish_registration")
def finish_registration(turn: Turn) -> None:
    """Mark the profile complete: from now on /start shows the profile, jobs may invite."""
    turn.user.registered = True


@core.action("send_note_to_organizers")
def send_note_to_organizers(turn: Turn) -> None:
    """Store the note just answered (`note`) and forward it to every admin."""
    text = turn.vars.get("note") or ""
    if not text:
        return
    OrganizerNote.create(user=turn.user.id, text=text, created_at=turn.now)
    for admin_id in sorted(turn.engine.settings.admin_ids):
        turn.tell(admin_id, "note_for_organizers", note=text)


@core.action("show_status")
def show_status(turn: Turn) -> None:
    """Show where the participant stood before /status: flow, state and stored context."""
    caller = turn.stack[-1] if turn.stack else {"flow": turn.flow, "state": turn.state}
    context = {key: value for key, value in turn.context.items() if key != "stack"}
    turn.say("status", flow=caller.get("flow"), state=caller.get("state"),
             stack=turn.stack[:-1], stored=json.dumps(context, ensure_ascii=False, indent=1),
             profile=json.dumps(turn.answers, ensure_ascii=False, indent=1))
