"""Settings in /admin: each with its value in words and where it comes from; a new value is
read in the organizer's language (weekdays by their names) and refused with the reason."""

from __future__ import annotations

from collections.abc import Callable

from coffee import organizers as ops
from coffee.admin.desk import Desk
from engine.dialog.api import Conversation, Registry


def settings_registry(desk: Desk) -> Registry:
    registry = Registry()

    @registry.variable("settings")
    def settings(talk: Conversation) -> list[ops.SettingValue]:
        return ops.setting_values(desk.actor(talk), desk.defaults)

    for key in ops.DEFINITIONS:
        registry.action(f"set_{key}")(_setter(desk, key))

    return registry


def _setter(desk: Desk, key: str) -> Callable[[Conversation], None]:
    def act(talk: Conversation) -> None:
        text = desk.typed(talk, "value")
        if text:  # else cancelled
            days = desk.words(talk).weekdays()
            desk.attempt(talk, lambda who: ops.change_setting(who, key, text, desk.defaults,
                                                             days))

    return act
