"""Check a text is Telegram HTML the Bot API accepts, before anything is sent: the engine's
reading of Telegram HTML (`engine.flows.telegram_html`, the same the lint uses), its first
problem raised as a refusal each face words for the organizer."""

from __future__ import annotations

from coffee.organizers.actor import Refused
from engine.flows.telegram_html import MAX_CAPTION, MAX_TEXT, check_message

__all__ = ["MAX_CAPTION", "MAX_TEXT", "check_caption", "check_html"]


def check_html(text: str) -> str:
    """`text` stripped, or Refused: 'empty_text', 'text_too_long' (length, limit) or
    'bad_html' with `problem` (a code of `engine.flows.telegram_html`) and its params."""
    return _checked(text, MAX_TEXT, "text_too_long")


def check_caption(text: str) -> str:
    """`check_html` for the caption of a photo, which Telegram keeps much shorter: Refused
    'caption_too_long' over 1024 characters as Telegram counts them."""
    return _checked(text, MAX_CAPTION, "caption_too_long")


def _checked(text: str, limit: int, too_long: str) -> str:
    body = text.strip()
    problems = check_message(body, limit)
    if problems:
        first = problems[0]
        if first.code == "empty_text":
            raise Refused("empty_text")
        if first.code == "text_too_long":
            raise Refused(too_long, **first.params)
        raise Refused("bad_html", problem=first.code, detail=first.message, **first.params)
    return body
