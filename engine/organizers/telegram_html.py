"""Check a text is Telegram HTML the Bot API accepts, before anything is sent."""

from __future__ import annotations

from html.parser import HTMLParser

from engine.organizers.actor import Refused

MAX_TEXT = 4096
# The tags Telegram's HTML parse mode supports, and the attributes each may carry.
TAGS: dict[str, frozenset[str]] = {
    **{tag: frozenset() for tag in ("b", "strong", "i", "em", "u", "ins", "s", "strike", "del",
                                    "tg-spoiler", "code", "pre", "blockquote")},
    "a": frozenset({"href"}),
    "span": frozenset({"class"}),
    "tg-emoji": frozenset({"emoji-id"}),
}
ENTITIES = frozenset({"lt", "gt", "amp", "quot"})


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.length = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            raise Refused("bad_html", detail=f"<{tag}>")
        for name, value in attrs:
            if name not in TAGS[tag] and not (tag == "code" and name == "class") and not (
                    tag == "blockquote" and name == "expandable"):
                raise Refused("bad_html", detail=f"<{tag} {name}>")
            if tag == "a" and name == "href" and not (value or "").startswith(
                    ("http://", "https://", "tg://", "mailto:")):
                raise Refused("bad_html", detail=f"<a href={value!r}>")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            raise Refused("bad_html", detail=f"</{tag}>")
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            raise Refused("bad_html", detail="<")
        self.length += len(data)

    def handle_entityref(self, name: str) -> None:
        if name not in ENTITIES:
            raise Refused("bad_html", detail=f"&{name};")
        self.length += 1

    def handle_charref(self, name: str) -> None:
        self.length += 1

    def unknown_decl(self, data: str) -> None:
        raise Refused("bad_html", detail=data[:20])

    def handle_comment(self, data: str) -> None:
        raise Refused("bad_html", detail="<!--")


def check_html(text: str) -> str:
    """`text` stripped, or Refused('bad_html' with the offending piece, 'empty_text',
    'text_too_long')."""
    body = text.strip()
    if not body:
        raise Refused("empty_text")
    checker = _Checker()
    checker.feed(body)
    checker.close()
    if checker.rawdata:
        raise Refused("bad_html", detail=checker.rawdata[:20])
    if checker.open:
        raise Refused("bad_html", detail=f"<{checker.open[-1]}> not closed")
    if checker.length > MAX_TEXT:
        raise Refused("text_too_long", limit=MAX_TEXT, length=checker.length)
    return body
