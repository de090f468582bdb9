"""Check a text is Telegram HTML the Bot API accepts, before anything is sent."""

from __future__ import annotations

import html
import re

from coffee.organizers.actor import Refused
from engine.flows.lint_html import html_problems

MAX_TEXT = 4096  # characters Telegram counts: the text without its tags
MAX_CAPTION = 1024  # the same, for the caption of a photo
TAG = re.compile(r"<[^>]*>")


def check_html(text: str) -> str:
    """`text` stripped, or Refused: 'bad_html' (with what Telegram would refuse first),
    'empty_text' or 'text_too_long'."""
    body = text.strip()
    if not body:
        raise Refused("empty_text")
    problems = html_problems(body)
    if problems:
        raise Refused("bad_html", detail=problems[0][1])
    length = _shown_length(body)
    if length > MAX_TEXT:
        raise Refused("text_too_long", limit=MAX_TEXT, length=length)
    return body


def check_caption(text: str) -> str:
    """`check_html` for the caption of a photo, which Telegram keeps much shorter: Refused
    'caption_too_long' over 1024 characters."""
    body = check_html(text)
    length = _shown_length(body)
    if length > MAX_CAPTION:
        raise Refused("caption_too_long", limit=MAX_CAPTION, length=length)
    return body


def _shown_length(body: str) -> int:
    return len(html.unescape(TAG.sub("", body)))
