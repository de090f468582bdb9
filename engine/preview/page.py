"""A preview as one HTML page that looks like a Telegram chat: per flow its graph, then per
state one chat per language with the message bubbles, their Telegram HTML applied, and the
buttons under them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from jinja2 import Environment, select_autoescape
from markupsafe import Markup, escape

from engine.dialog.events import Reply
from engine.flows.library import FlowLibrary
from engine.preview.screens import Screen

_HOLE = re.compile(r"⟨[^⟩]*⟩")


@dataclass(frozen=True)
class _Message:
    html: Markup
    buttons: tuple[tuple[str, ...], ...]
    keyboard: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class _State:
    name: str
    screens: tuple[tuple[Screen, tuple[_Message, ...]], ...]


@dataclass(frozen=True)
class _Flow:
    name: str
    command: str | None
    svg: Markup | None
    states: tuple[_State, ...]


def chat_page(library: FlowLibrary, screens: Iterable[Screen], locales: Sequence[str],
              svgs: Mapping[str, str | None], about: str) -> str:
    """The page: `screens` grouped by flow and state, a chat per language in `locales`
    order, each flow's SVG graph (None: Graphviz missing), `about` the sample data."""
    by_state: dict[tuple[str, str], dict[str, Screen]] = {}
    for screen in screens:
        by_state.setdefault((screen.flow, screen.state), {})[screen.locale] = screen
    flows = []
    for name in dict.fromkeys(flow for flow, _state in by_state):
        spec = library.flows[name]
        states = tuple(
            _State(state, tuple((shown[locale], tuple(_message(reply) for reply in
                                                      shown[locale].replies))
                                for locale in locales if locale in shown))
            for (flow, state), shown in by_state.items() if flow == name)
        svg = svgs.get(name)
        flows.append(_Flow(name, spec.command, Markup(svg) if svg else None, states))
    return _PAGE.render(flows=flows, locales=locales, about=about)


def _message(reply: Reply) -> _Message:
    """A reply as a bubble: its Telegram HTML as it is (the bot's own, participants' text in
    it escaped), names a template lacked marked."""
    html = _HOLE.sub(lambda hole: f'<mark class="hole">{escape(hole.group())}</mark>',
                     reply.text)
    return _Message(Markup(html), tuple(tuple(button.label for button in row)
                                        for row in reply.buttons),
                    tuple(tuple(button.label for button in row) for row in reply.keyboard))


_PAGE = Environment(autoescape=select_autoescape(default=True, default_for_string=True),
                    trim_blocks=True, lstrip_blocks=True).from_string("""\
<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>Preview of the flows</title>
<style>
body { margin: 0; padding: 16px 24px; background: #e7ebf0; color: #222;
       font: 14px/1.4 -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
header p, .note { color: #555; }
nav a { margin-right: 12px; }
section.flow { margin: 32px 0; }
h2 small { color: #517da2; font-weight: normal; }
.graph { background: #fff; border-radius: 8px; padding: 8px; overflow-x: auto; }
.graph svg { max-width: 100%; height: auto; }
article.state h3 { margin: 24px 0 6px; font-size: 15px; }
.languages { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.chat { width: 380px; padding: 10px; border-radius: 10px; background: #b8cfe0;
        background-image: linear-gradient(160deg, #c6dbe9, #a9c6a5); }
.locale { font-size: 11px; color: #37536b; text-transform: uppercase; margin-bottom: 6px; }
.message { margin-bottom: 8px; }
.bubble { background: #fff; border-radius: 12px 12px 12px 4px; padding: 7px 10px;
          white-space: pre-wrap; overflow-wrap: anywhere;
          box-shadow: 0 1px 1px rgba(0, 0, 0, .18); }
.bubble blockquote { margin: 4px 0; padding-left: 8px; border-left: 3px solid #517da2; }
.bubble pre, .bubble code { font-family: ui-monospace, Menlo, monospace; font-size: 13px; }
.bubble a { color: #2a7ab8; text-decoration: none; }
.bubble tg-spoiler, .bubble .tg-spoiler { background: #ccc; color: transparent; }
.bubble.error { background: #fde2e1; color: #8c1d18; }
mark.hole { background: #ffd54f; }
.inline .row, .keyboard .row { display: flex; gap: 4px; margin-top: 4px; }
.inline .button { flex: 1; text-align: center; padding: 7px 6px; border-radius: 8px;
                  color: #fff; background: rgba(60, 95, 125, .55); font-weight: 500; }
.keyboard { margin-top: 8px; padding: 6px; background: #f2f4f6; border-radius: 8px; }
.keyboard .button { flex: 1; text-align: center; padding: 8px 6px; border-radius: 6px;
                    background: #fff; box-shadow: 0 1px 1px rgba(0, 0, 0, .15); }
</style>
</head>
<body>
{% macro keyboard(kind, rows) %}
{% if rows %}
<div class="{{ kind }}">
{% for row in rows %}
<div class="row">{% for label in row %}<span class="button">{{ label }}</span>{% endfor %}</div>
{% endfor %}
</div>
{% endif %}
{% endmacro %}
<header>
<h1>Preview of the flows</h1>
<p>{{ about }}</p>
<nav>{% for flow in flows %}<a href="#flow-{{ flow.name }}">{{ flow.name }}</a>{% endfor %}</nav>
</header>
{% for flow in flows %}
<section class="flow" id="flow-{{ flow.name }}">
<h2>{{ flow.name }}{% if flow.command %} <small>/{{ flow.command }}</small>{% endif %}</h2>
{% if flow.svg %}
<div class="graph">{{ flow.svg }}</div>
{% else %}
<p class="note">The graph needs Graphviz (its dot program): apt-get install graphviz</p>
{% endif %}
{% for state in flow.states %}
<article class="state" id="{{ flow.name }}-{{ state.name }}">
<h3>{{ state.name }}</h3>
<div class="languages">
{% for screen, messages in state.screens %}
<div class="chat" lang="{{ screen.locale }}">
<div class="locale">{{ screen.locale }}</div>
{% if screen.error %}
<div class="bubble error">cannot be drawn: {{ screen.error }}</div>
{% elif not messages %}
<p class="note">shows nothing: goes on at once</p>
{% endif %}
{% for message in messages %}
<div class="message">
<div class="bubble">{{ message.html }}</div>
{{ keyboard("inline", message.buttons) }}
{{ keyboard("keyboard", message.keyboard) }}
</div>
{% endfor %}
</div>
{% endfor %}
</div>
</article>
{% endfor %}
</section>
{% endfor %}
</body>
</html>
""")
