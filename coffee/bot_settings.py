"""The Random Coffee bot's settings: the engine's, and the application's own (the weekly
schedule, the community's name, who may register, the web panel, cron's delivery retries),
from the same environment and `.env` file, checked once at start-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from engine.settings import Environment, Settings, settings_from

# The engine's settings as this bot has them unless the environment says otherwise.
ENGINE_DEFAULTS = {"DEFAULT_LOCALE": "uk", "TIMEZONE": "Europe/Kyiv"}
SCHEDULE_DEFAULTS = {"invite": "thu 09:00", "match": "mon 09:00", "feedback": "fri 15:00"}
REGISTRATION_MODES = ("open", "allow-list", "closed")


@dataclass(frozen=True, kw_only=True)
class BotSettings(Settings):
    schedule: Mapping[str, str]
    schedule_in_process: bool
    community_name: str
    registration_mode: str
    panel_listen: str
    panel_port: int
    panel_url: str
    panel_secret_key: str | None
    delivery_retry: dt.timedelta = dt.timedelta(minutes=5)


def load_bot_settings(environ: Mapping[str, str] | None = None,
                      env_file: Path | None = None) -> BotSettings:
    """Read every setting: the environment wins over `.env` (looked up in the working
    directory)."""
    env = Environment(environ, env_file)
    return BotSettings(
        **settings_from(env, ENGINE_DEFAULTS).values(),
        schedule={job: env.text(f"SCHEDULE_{job.upper()}", default)
                  for job, default in SCHEDULE_DEFAULTS.items()},
        schedule_in_process=env.flag("SCHEDULE_IN_PROCESS", "yes"),
        community_name=env.text("COMMUNITY_NAME", "Random Coffee"),
        registration_mode=env.choice("REGISTRATION_MODE", "open", REGISTRATION_MODES),
        panel_listen=env.text("PANEL_LISTEN", "127.0.0.1", formerly="ADMIN_LISTEN"),
        panel_port=env.port("PANEL_PORT", "8082", formerly="ADMIN_PORT"),
        panel_url=env.url("PANEL_URL", "http://127.0.0.1:8082", formerly="ADMIN_URL"),
        panel_secret_key=env.get("PANEL_SECRET_KEY", formerly="ADMIN_SECRET_KEY"),
        delivery_retry=dt.timedelta(seconds=env.seconds("DELIVERY_RETRY_SECONDS", "300")),
    )
