"""Register the command menu: public commands per locale, organizer commands for organizers."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from telegram import Bot, BotCommand, BotCommandScope, BotCommandScopeChat
from telegram.error import TelegramError

from engine.dialog.events import CommandMenu
from engine.dialog.menus import command_menu
from engine.flows.library import FlowLibrary
from engine.render.templates import Renderer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Menu:
    """One setMyCommands call: the commands shown to a scope in one language."""

    commands: tuple[BotCommand, ...]
    scope: BotCommandScope | None = None
    language_code: str | None = None


def command_menus(library: FlowLibrary, renderer: Renderer,
                  organizer_ids: Iterable[int]) -> list[Menu]:
    """Every menu to register, most general first.

    Everyone: one list per offered locale (`language_code` scope) and the default
    locale's list for other languages. Each admin's chat: the same plus the organizer commands.
    """
    menus = _menus(command_menu(library, renderer, organizer=False), None)
    organizer = command_menu(library, renderer, organizer=True)
    for admin_id in sorted(organizer_ids):
        menus.extend(_menus(organizer, BotCommandScopeChat(admin_id)))
    return menus


def _menus(menu: CommandMenu, scope: BotCommandScope | None) -> list[Menu]:
    return [Menu(tuple(BotCommand(command.name, command.description) for command in commands),
                 scope, code or None)
            for code, commands in menu.languages]


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
