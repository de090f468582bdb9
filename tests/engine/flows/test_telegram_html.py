"""Telegram HTML read as the Bot API reads it: a table of texts, each with Telegram's answer
(the text it shows, or why it refuses it or would show it otherwise than meant), from the Bot
API's documented HTML rules (https://core.telegram.org/bots/api#html-style, #formatting-options)
and its parser's behaviour."""

from __future__ import annotations

import pytest

from engine.flows.lint_html import html_problems, without_jinja
from engine.flows.telegram_html import (
    MAX_CAPTION,
    MAX_TEXT,
    check_message,
    parse_html,
    utf16_length,
)

EMOJI = "\U0001F642"  # 🙂: outside the BMP, two UTF-16 code units

# (text, limit, Telegram's answer): ("shows", what the chat shows) or ("refuses", why)
TABLE = [
    ("<b>Meetup</b> on <i>Friday</i>", MAX_TEXT, ("shows", "Meetup on Friday")),
    ("Hello <span>spoiler?</span>", MAX_TEXT, ("refuses", "spoiler_class")),
    ('Hello <span class="tg-spoiler">spoiler</span>', MAX_TEXT, ("shows", "Hello spoiler")),
    ("<tg-spoiler>hidden</tg-spoiler>", MAX_TEXT, ("shows", "hidden")),
    ("<b> </b>", MAX_TEXT, ("refuses", "empty_text")),
    ("<i></i>", MAX_TEXT, ("refuses", "empty_text")),
    ("   ", MAX_TEXT, ("refuses", "empty_text")),
    ("&#32;<b>\n</b>", MAX_TEXT, ("refuses", "empty_text")),
    (f"<tg-emoji>{EMOJI}</tg-emoji>", MAX_TEXT, ("refuses", "emoji_id")),
    (f'<tg-emoji emoji-id="5368324170671202286">{EMOJI}</tg-emoji>', MAX_TEXT,
     ("shows", EMOJI)),
    ("<a>no href</a>", MAX_TEXT, ("refuses", "link_without_href")),
    ('<a href="javascript:alert(1)">click</a>', MAX_TEXT, ("refuses", "link_scheme")),
    ('<a href="ftp://example.org/file">file</a>', MAX_TEXT, ("refuses", "link_scheme")),
    ('<a href="example.org">site</a>', MAX_TEXT, ("refuses", "link_scheme")),
    ('<a href="https://example.org/?a=1&amp;b=2">site</a>', MAX_TEXT, ("shows", "site")),
    ("<a href=https://example.org>site</a>", MAX_TEXT, ("shows", "site")),
    ('<a href="tg://user?id=123456789">Olena</a>', MAX_TEXT, ("shows", "Olena")),
    ('<a href="mailto:team@example.org">write</a>', MAX_TEXT, ("shows", "write")),
    (EMOJI * 1000, MAX_CAPTION, ("refuses", "text_too_long")),  # 2000 code units
    (EMOJI * 512, MAX_CAPTION, ("shows", EMOJI * 512)),  # 1024 code units
    ("é" * 1024, MAX_CAPTION, ("shows", "é" * 1024)),
    ("<b>" + "x" * 4096 + "</b>", MAX_TEXT, ("shows", "x" * 4096)),  # tags do not count
    ("x" * 4097, MAX_TEXT, ("refuses", "text_too_long")),
    (EMOJI * 2049, MAX_TEXT, ("refuses", "text_too_long")),
    ("&lt;" * 4096, MAX_TEXT, ("shows", "<" * 4096)),  # entities count once decoded
    ("a &lt; b &amp;&amp; c &gt; d, &quot;quoted&quot;", MAX_TEXT,
     ("shows", 'a < b && c > d, "quoted"')),
    ("&#128512; &#x1F600;", MAX_TEXT, ("shows", "\U0001F600 \U0001F600")),
    ("Tom & Jerry", MAX_TEXT, ("shows", "Tom & Jerry")),
    ("5 > 3", MAX_TEXT, ("shows", "5 > 3")),
    ("Coffee&nbsp;time", MAX_TEXT, ("refuses", "unknown_entity")),
    ("a < b", MAX_TEXT, ("refuses", "bare_less_than")),
    ("a <", MAX_TEXT, ("refuses", "bare_less_than")),
    ("<b>bold", MAX_TEXT, ("refuses", "unclosed_tag")),
    ("<b bold", MAX_TEXT, ("refuses", "unfinished_tag")),
    ("bold</b>", MAX_TEXT, ("refuses", "unexpected_end_tag")),
    ("<b><i>x</b></i>", MAX_TEXT, ("refuses", "mismatched_end_tag")),
    ("line<br>break", MAX_TEXT, ("refuses", "unsupported_tag")),
    ("<div>block</div>", MAX_TEXT, ("refuses", "unsupported_tag")),
    ("<b/>", MAX_TEXT, ("refuses", "unsupported_tag")),
    ("<b bold>x</b>", MAX_TEXT, ("refuses", "attribute_without_value")),
    ('<b class="loud">x</b>', MAX_TEXT, ("shows", "x")),  # other attributes are ignored
    ("<STRONG>x</STRONG>", MAX_TEXT, ("shows", "x")),
    ('<pre><code class="language-python">print(1)</code></pre>', MAX_TEXT,
     ("shows", "print(1)")),
    ("<pre>fixed</pre> and <code>code</code>", MAX_TEXT, ("shows", "fixed and code")),
    ("<code><b>x</b></code>", MAX_TEXT, ("refuses", "nested")),
    ('<a href="https://a.example"><a href="https://b.example">x</a></a>', MAX_TEXT,
     ("refuses", "nested")),
    ("<blockquote><blockquote>x</blockquote></blockquote>", MAX_TEXT, ("refuses", "nested")),
    ("<blockquote expandable>long\nquote</blockquote>", MAX_TEXT, ("shows", "long\nquote")),
    ("<b>bold <i>italic <s>struck <u>under</u></s></i></b>", MAX_TEXT,
     ("shows", "bold italic struck under")),
    ('<a href="https://example.org"><b>bold link</b></a>', MAX_TEXT, ("shows", "bold link")),
]


@pytest.mark.parametrize(("text", "limit", "answer"), TABLE,
                         ids=[f"{index}:{case[0][:30]}" for index, case in enumerate(TABLE)])
def test_each_text_gets_telegrams_answer(text: str, limit: int,
                                         answer: tuple[str, str]) -> None:
    problems = check_message(text, limit)
    kind, expected = answer
    if kind == "shows":
        assert problems == []
        assert parse_html(text).shown == expected
    else:
        assert [problem.code for problem in problems][:1] == [expected]
        assert problems[0].message  # an English line for the lint


def test_length_is_counted_in_utf16_code_units() -> None:
    assert utf16_length(EMOJI * 1000) == 2000
    assert utf16_length("é" * 10) == 10
    [problem] = check_message(EMOJI * 1000, MAX_CAPTION)
    assert dict(problem.params) == {"length": 2000, "limit": MAX_CAPTION}


def test_lint_reads_templates_with_their_values_filled_in_later() -> None:
    template = '<a href="{{ link }}">{{ link }}</a>\n<tg-emoji emoji-id="{{ e }}">x</tg-emoji>'
    assert html_problems(without_jinja(template)) == []
    assert html_problems("<a>x</a>\n<i>y") == [
        (1, '<a> needs href="https://…": Telegram drops a link without one'),
        (2, "<i> is never closed")]
