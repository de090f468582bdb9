"""Random Coffee: the weekly cycle of invitations, matching, introductions and feedback.

What other layers use: `actions.coffee_registry` (the flows' actions and variables),
`schedule.Schedule`, `jobs.run_job` and `jobs.preview` (scheduler.py), `outbox.deliver_outbox`
and `cycle.WeeklyCycle` (the in-process schedule). The rest is internal.
"""
