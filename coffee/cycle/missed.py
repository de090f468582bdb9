"""A job that could not run in its window (the bot was down): the round is marked and the
organizers (ORGANIZER_IDS) are told once, with what was missed and the command to run now.

Noticed by the job that comes next: matching finds a round nobody was invited to, the survey
finds a round that was never matched. The note goes into `round.missed` and each organizer's
message through the outbox, under a key that makes it once.
"""

from __future__ import annotations

import datetime as dt
import logging

from coffee.cycle.context import JobContext
from coffee.models import Round
from engine.delivery.outbox import queue_replies
from engine.dialog.events import Reply
from engine.store import User, database

log = logging.getLogger("coffee.cycle")


def report_missed(job: JobContext, round_: Round, missed: str) -> str:
    """Mark `missed` (invite or match) as missed for `round_`, tell the organizers once, and
    return the note for the job's summary."""
    schedule = job.schedule
    zone = schedule.zone
    end = schedule.window_end(missed, job.week)
    if missed == "invite":
        next_week = job.week + dt.timedelta(days=7)
        command = f"python scheduler.py invite --week {next_week.isoformat()}"
    else:
        command = f"python scheduler.py match --week {job.week.isoformat()}"
    values = {"job": missed, "week": job.week, "command": command}
    marks = [mark for mark in round_.missed.split(",") if mark]
    with database.atomic():
        if missed not in marks:
            Round.update(missed=",".join([*marks, missed])).where(Round.id == round_.id).execute()
        for admin in User.select().where(User.id.in_(sorted(job.engine.settings.organizer_ids))):
            text = job.engine.renderer.render("job_missed", admin.locale, values)
            queue_replies(admin.id, f"missed:{job.week.isoformat()}:{missed}:{admin.id}",
                          [Reply(text=text)], job.now())
    unknown = set(job.engine.settings.organizer_ids) - {
        user_id for (user_id,) in User.select(User.id).where(
            User.id.in_(sorted(job.engine.settings.organizer_ids))).tuples()}
    if unknown:
        log.warning("organizers %s have never written to the bot: they cannot be told",
                    ", ".join(map(str, sorted(unknown))))
    log.warning("%s %s was missed: its window closed at %s; run `%s`", missed,
                job.week.isoformat(), end.isoformat(), command)
    return (f"{missed} was missed (its window closed at "
            f"{end.astimezone(zone).strftime('%Y-%m-%d %H:%M')}); organizers told; run "
            f"`{command}`")
