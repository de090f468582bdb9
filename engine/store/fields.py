"""Column types the models need beyond Peewee's own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import TextField


def utc_now() -> dt.datetime:
    """The current time, aware, in UTC (the only kind of time the database stores)."""
    return dt.datetime.now(dt.UTC)


class AwareDateTimeField(TextField):
    """A time zone aware datetime, stored as ISO 8601 in UTC; naive values are refused."""

    def db_value(self, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            raise ValueError(f"{self.name}: a time zone aware datetime is required, got {value!r}")
        return value.astimezone(dt.UTC).isoformat()

    def python_value(self, value: Any) -> dt.datetime | None:
        return None if value is None else dt.datetime.fromisoformat(value)
