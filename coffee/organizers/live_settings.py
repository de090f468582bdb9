"""Settings organizers change without a developer: stored in the `setting` table, the
environment (or the built-in default) below them, each validated with an example and shown
with where its value comes from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from coffee.bot_settings import REGISTRATION_MODES, BotSettings
from coffee.cycle.schedule import JOBS, Schedule, ScheduleError, WeeklyTime
from coffee.organizers.actor import Actor, Refused
from coffee.organizers.audit import record
from engine.store import Setting, database

OPEN, ALLOW_LIST, CLOSED = REGISTRATION_MODES
MAX_NAME = 64


def _weekly_time(key: str, text: str) -> str:
    try:
        WeeklyTime.parse(key, text)
    except ScheduleError:
        raise Refused("bad_setting", key=key, example="thu 09:00") from None
    day, _, clock = text.strip().lower().partition(" ")
    hours, minutes = (int(part) for part in clock.strip().split(":"))
    return f"{day[:3]} {hours:02d}:{minutes:02d}"


def _mode(key: str, text: str) -> str:
    value = text.strip().lower()
    if value not in REGISTRATION_MODES:
        raise Refused("bad_setting", key=key, example=" / ".join(REGISTRATION_MODES))
    return value


def _name(key: str, text: str) -> str:
    value = " ".join(text.split())
    if not value or len(value) > MAX_NAME:
        raise Refused("bad_setting", key=key, example="Random Coffee Kyiv")
    return value


@dataclass(frozen=True)
class Definition:
    """One setting: its key, the environment variable below it, its check (returns the value
    to store, or raises Refused with an example)."""

    key: str
    env: str
    check: Callable[[str, str], str]


DEFINITIONS: dict[str, Definition] = {
    definition.key: definition for definition in (
        *(Definition(f"schedule_{job}", f"SCHEDULE_{job.upper()}", _weekly_time)
          for job in JOBS),
        Definition("registration_mode", "REGISTRATION_MODE", _mode),
        Definition("community_name", "COMMUNITY_NAME", _name),
    )
}

# Where a value comes from.
STORED, ENVIRONMENT, DEFAULT = "stored", "environment", "default"


@dataclass(frozen=True)
class Defaults:
    """What applies when no organizer changed a setting: each key's value and its source
    (ENVIRONMENT or DEFAULT)."""

    values: Mapping[str, str]
    sources: Mapping[str, str]

    @classmethod
    def from_settings(cls, settings: BotSettings) -> Defaults:
        values = {f"schedule_{job}": settings.schedule[job] for job in JOBS}
        values["registration_mode"] = settings.registration_mode
        values["community_name"] = settings.community_name
        sources = {key: ENVIRONMENT if definition.env in settings.given else DEFAULT
                   for key, definition in DEFINITIONS.items()}
        return cls(values, sources)


@dataclass(frozen=True)
class SettingValue:
    key: str
    value: str
    source: str  # STORED, ENVIRONMENT or DEFAULT
    env: str


def stored() -> dict[str, Any]:
    """Every stored setting (one query)."""
    return {row.key: row.value for row in Setting.select().where(
        Setting.key.in_(list(DEFINITIONS)))}


def effective(key: str, defaults: Defaults) -> str:
    """The value of one setting now."""
    row = Setting.get_or_none(Setting.key == key)
    return str(row.value) if row is not None and row.value is not None else defaults.values[key]


def setting_values(actor: Actor, defaults: Defaults) -> list[SettingValue]:
    """Every setting with its value and source, in a fixed order."""
    saved = stored()
    return [SettingValue(key, str(saved[key]), STORED, definition.env) if saved.get(key)
            is not None else SettingValue(key, defaults.values[key], defaults.sources[key],
                                          definition.env)
            for key, definition in DEFINITIONS.items()]


def change_setting(actor: Actor, key: str, text: str, defaults: Defaults) -> SettingValue:
    """Validate and store a new value; Refused('bad_setting', key, example) if it is wrong."""
    definition = DEFINITIONS.get(key)
    if definition is None:
        raise Refused("unknown_setting", key=key)
    value = definition.check(key, text)
    with database.atomic():
        old = effective(key, defaults)
        (Setting.insert(key=key, value=value)
         .on_conflict(conflict_target=[Setting.key], update={Setting.value: value}).execute())
        record(actor, "setting", key, old, value)
    return SettingValue(key, value, STORED, definition.env)


def reset_setting(actor: Actor, key: str, defaults: Defaults) -> SettingValue:
    """Forget the stored value: the environment (or the default) applies again."""
    if key not in DEFINITIONS:
        raise Refused("unknown_setting", key=key)
    with database.atomic():
        old = effective(key, defaults)
        Setting.delete().where(Setting.key == key).execute()
        record(actor, "setting", key, old, None)
    return SettingValue(key, defaults.values[key], defaults.sources[key], DEFINITIONS[key].env)


def live_schedule(defaults: Defaults, zone: ZoneInfo) -> Schedule:
    """The weekly schedule as the settings say now (read at each check of the schedule)."""
    saved = stored()
    times = {job: str(saved.get(f"schedule_{job}") or defaults.values[f"schedule_{job}"])
             for job in JOBS}
    return Schedule.from_settings(times, zone)
