"""Check a text is Telegram HTML the Bot API accepts, before anything is sent."""

from __future__ import annotations

import html
import re

from engine.flows.lint_html import html_problems
from engine.organizers.actor import Refused

MAX_TEXT = 4096  # characters Telegram counts: the text without its tags
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
    length = len(html.unescape(TAG.sub("", body)))
    if length > MAX_TEXT:
        raise Refused("text_too_long", limit=MAX_TEXT, length=length)
    return body
