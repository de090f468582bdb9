"""Random Coffee: the weekly cycle of invitations, matching, introductions and feedback.

What other layers use: `actions.coffee_registry` (the flows' actions and variables),
`schedule.Schedule`, `jobs.run_job` and `jobs.preview` (scheduler.py), `outbox.deliver_outbox`
and `cycle.WeeklyCycle` (the in-process schedule), `leaving` (blocks and departures from a
meeting, for the transport's assembly); organizer operations use the round, participation and
member modules, and `jobs.planned_groups` with `jobs.history_before` and `jobs.topics_of` (the
next matching's page keeps what they read). `invite`, `match`, `matching` and `introduce` are
internal.
"""

__all__ = ["actions", "context", "cycle", "feedback", "jobs", "leaving", "members", "outbox",
           "participation", "progress", "rounds", "schedule"]
