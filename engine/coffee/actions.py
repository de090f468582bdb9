"""The Random Coffee actions and variables that flows use by name."""

from __future__ import annotations

import datetime as dt

from engine.coffee.participation import SKIP, WeekStatus, clear_skip, set_participation, week_status
from engine.coffee.schedule import Schedule
from engine.dialog.registry import Registry
from engine.dialog.turn import Turn


def coffee_registry(schedule: Schedule) -> Registry:
    """Actions and variables bound to this bot's weekly schedule."""
    registry = Registry()

    def upcoming(turn: Turn) -> dt.date:
        return schedule.round_for("invite", turn.now)

    @registry.variable("weeks")
    def weeks(turn: Turn) -> list[WeekStatus]:
        """This week's and next week's participation, for the profile."""
        first = upcoming(turn)
        return [week_status(turn.user.id, first),
                week_status(turn.user.id, first + dt.timedelta(days=7))]

    @registry.action("skip_this_week")
    def skip_this_week(turn: Turn) -> None:
        if not set_participation(turn.user.id, upcoming(turn), SKIP):
            turn.say("round_closed")

    @registry.action("undo_skip")
    def undo_skip(turn: Turn) -> None:
        if not clear_skip(turn.user.id, upcoming(turn)):
            turn.say("round_closed")

    return registry
