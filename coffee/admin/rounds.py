"""Round control in /admin: the round each job would act on and whether it can, the pairs the
next matching would make, a job run now (its messages delivered at once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from coffee import organizers as ops
from coffee.admin.desk import Desk
from engine.dialog.api import Conversation, Registry


def rounds_registry(desk: Desk) -> Registry:
    registry = Registry()
    registry.needs.template("admin_pairs_preview", week=dt.date, lines=list)
    registry.needs.template("admin_job_done", done=ops.JobDone)

    def upcoming(talk: Conversation) -> dt.date:
        return ops.next_round(desk.schedule(), talk.now)

    @registry.variable("next_round")
    def next_round(talk: Conversation) -> dict[str, dt.date]:
        return {"week": upcoming(talk)}

    @registry.variable("round_jobs")
    def round_jobs(talk: Conversation) -> dict[str, ops.JobPlan]:
        """What invite, match and feedback would do if run now, and for which round."""
        return ops.job_plans(desk.actor(talk), desk.schedule(), talk.now)

    @registry.variable("without_partner")
    def without_partner(talk: Conversation) -> list[str]:
        return ops.without_partner(desk.actor(talk), upcoming(talk))

    @registry.action("preview_pairs")
    def preview_pairs(talk: Conversation) -> None:
        week = upcoming(talk)
        lines = desk.attempt(talk, lambda who: ops.preview_pairs(who, week, desk.fields))
        if lines is not None:
            talk.say("admin_pairs_preview", week=week, lines=lines)

    for job in ("invite", "match", "feedback"):
        registry.action(f"run_{job}_now")(_job_runner(desk, job))

    return registry


def _job_runner(desk: Desk, job: str) -> Callable[[Conversation], None]:
    def act(talk: Conversation) -> None:
        done = desk.attempt(talk, lambda who: ops.run_job_now(who, desk.engine_of(),
                                                             desk.schedule(), job))
        if done is not None:
            talk.say("admin_job_done", done=done)
            if done.queued:
                desk.deliver_soon()

    return act
