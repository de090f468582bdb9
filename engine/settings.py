"""Settings from the environment (and an optional `.env` file), checked once at start-up.

A missing or malformed setting stops start-up with one line naming it: `SettingsError`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """One setting is missing or wrong; the message names it and says what is expected."""


@dataclass(frozen=True)
class Settings:
    bot_token: str | None
    telegram_api_url: str
    database_url: str
    admin_ids: frozenset[int]
    timezone: ZoneInfo
    default_locale: str
    source_locale: str
    development: bool
    webhook_url: str | None
    webhook_secret: str | None
    webhook_listen: str
    webhook_port: int
    flows_dir: Path
    templates_dir: Path
    locales_dir: Path
    schedule: Mapping[str, str]
    schedule_in_process: bool
    community_name: str
    registration_mode: str
    # the variables the environment (or .env) gave, so that organizers see where values come from
    given: frozenset[str]
    pid_file: Path
    admin_listen: str
    admin_port: int
    admin_url: str
    admin_secret_key: str | None
    delivery_retry: dt.timedelta = dt.timedelta(minutes=5)
    database_outage_exit: float = 60.0  # seconds without the database before the bot stops
    # the languages a locale's messages fall back to before SOURCE_LOCALE (LOCALE_FALLBACKS)
    locale_fallbacks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def require_token(self) -> str:
        if not self.bot_token:
            raise SettingsError("BOT_TOKEN is not set: get one from @BotFather and put it in "
                                "the environment or .env")
        if ":" not in self.bot_token:
            raise SettingsError("BOT_TOKEN does not look like a bot token (123456:ABC...)")
        return self.bot_token

    def require_webhook(self) -> tuple[str, str]:
        if not self.webhook_url:
            raise SettingsError("WEBHOOK_URL is not set: the public https:// address Telegram "
                                "posts updates to (e.g. https://bot.example.org/telegram)")
        if not self.webhook_secret:
            raise SettingsError("WEBHOOK_SECRET is not set: a random string of 1-256 characters "
                                "A-Z, a-z, 0-9, _ and -")
        return self.webhook_url, self.webhook_secret


SCHEDULE_DEFAULTS = {"invite": "thu 09:00", "match": "mon 09:00", "feedback": "fri 15:00"}
REGISTRATION_MODES = ("open", "allow-list", "closed")


def load_settings(environ: Mapping[str, str] | None = None, env_file: Path | None = None,
                  ) -> Settings:
    """Read settings: the environment wins over `.env` (looked up in the working directory)."""
    values: dict[str, str] = {}
    env_path = env_file if env_file is not None else Path(".env")
    if env_path.is_file():
        values.update({k: v for k, v in dotenv_values(env_path).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def get(name: str, default: str | None = None) -> str | None:
        value = values.get(name, "").strip()
        return value or default

    return Settings(
        bot_token=get("BOT_TOKEN"),
        telegram_api_url=_url("TELEGRAM_API_URL", get("TELEGRAM_API_URL",
                                                      "https://api.telegram.org")),
        database_url=get("DATABASE_URL", "sqlite:///db.sqlite3") or "",
        admin_ids=_ids("ADMIN_IDS", get("ADMIN_IDS", "") or ""),
        timezone=_zone(get("TIMEZONE", "Europe/Kyiv") or ""),
        default_locale=get("DEFAULT_LOCALE", "uk") or "uk",
        source_locale=get("SOURCE_LOCALE", "en") or "en",
        development=(get("BOT_ENV", "production") or "").lower() == "development",
        webhook_url=_optional_url("WEBHOOK_URL", get("WEBHOOK_URL")),
        webhook_secret=_secret(get("WEBHOOK_SECRET")),
        webhook_listen=get("WEBHOOK_LISTEN", "127.0.0.1") or "127.0.0.1",
        webhook_port=_port("WEBHOOK_PORT", get("WEBHOOK_PORT", "8081") or ""),
        flows_dir=Path(get("FLOWS_DIR", str(PROJECT_ROOT / "flows")) or ""),
        templates_dir=Path(get("TEMPLATES_DIR", str(PROJECT_ROOT / "templates")) or ""),
        locales_dir=Path(get("LOCALES_DIR", str(PROJECT_ROOT / "locales")) or ""),
        schedule={job: get(f"SCHEDULE_{job.upper()}", default) or default
                  for job, default in SCHEDULE_DEFAULTS.items()},
        schedule_in_process=_flag("SCHEDULE_IN_PROCESS", get("SCHEDULE_IN_PROCESS", "yes")),
        community_name=get("COMMUNITY_NAME", "Random Coffee") or "Random Coffee",
        registration_mode=_choice("REGISTRATION_MODE", get("REGISTRATION_MODE", "open") or "",
                                  REGISTRATION_MODES),
        given=frozenset(name for name in values if get(name)),
        pid_file=Path(get("PID_FILE", "runner.pid") or "runner.pid"),
        admin_listen=get("ADMIN_LISTEN", "127.0.0.1") or "127.0.0.1",
        admin_port=_port("ADMIN_PORT", get("ADMIN_PORT", "8082") or ""),
        admin_url=_url("ADMIN_URL", get("ADMIN_URL", "http://127.0.0.1:8082")),
        admin_secret_key=get("ADMIN_SECRET_KEY"),
        delivery_retry=dt.timedelta(seconds=_seconds(
            "DELIVERY_RETRY_SECONDS", get("DELIVERY_RETRY_SECONDS", "300") or "")),
        database_outage_exit=_seconds("DATABASE_OUTAGE_EXIT",
                                      get("DATABASE_OUTAGE_EXIT", "60") or ""),
        locale_fallbacks=_fallbacks(get("LOCALE_FALLBACKS", "") or ""),
    )


def _url(name: str, value: str | None) -> str:
    parsed = urlparse(value or "")
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError(f"{name} must be an http(s):// address, got {value!r}")
    return (value or "").rstrip("/")


def _flag(name: str, value: str | None) -> bool:
    text = (value or "").lower()
    if text in ("yes", "true", "1", "on"):
        return True
    if text in ("no", "false", "0", "off"):
        return False
    raise SettingsError(f"{name} must be yes or no, got {value!r}")


def _choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    if value.lower() not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value.lower()


def _optional_url(name: str, value: str | None) -> str | None:
    return None if value is None else _url(name, value)


def _ids(name: str, value: str) -> frozenset[int]:
    parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    try:
        return frozenset(int(part) for part in parts)
    except ValueError:
        raise SettingsError(f"{name} must be Telegram user ids separated by commas, "
                            f"got {value!r}") from None


def _fallbacks(value: str) -> dict[str, tuple[str, ...]]:
    """`be:uk,pl; ru:uk`: each locale, a colon, the languages it falls back to in order."""
    chains: dict[str, tuple[str, ...]] = {}
    for entry in value.replace(";", " ").split():
        locale, colon, rest = entry.partition(":")
        chain = tuple(code.strip() for code in rest.split(",") if code.strip())
        if not colon or not locale.strip() or not chain:
            raise SettingsError(f"LOCALE_FALLBACKS must list a locale, a colon and the "
                                f"languages it falls back to, e.g. be:uk,pl;ru:uk; got "
                                f"{value!r}")
        chains[locale.strip()] = chain
    return chains


def _zone(value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"TIMEZONE {value!r} is not an IANA time zone such as "
                            "Europe/Kyiv") from None


def _seconds(name: str, value: str) -> int:
    if not value.isdigit():
        raise SettingsError(f"{name} must be a whole number of seconds, got {value!r}")
    return int(value)


def _port(name: str, value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise SettingsError(f"{name} must be a port number 1-65535, got {value!r}")
    return int(value)


def _secret(value: str | None) -> str | None:
    if value is None:
        return None
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    if len(value) > 256 or not set(value) <= allowed:
        raise SettingsError("WEBHOOK_SECRET must be 1-256 characters A-Z, a-z, 0-9, _ and -")
    return value
