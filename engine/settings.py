"""The engine's settings from the environment (and an optional `.env` file), checked once at
start-up. An application adds its own on top (`Environment` reads them the same way).

A missing or malformed setting stops start-up with one line naming it: `SettingsError`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
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
    organizer_ids: frozenset[int]
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
    # the variables the environment (or .env) gave, so that organizers see where values come from
    given: frozenset[str]
    pid_file: Path
    database_outage_exit: float = 60.0  # seconds without the database before the bot stops
    # the languages a locale's messages fall back to before SOURCE_LOCALE (LOCALE_FALLBACKS)
    locale_fallbacks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def values(self) -> dict[str, Any]:
        """Every field by name: what an application's settings are built on."""
        return {each.name: getattr(self, each.name) for each in fields(Settings)}

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


class Environment:
    """The variables of the environment over those of a `.env` file, read as settings: each
    reader names the variable in the one line it raises when the value will not do."""

    def __init__(self, environ: Mapping[str, str] | None = None,
                 env_file: Path | None = None) -> None:
        values: dict[str, str] = {}
        env_path = env_file if env_file is not None else Path(".env")
        if env_path.is_file():
            values.update({k: v for k, v in dotenv_values(env_path).items() if v is not None})
        values.update(os.environ if environ is None else environ)
        self.values = values

    def get(self, name: str, default: str | None = None, *, formerly: str | None = None,
            ) -> str | None:
        """The variable's value; a setting renamed since is still read under its former name
        (`formerly`) when the new one is not given."""
        value = self.values.get(name, "").strip()
        if not value and formerly is not None:
            value = self.values.get(formerly, "").strip()
        return value or default

    def text(self, name: str, default: str, *, formerly: str | None = None) -> str:
        return self.get(name, default, formerly=formerly) or default

    def given(self) -> frozenset[str]:
        return frozenset(name for name in self.values if self.get(name))

    def url(self, name: str, default: str, *, formerly: str | None = None) -> str:
        return _url(name, self.get(name, default, formerly=formerly))

    def flag(self, name: str, default: str) -> bool:
        return _flag(name, self.get(name, default))

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        return _choice(name, self.get(name, default) or "", choices)

    def seconds(self, name: str, default: str) -> int:
        return _seconds(name, self.get(name, default) or "")

    def port(self, name: str, default: str, *, formerly: str | None = None) -> int:
        return _port(name, self.get(name, default, formerly=formerly) or "")


def load_settings(environ: Mapping[str, str] | None = None, env_file: Path | None = None,
                  *, defaults: Mapping[str, str] | None = None) -> Settings:
    """Read the engine's settings: the environment wins over `.env` (looked up in the working
    directory), which wins over an application's `defaults` (e.g. its DEFAULT_LOCALE)."""
    return settings_from(Environment(environ, env_file), defaults or {})


def settings_from(env: Environment, defaults: Mapping[str, str]) -> Settings:
    """The engine's settings from `env`, a variable it lacks taken from `defaults`."""

    def get(name: str, default: str) -> str:
        return env.text(name, defaults.get(name, default))

    source_locale = get("SOURCE_LOCALE", "en")
    return Settings(
        bot_token=env.get("BOT_TOKEN"),
        telegram_api_url=_url("TELEGRAM_API_URL", get("TELEGRAM_API_URL",
                                                      "https://api.telegram.org")),
        database_url=get("DATABASE_URL", "sqlite:///db.sqlite3"),
        organizer_ids=_ids("ORGANIZER_IDS", env.get("ORGANIZER_IDS", "", formerly="ADMIN_IDS")
                           or ""),
        timezone=_zone(get("TIMEZONE", "UTC")),
        default_locale=get("DEFAULT_LOCALE", source_locale),
        source_locale=source_locale,
        development=get("BOT_ENV", "production").lower() == "development",
        webhook_url=_optional_url("WEBHOOK_URL", env.get("WEBHOOK_URL")),
        webhook_secret=_secret(env.get("WEBHOOK_SECRET")),
        webhook_listen=get("WEBHOOK_LISTEN", "127.0.0.1"),
        webhook_port=_port("WEBHOOK_PORT", get("WEBHOOK_PORT", "8081")),
        flows_dir=Path(get("FLOWS_DIR", str(PROJECT_ROOT / "flows"))),
        templates_dir=Path(get("TEMPLATES_DIR", str(PROJECT_ROOT / "templates"))),
        locales_dir=Path(get("LOCALES_DIR", str(PROJECT_ROOT / "locales"))),
        given=env.given(),
        pid_file=Path(get("PID_FILE", "runner.pid")),
        database_outage_exit=_seconds("DATABASE_OUTAGE_EXIT", get("DATABASE_OUTAGE_EXIT", "60")),
        locale_fallbacks=_fallbacks(get("LOCALE_FALLBACKS", "")),
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
