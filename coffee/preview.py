"""The sample community a preview draws the flows for: Olena, an organizer, and Taras, who
registered and met in a round; the next round's invitations are out; Taras wrote the
organizers a note and a news broadcast waits as a draft. Built through the real weekly jobs
on a throwaway database, at a fixed moment, so that a preview always shows the same."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from coffee import organizers
from coffee.app import Bot, build_bot
from coffee.bot_settings import BotSettings
from coffee.cycle.jobs import run_job
from coffee.cycle.participation import YES, set_participation
from coffee.models import MeetingMember, OrganizerNote
from engine.preview.sample import SamplePerson, register

OLENA = SamplePerson(1001, "Olena", "Kovalenko", "olena_k", "uk", "+380501234567")
TARAS = SamplePerson(1002, "Taras", "Shevchenko", "taras_sh", "uk", "+380671234567")
TYPED = {"company": "Kyiv Coffee Lab", "about": "I like coffee, long walks and good books.",
         "city": "Lviv"}
ROUND = dt.date(2026, 11, 30)  # the round they met in (a Monday); the next one is invited
ABOUT = (f"Sample data: {OLENA.first_name} {OLENA.last_name} (an organizer) met "
         f"{TARAS.first_name} {TARAS.last_name} in the week from {ROUND:%d %B %Y}; the "
         "invitations for the next week are out.")


@dataclass(frozen=True)
class SampleWorld:
    """The bot over the sample community, who the screens are drawn for, and what each flow
    holds for them (what the code starts it with, what its actions keep)."""

    bot: Bot
    user_id: int
    values: Mapping[str, Mapping[str, Any]]


@contextmanager
def sample_world(settings: BotSettings) -> Iterator[SampleWorld]:
    """The sample community on a database of its own, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="preview-") as folder:
        now = [dt.datetime.combine(ROUND, dt.time(12), settings.timezone)]
        sample = replace(settings, database_url=f"sqlite:///{Path(folder) / 'preview.sqlite3'}",
                         organizer_ids=settings.organizer_ids | {OLENA.user_id})
        bot = build_bot(sample, clock=lambda: now[0])
        try:
            yield SampleWorld(bot, OLENA.user_id, _community(bot, now))
        finally:
            bot.database.close()


def _community(bot: Bot, now: list[dt.datetime]) -> dict[str, dict[str, Any]]:
    """Register both, run the round's jobs at their times, and stop on the morning after the
    next round's invitations; returns each flow's values."""
    schedule = bot.parts.schedule
    now[0] = schedule.due_at("invite", ROUND) - dt.timedelta(days=1)
    for person in (OLENA, TARAS):
        register(bot.engine, person, TYPED)
    now[0] = schedule.due_at("invite", ROUND)
    run_job(bot.engine, schedule, "invite", ROUND)
    for person in (OLENA, TARAS):
        set_participation(person.user_id, ROUND, YES, now[0])
    now[0] = schedule.due_at("match", ROUND)
    run_job(bot.engine, schedule, "match", ROUND)
    following = ROUND + dt.timedelta(days=7)
    now[0] = schedule.due_at("invite", following)
    run_job(bot.engine, schedule, "invite", following)
    now[0] += dt.timedelta(hours=1)
    note = OrganizerNote.create(user=TARAS.user_id, text="Could we meet in the city centre?",
                                created_at=now[0])
    draft = organizers.draft_broadcast(
        organizers.act_as(OLENA.user_id, bot.engine.settings.organizer_ids, now[0]),
        "<b>News:</b> the summer meetup is on Saturday.", "all",
        list(bot.parts.renderer.offered))
    member = MeetingMember.get(MeetingMember.user == OLENA.user_id)
    partner = f"{TARAS.first_name} {TARAS.last_name}"
    return {
        "invitation": {"week": following.isoformat()},
        "feedback": {"meeting": member.meeting_id, "partners": [partner]},
        "admin": {"person": TARAS.user_id, "query": TARAS.first_name,
                  "matches": {str(TARAS.user_id): f"{partner} (@{TARAS.username})"},
                  "broadcast": draft.id, "text": draft.text, "audience": draft.audience,
                  "note": note.id, "failed": False},
    }
