"""A preview as terminal text: one block per state and language."""

from __future__ import annotations

from collections.abc import Iterable

from engine.dialog.events import Reply
from engine.preview.screens import Screen
from engine.transports.plain import html_to_text


def transcript(screens: Iterable[Screen]) -> str:
    """Each screen under a `== flow.State [locale]` heading: its messages, then its buttons
    numbered as the console numbers them."""
    blocks = []
    for screen in screens:
        lines = [f"== {screen.flow}.{screen.state} [{screen.locale}]"]
        if screen.error:
            lines.append(f"(cannot be drawn: {screen.error})")
        elif not screen.replies:
            lines.append("(shows nothing: goes on at once)")
        for reply in screen.replies:
            lines.extend(_reply(reply))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _reply(reply: Reply) -> list[str]:
    lines = [html_to_text(reply.text)]
    buttons = [button for row in (reply.buttons or reply.keyboard) for button in row]
    lines.extend(f"  [{number}] {button.label}" for number, button in enumerate(buttons, 1))
    return lines
