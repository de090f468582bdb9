"""Settings organizers change without a developer: stored in the `setting` table, the
environment (or the built-in default) below them, each validated with an example and shown
with where its value comes from."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import escape

from coffee.bot_settings import REGISTRATION_MODES, BotSettings
from coffee.cycle.schedule import JOBS, WEEKDAYS, Schedule, ScheduleError, WeeklyTime
from coffee.organizers.actor import Actor, Refused
from coffee.organizers.audit import record
from engine.store import Setting, database

OPEN, ALLOW_LIST, CLOSED = REGISTRATION_MODES
MAX_NAME = 64


# How a weekday may be written when no language's names are given: English, full or short.
ENGLISH_DAYS = {name: day for day, names in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    for name in (names, names[:3], WEEKDAYS[day])}
_CLOCK = re.compile(r"^([01]?\d|2[0-3])(?:[:.]([0-5]\d))?$")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})


def parse_weekly_time(key: str, text: str, day_names: Mapping[str, int] | None = None) -> str:
    """`четвер 9:00`, `Thursday, 09:00` or `thu 9` as the stored `thu 09:00`. `day_names`:
    lower-case weekday names (0 = Monday) of the organizer's language, English ones besides.
    Refused('bad_setting', problem='weekday' or 'time', text=what was not understood)."""
    names = {_plain(name): day for name, day in {**ENGLISH_DAYS, **(day_names or {})}.items()}
    words = text.replace(",", " ").split()
    if not words:
        raise Refused("bad_setting", key=key, problem="weekday", text="", example="thu 09:00")
    day = names.get(_plain(words[0]))
    if day is None:
        raise Refused("bad_setting", key=key, problem="weekday", text=words[0],
                      example="thu 09:00")
    clock = _CLOCK.match(words[-1]) if len(words) > 1 else None
    if clock is None:
        raise Refused("bad_setting", key=key, problem="time",
                      text=words[-1] if len(words) > 1 else "", example="thu 09:00")
    return f"{WEEKDAYS[day]} {int(clock.group(1)):02d}:{int(clock.group(2) or 0):02d}"


def _plain(word: str) -> str:
    return word.lower().translate(_APOSTROPHES).rstrip(".")


def _weekly_time(key: str, text: str, day_names: Mapping[str, int] | None) -> str:
    value = parse_weekly_time(key, text, day_names)
    try:
        WeeklyTime.parse(key, value)
    except ScheduleError:  # pragma: no cover - parse_weekly_time writes what this reads
        raise Refused("bad_setting", key=key, example="thu 09:00") from None
    return value


def _mode(key: str, text: str, _day_names: Mapping[str, int] | None) -> str:
    value = text.strip().lower()
    if value not in REGISTRATION_MODES:
        raise Refused("bad_setting", key=key, example=" / ".join(REGISTRATION_MODES))
    return value


def _name(key: str, text: str, _day_names: Mapping[str, int] | None) -> str:
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
    check: Callable[[str, str, Mapping[str, int] | None], str]


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


@dataclass(frozen=True)
class LiveSetting:
    """A setting read at each use: `str()` gives its value now (templates print the community's
    name with it, so a change shows from the next message on, in every process)."""

    key: str
    defaults: Defaults

    def __str__(self) -> str:
        return effective(self.key, self.defaults)

    def __html__(self) -> str:
        return str(escape(str(self)))


def setting_values(actor: Actor, defaults: Defaults) -> list[SettingValue]:
    """Every setting with its value and source, in a fixed order."""
    saved = stored()
    return [SettingValue(key, str(saved[key]), STORED, definition.env) if saved.get(key)
            is not None else SettingValue(key, defaults.values[key], defaults.sources[key],
                                          definition.env)
            for key, definition in DEFINITIONS.items()]


def change_setting(actor: Actor, key: str, text: str, defaults: Defaults,
                   day_names: Mapping[str, int] | None = None) -> SettingValue:
    """Validate and store a new value; Refused('bad_setting', key, example) if it is wrong.
    `day_names`: how the organizer's language names the weekdays (English works anyway)."""
    definition = DEFINITIONS.get(key)
    if definition is None:
        raise Refused("unknown_setting", key=key)
    value = definition.check(key, text, day_names)
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
