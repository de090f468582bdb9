"""Registration and the access lists in /admin: the mode, the allow and block lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coffee import organizers as ops
from coffee.admin.desk import Desk
from engine.dialog.api import Conversation, Registry


@dataclass(frozen=True)
class AccessView:
    """The access screen: the registration mode and both lists' entries."""

    mode: str
    entries: list[ops.Entry]


def access_registry(desk: Desk) -> Registry:
    registry = Registry()

    @registry.variable("access")
    def access(talk: Conversation) -> AccessView:
        return AccessView(ops.effective("registration_mode", desk.defaults),
                          ops.entries(desk.actor(talk)))

    for mode in ops.REGISTRATION_MODES:
        registry.action(f"set_mode_{mode.replace('-', '_')}")(_mode_setter(desk, mode))

    for list_name in (ops.ALLOW, ops.BLOCK):
        registry.action(f"{list_name}_person")(_listing(desk, list_name))

    @registry.action("unlist_person")
    def unlist_person(talk: Conversation) -> None:
        text = desk.typed(talk, "who")
        if text:  # else cancelled
            desk.attempt(talk, lambda who: ops.remove_entry(who, text))

    return registry


def _mode_setter(desk: Desk, mode: str) -> Callable[[Conversation], None]:
    def act(talk: Conversation) -> None:
        desk.attempt(talk, lambda who: ops.change_setting(who, "registration_mode", mode,
                                                         desk.defaults))

    return act


def _listing(desk: Desk, list_name: str) -> Callable[[Conversation], None]:
    def act(talk: Conversation) -> None:
        text = desk.typed(talk, "who")
        if text:  # else cancelled
            desk.attempt(talk, lambda who: ops.add_entry(who, list_name, text))

    return act
