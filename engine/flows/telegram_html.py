"""Telegram HTML read the way the Bot API reads it (`parse_mode=HTML`), so that a text Telegram
would refuse, or would show otherwise than meant, is caught before it is sent.

One reading for every check: the lint of the flows' texts (`lint_html`) and an organizer's
broadcast (`coffee.organizers.telegram_html`). It follows the Bot API's documented rules
(https://core.telegram.org/bots/api#html-style and #formatting-options) and its parser's
behaviour:

* only Telegram's tags, each closed in order; `<` that starts no tag is refused;
* `<span>` needs `class="tg-spoiler"`, `<tg-emoji>` a numeric `emoji-id`, an attribute a value
  (`<blockquote expandable>` excepted); `<pre><code class="language-…">` names a language;
* `<a>` needs `href` with `http`, `https`, `tg` or `mailto` (Telegram drops any other link
  without a word, so it is refused here);
* entities: `&lt; &gt; &amp; &quot;` and numeric ones are decoded; another named one would be
  shown as typed (refused here); a lone `&` is text;
* nesting: code and pre hold no other formatting, a link no link, a quotation no quotation;
* the text shown is what is left, without leading and trailing white space: it must not be
  empty, and Telegram counts its length in UTF-16 code units (4096 for a message, 1024 for the
  caption of a photo).

Each problem has a `code` and `params` (a face translates them for its reader) and an English
`message` for the lint's `file:line` lines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FILLED_LATER", "MAX_CAPTION", "MAX_TEXT", "TAGS", "HtmlProblem", "ParsedHtml",
           "check_message", "parse_html", "utf16_length"]

MAX_TEXT = 4096  # UTF-16 code units of a message's text, once parsed
MAX_CAPTION = 1024  # the same, for the caption of a photo
# Stands for a value a template fills in later (lint reads templates so): a link or an emoji id
# holding it is not judged.
FILLED_LATER = "\ufffc"

TAGS = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
                  "tg-spoiler", "a", "tg-emoji", "code", "pre", "blockquote"})
ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
LINK_SCHEMES = ("http", "https", "tg", "mailto")
# Entities that hold no other entity (besides `pre` holding the `code` that names its language).
PLAIN_INSIDE = frozenset({"code", "pre"})
NOT_IN_ITSELF = {"a": "a", "blockquote": "blockquote", "tg-emoji": "tg-emoji"}

_ENTITY = re.compile(r"&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{0,31});")
_ATTRIBUTE = re.compile(r"""\s*([^\s=>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")

MESSAGES = {
    "unsupported_tag": "<{tag}> is not a tag Telegram accepts (it takes: {tags})",
    "unclosed_tag": "<{tag}> is never closed",
    "unexpected_end_tag": "</{tag}> closes nothing",
    "mismatched_end_tag": "</{tag}> closes nothing (<{expected}> is open)",
    "bare_less_than": "a bare '<': write &lt;",
    "unfinished_tag": "a tag is never finished with '>'",
    "attribute_without_value": "the attribute {attribute} of <{tag}> has no value",
    "spoiler_class": '<span> needs class="tg-spoiler" (or write <tg-spoiler>)',
    "emoji_id": "<tg-emoji> needs a numeric emoji-id",
    "link_without_href": "<a> needs href=\"https://…\": Telegram drops a link without one",
    "link_scheme": "the link {href} is not http, https, tg or mailto: Telegram drops it",
    "unknown_entity": "&{entity}; is not an entity Telegram knows (write the character, or "
                      "&lt; &gt; &amp; &quot;)",
    "nested": "<{tag}> inside <{inside}>: Telegram does not format that",
    "empty_text": "the text is empty once the tags are taken away",
    "text_too_long": "the text is {length} characters long as Telegram counts them; at most "
                     "{limit}",
}


@dataclass(frozen=True)
class HtmlProblem:
    """One thing Telegram would refuse (or show otherwise than meant), on `line` (from 1)."""

    code: str
    line: int = 1
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(tags=", ".join(sorted(TAGS)), **self.params)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ParsedHtml:
    """What Telegram makes of a text: the text it shows, and the problems on the way."""

    shown: str
    problems: tuple[HtmlProblem, ...]

    @property
    def length(self) -> int:
        return utf16_length(self.shown)


def utf16_length(text: str) -> int:
    """The length Telegram counts: UTF-16 code units (an emoji outside the BMP counts two)."""
    return len(text.encode("utf-16-le")) // 2


def check_message(source: str, limit: int = MAX_TEXT) -> list[HtmlProblem]:
    """Every problem of `source` as the text of a message (or, with MAX_CAPTION, of a caption):
    the HTML's, then an empty or too long text."""
    parsed = parse_html(source)
    problems = list(parsed.problems)
    if not parsed.shown:
        problems.append(HtmlProblem("empty_text"))
    elif parsed.length > limit:
        problems.append(HtmlProblem("text_too_long", params={"length": parsed.length,
                                                             "limit": limit}))
    return problems


def parse_html(source: str) -> ParsedHtml:
    """Read `source` as Telegram does; the text it shows is trimmed of white space."""
    reader = _Reader(source)
    reader.read()
    return ParsedHtml("".join(reader.shown).strip(), tuple(reader.problems))


@dataclass
class _Open:
    tag: str
    line: int
    argument: str
    shown_at: int  # how many characters were shown before it opened


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.at = 0
        self.shown: list[str] = []
        self.count = 0  # characters shown so far
        self.open: list[_Open] = []
        self.problems: list[HtmlProblem] = []
        self.unsupported: set[str] = set()  # start tags refused: their end tags say nothing

    @property
    def line(self) -> int:
        return self.source.count("\n", 0, self.at) + 1

    def problem(self, code: str, line: int | None = None, **params: Any) -> None:
        self.problems.append(HtmlProblem(code, line or self.line, params))

    def show(self, text: str) -> None:
        self.shown.append(text)
        self.count += len(text)

    def read(self) -> None:
        source = self.source
        while self.at < len(source):
            character = source[self.at]
            if character == "&":
                self._entity()
            elif character == "<":
                self._tag()
            else:
                end = min((i for i in (source.find("&", self.at), source.find("<", self.at))
                           if i >= 0), default=len(source))
                self.show(source[self.at:end])
                self.at = end
        for still_open in reversed(self.open):
            self.problem("unclosed_tag", still_open.line, tag=still_open.tag)

    def _entity(self) -> None:
        match = _ENTITY.match(self.source, self.at)
        if match is None:
            self.show("&")  # a lone ampersand is text
            self.at += 1
            return
        name = match.group(1)
        self.at = match.end()
        if name.startswith("#"):
            number = int(name[2:], 16) if name[1:2] in "xX" else int(name[1:])
            if 0 < number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF:
                self.show(chr(number))
                return
            self.show(match.group())
            return
        if name in ENTITIES:
            self.show(ENTITIES[name])
            return
        self.problem("unknown_entity", entity=name)
        self.show(match.group())

    def _tag(self) -> None:
        start = self.at
        close = self.source.find(">", start)
        body = self.source[start + 1:close] if close >= 0 else self.source[start + 1:]
        name_match = re.match(r"/?[^\s>/]*", body)
        name = name_match.group() if name_match else ""
        if close < 0:
            if name.strip("/"):
                self.problem("unfinished_tag")
            else:
                self.problem("bare_less_than")
            self.show(self.source[start:])
            self.at = len(self.source)
            return
        self.at = close + 1
        if name.startswith("/"):
            self._end_tag(name[1:].lower())
        elif not name:
            self.problem("bare_less_than")
            self.show(self.source[start:close + 1])
        else:
            self._start_tag(name.lower(), body[len(name):], self.source.count("\n", 0, start) + 1)

    def _start_tag(self, tag: str, rest: str, line: int) -> None:
        if rest.rstrip().endswith("/"):  # `<br/>`: Telegram reads the name `br/`
            tag = f"{tag}/"
        if tag not in TAGS:
            self.problem("unsupported_tag", line, tag=tag)
            self.unsupported.add(tag)
            return
        attributes: dict[str, str | None] = {}
        for match in _ATTRIBUTE.finditer(rest):
            if not match.group(1):
                continue
            value = next((group for group in match.groups()[1:] if group is not None), None)
            attributes[match.group(1).lower()] = value
            if value is None and not (tag == "blockquote" and match.group(1) == "expandable"):
                self.problem("attribute_without_value", line, tag=tag,
                             attribute=match.group(1))
        argument = self._argument(tag, attributes, line)
        inside = self.open[-1] if self.open else None
        if inside is not None and self._nested_badly(tag, attributes):
            self.problem("nested", line, tag=tag, inside=inside.tag)
        self.open.append(_Open(tag, line, argument, self.count))

    def _argument(self, tag: str, attributes: Mapping[str, str | None], line: int) -> str:
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            self.problem("spoiler_class", line)
        if tag == "tg-emoji":
            emoji_id = attributes.get("emoji-id") or ""
            numeric = emoji_id.isascii() and emoji_id.isdigit() and int(emoji_id) > 0
            if FILLED_LATER not in emoji_id and not numeric:
                self.problem("emoji_id", line)
        if tag == "a":
            href = (attributes.get("href") or "").strip()
            if FILLED_LATER in href:
                return href
            if not href:
                self.problem("link_without_href", line)
            elif href.partition(":")[0].lower() not in LINK_SCHEMES or ":" not in href:
                self.problem("link_scheme", line, href=href)
            return href
        return ""

    def _nested_badly(self, tag: str, attributes: Mapping[str, str | None]) -> bool:
        """Inside code or pre nothing is formatted (but `pre` may hold the `code` that names
        its language); a link holds no link, a quotation no quotation."""
        inside = self.open[-1]
        if inside.tag == "pre" and tag == "code" and inside.shown_at == self.count:
            return False
        if any(entry.tag in PLAIN_INSIDE for entry in self.open):
            return True
        return any(entry.tag == NOT_IN_ITSELF.get(tag) for entry in self.open)

    def _end_tag(self, tag: str) -> None:
        if tag in self.unsupported:
            return
        if not self.open:
            self.problem("unexpected_end_tag", tag=tag)
            return
        expected = self.open[-1].tag
        if tag and tag != expected:
            self.problem("mismatched_end_tag", tag=tag, expected=expected)
            if all(entry.tag != tag for entry in self.open):
                return  # it closes nothing: what is open stays open
            while self.open[-1].tag != tag:
                self.open.pop()
        self.open.pop()
