"""Telegram HTML as plain terminal text."""

from __future__ import annotations

from html.parser import HTMLParser


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """Drop the tags and decode the entities of a Telegram HTML message."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)
