"""Telegram HTML as the Bot API accepts it: its few tags, balanced, and its four named
entities. What it refuses comes back as a 400 at run time, so lint says it first."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# https://core.telegram.org/bots/api#html-style
TAGS = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
                  "tg-spoiler", "a", "tg-emoji", "code", "pre", "blockquote"})
ENTITIES = frozenset({"lt", "gt", "amp", "quot"})
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def without_jinja(source: str) -> str:
    """The template's literal text: every `{{ }}`, `{% %}` and `{# #}` blanked out, lines kept."""
    return _JINJA.sub(lambda match: "\n" * match.group().count("\n"), source)


def html_problems(text: str) -> list[tuple[int, str]]:
    """(line, message) for each thing Telegram would refuse in `text`."""
    checker = _Checker()
    checker.feed(text)
    checker.close()
    for tag, line in reversed(checker.open):
        checker.problems.append((line, f"<{tag}> is never closed"))
    return sorted(checker.problems)


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[tuple[str, int]] = []
        self.problems: list[tuple[int, str]] = []

    @property
    def line(self) -> int:
        return self.getpos()[0]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.problems.append((self.line, f"<{tag}> is not a tag Telegram accepts "
                                             f"(it takes: {', '.join(sorted(TAGS))})"))
            return
        self.open.append((tag, self.line))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append((self.line, f"<{tag}/> is not a tag Telegram accepts "
                                         f"(it takes: {', '.join(sorted(TAGS))})"))

    def handle_endtag(self, tag: str) -> None:
        if tag not in TAGS:
            return
        if not self.open or self.open[-1][0] != tag:
            opened = f" (<{self.open[-1][0]}> is open)" if self.open else ""
            self.problems.append((self.line, f"</{tag}> closes nothing{opened}"))
            return
        self.open.pop()

    def handle_entityref(self, name: str) -> None:
        if name not in ENTITIES:
            self.problems.append((self.line, f"&{name}; is not an entity Telegram knows "
                                             "(write the character, or &lt; &gt; &amp; &quot;)"))

    def handle_data(self, data: str) -> None:
        for character, name in (("<", "&lt;"), ("&", "&amp;")):
            if character in data:
                self.problems.append((self.line, f"a bare '{character}': write {name}"))
