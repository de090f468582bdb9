"""Actions every bot built on the engine has: finishing a profile, status."""

from __future__ import annotations

import json

from engine.dialog.api import Conversation, Registry

core = Registry()
core.needs.command("start", "a participant without a state, or whose state is gone, is taken "
                            "to /start")
core.needs.template("input_error", error=str, input=str, what=str, command=str, known=str,
                    min=int, max=int, length=int, count=int)
core.needs.template("disabled")
core.needs.template("keyboard_removed")
core.needs.template("apology", turn=False)
core.needs.template("back_online", turn=False)
core.needs.template("private_only", turn=False)
core.needs.template("status", flow=str, state=str, stack=list, stored=str, profile=str)


@core.action("finish_registration")
def finish_registration(talk: Conversation) -> None:
    """Mark the profile complete: from now on /start shows the profile, jobs may invite."""
    talk.mark_registered()


@core.action("show_status")
def show_status(talk: Conversation) -> None:
    """Show where the participant stood before /status: flow, state and stored context."""
    where = talk.whereabouts()
    callers = list(where.callers)
    caller = callers[-1] if callers else {"flow": where.flow, "state": where.state,
                                          **where.stored}
    stored = {key: value for key, value in caller.items() if key not in ("flow", "state")}
    talk.say("status", flow=caller.get("flow"), state=caller.get("state"),
             stack=callers[:-1], stored=json.dumps(stored, ensure_ascii=False, indent=1),
             profile=json.dumps(dict(talk.answers), ensure_ascii=False, indent=1))
