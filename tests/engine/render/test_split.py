"""Long texts split for Telegram: parts of at most 4,096 characters as Telegram counts them,
cut at paragraph breaks first, each valid HTML on its own, nothing lost."""

from __future__ import annotations

from html.parser import HTMLParser

from engine.dialog.delivery import split_reply
from engine.dialog.events import Button, Reply
from engine.render.split import LIMIT, split_html, visible_length


class Shown(HTMLParser):
    """What Telegram shows of a part, refusing tags that are not closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open}"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def shown(part: str) -> str:
    parser = Shown()
    parser.feed(part)
    parser.close()
    assert parser.open == [], f"left open: {parser.open}"
    return "".join(parser.text)


def test_a_long_text_is_cut_at_paragraphs_into_valid_parts_losing_nothing() -> None:
    paragraphs = [f"<b>Partner {n}</b>\n<i>About:</i> {'coffee &amp; talk ' * 180}"
                  for n in range(4)]
    text = "\n\n".join(paragraphs)
    parts = split_html(text)
    assert len(parts) > 1
    assert all(visible_length(part) <= LIMIT for part in parts)
    assert all(part.endswith("\n\n") or part == parts[-1] for part in parts)  # at paragraphs
    assert "".join(shown(part) for part in parts) == shown(text)


def test_a_tag_open_across_a_cut_is_closed_and_reopened() -> None:
    text = '<a href="tg://user?id=1">' + "word " * 2000 + "</a>\n\n<b>end</b>"
    parts = split_html(text)
    assert len(parts) == 3
    assert parts[0].startswith('<a href="tg://user?id=1">') and parts[0].endswith("</a>")
    assert parts[1].startswith('<a href="tg://user?id=1">')
    assert "".join(shown(part) for part in parts) == shown(text)


def test_length_counts_entities_once_and_emoji_as_telegram_does() -> None:
    assert visible_length("<b>a &amp; b</b>") == 5
    assert visible_length("☕😀") == 3  # UTF-16 units: the emoji outside the BMP counts two
    assert split_html("&amp;" * LIMIT) == ["&amp;" * LIMIT]


def test_a_split_reply_keeps_its_keyboard_on_the_last_part() -> None:
    keyboard = ((Button("Yes", "1.b.0"),),)
    reply = Reply(text="\n\n".join(["x" * 3000] * 3), buttons=keyboard, chat_id=7)
    parts = split_reply(reply)
    assert [part.buttons for part in parts] == [(), (), keyboard]
    assert {part.chat_id for part in parts} == {7}
    assert split_reply(Reply(text="short", buttons=keyboard)) == [
        Reply(text="short", buttons=keyboard)]
