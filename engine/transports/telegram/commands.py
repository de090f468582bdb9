"""Register the command menu: public commands per locale, organizer commands for admins."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from telegram import Bot, BotCommand, BotCommandScope, BotCommandScopeChat
from telegram.error import TelegramError

from engine.flows.library import FlowLibrary
from engine.flows.spec import FlowSpec
from engine.render.templates import Renderer, language_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Menu:
    """One setMyCommands call: the commands shown to a scope in one language."""

    commands: tuple[BotCommand, ...]
    scope: BotCommandScope | None = None
    language_code: str | None = None


def command_menus(library: FlowLibrary, renderer: Renderer,
                  admin_ids: Iterable[int]) -> list[Menu]:
    """Every menu to register, most general first.

    Everyone: one list per offered locale (`language_code` scope) and the default
    locale's list for other languages. Each admin's chat: the same plus the organizer commands.
    """
    flows = sorted((spec for spec in library.flows.values() if spec.command),
                   key=lambda spec: spec.command or "")
    public = [spec for spec in flows if spec.access == "everyone"]
    default = renderer.default_locale
    # Telegram knows two-letter language codes: a pt_BR catalog serves every "pt" client.
    by_code = {language_of(locale): locale for locale in renderer.offered}
    languages = [(None, default), *by_code.items()]
    menus = [Menu(_commands(renderer, public, locale), language_code=code)
             for code, locale in languages]
    for admin_id in sorted(admin_ids):
        scope = BotCommandScopeChat(admin_id)
        menus.extend(Menu(_commands(renderer, flows, locale), scope, code)
                     for code, locale in languages)
    return menus


def _commands(renderer: Renderer, flows: list[FlowSpec], locale: str,
              ) -> tuple[BotCommand, ...]:
    return tuple(
        BotCommand(spec.command or "",
                   renderer.gettext(locale, spec.description or spec.command or ""))
        for spec in flows)


async def register_commands(bot: Bot, menus: Iterable[Menu]) -> None:
    """Send every menu; one refused menu (say, an admin who never opened the bot) is logged
    and the others still go."""
    for menu in menus:
        try:
            await bot.set_my_commands(menu.commands, scope=menu.scope,
                                      language_code=menu.language_code)
        except TelegramError as error:
            log.warning("command menu for %s (language %s) not registered: %s",
                        menu.scope.to_dict() if menu.scope else "everyone",
                        menu.language_code or "any", error)
