"""Draw a state for a participant: its message, its question and the buttons under them."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from engine.dialog.callbacks import encode
from engine.dialog.events import Button, Keyboard, Reply
from engine.flows.machine import CompiledFlow
from engine.flows.spec import Ask, StateSpec, Text

if TYPE_CHECKING:
    from engine.dialog.turn import Turn

CHECKED = "✅ "


def present(turn: Turn, flow: CompiledFlow, state: StateSpec,
            edit_message_id: int | None = None) -> None:
    """Append the replies that show `state`; with `edit_message_id`, redraw that message.

    Every message drawn anew gets its own keyboard serial: the buttons of an earlier copy (a
    menu shown again after a typed text) are stale, and so is everything before.
    """
    if edit_message_id is None:
        turn.context.keyboard += 1
    variables = turn.variables()
    texts: list[str] = []
    if state.message:
        texts.append(render_text(turn, state.message, variables))
    if state.ask:
        number = flow.spec.question_number(state.name)
        prompt = _prompt(turn, state.ask, variables)
        texts.append(f"<b>{number}.</b> {prompt}" if number else prompt)
    inline, reply_keyboard = _keyboards(turn, flow, state, variables)
    replies = [Reply(text=text) for text in texts]
    if not replies:
        return
    last = replies[-1]
    replies[-1] = Reply(text=last.text, buttons=inline, keyboard=reply_keyboard,
                        edit_message_id=edit_message_id if inline else None)
    if edit_message_id is not None and inline:
        replies = replies[-1:]
    if inline:
        screen = _digest(replies[-1])
        if edit_message_id is not None and screen == turn.context.screen:
            replies = replies[:-1]  # drawn again unchanged: the message already shows it
        turn.context.screen = screen
    for reply in replies:
        turn.replies.append(reply)
    settle_keyboard(turn)


def _digest(reply: Reply) -> str:
    """What a message with inline buttons shows, in a few bytes."""
    shown = [reply.text, *(f"{button.label}\x00{button.data}" for row in reply.buttons
                           for button in row)]
    return hashlib.blake2b("\x01".join(shown).encode(), digest_size=8).hexdigest()


def settle_keyboard(turn: Turn) -> None:
    """Take a contact keyboard away once its question is behind the participant."""
    if not turn.remove_keyboard or not turn.replies:
        return
    last = turn.replies[-1]
    if last.keyboard or last.edit_message_id is not None:
        return
    turn.remove_keyboard = False
    if last.buttons:
        # Telegram takes one keyboard per message: the removal travels on a note of its own.
        turn.replies.insert(len(turn.replies) - 1,
                            Reply(text=turn.render("keyboard_removed"), remove_keyboard=True))
    else:
        turn.replies[-1] = Reply(text=last.text, remove_keyboard=True, chat_id=last.chat_id)


def render_text(turn: Turn, text: Text, variables: dict[str, Any],
                locale: str | None = None) -> str:
    renderer = turn.tools.renderer
    if text.template:
        return renderer.render(text.template, locale or turn.locale, variables)
    return renderer.render_inline(text.inline or "", locale or turn.locale, variables)


def _prompt(turn: Turn, ask: Ask, variables: dict[str, Any]) -> str:
    """The question. A language question for someone whose Telegram language the bot does
    not speak is asked in every language offered, one line each (theirs, so far, first), as its
    buttons name each language in itself: whatever they read, they can answer."""
    renderer = turn.tools.renderer
    if ask.input != "language" or renderer.speaks(turn.user.language_code):
        return render_text(turn, ask.prompt, variables)
    lines = [render_text(turn, ask.prompt, variables, locale)
             for locale in dict.fromkeys([turn.locale, *renderer.offered])]
    return "\n".join(dict.fromkeys(lines))


def option_labels(turn: Turn, ask: Ask) -> dict[str, str]:
    """Option id -> label as the participant sees it."""
    renderer = turn.tools.renderer
    if ask.input == "language":
        return {code: renderer.language_name(code) for code in renderer.offered}
    if ask.input == "pick":  # data, not texts: shown as they are
        return {str(key): str(label) for key, label in
                dict(turn.variable(ask.options_from or "")).items()}
    return {option.id: renderer.gettext(turn.locale, option.label) for option in ask.options}


def _keyboards(turn: Turn, flow: CompiledFlow, state: StateSpec,
               variables: dict[str, Any]) -> tuple[Keyboard, Keyboard]:
    serial = turn.context.keyboard
    gettext = turn.tools.renderer.gettext
    rows: list[tuple[Button, ...]] = []
    reply_rows: list[tuple[Button, ...]] = []
    ask = state.ask
    if ask is not None and ask.input == "contact":
        reply_rows.append((Button(gettext(turn.locale, ask.share), request_contact=True),))
        if ask.skip:
            reply_rows.append((Button(gettext(turn.locale, ask.skip)),))
    elif ask is not None:
        rows.extend(_option_rows(turn, ask, serial))
        if ask.input == "multi":
            rows.append((Button(gettext(turn.locale, ask.done), encode(serial, "d")),))
        if ask.skip:
            rows.append((Button(gettext(turn.locale, ask.skip), encode(serial, "s")),))
    for index, button in enumerate(flow.buttons.get(state.name, ())):
        if button.when and not turn.tools.condition(button.when)(variables):
            continue
        label = turn.tools.renderer.render_label(button.label, turn.locale, variables)
        if button.number is not None:
            label = f"{button.number}. {label}"
        rows.append((Button(label, encode(serial, "b", str(index))),))
    return tuple(rows), tuple(reply_rows)


def _option_rows(turn: Turn, ask: Ask, serial: int) -> list[tuple[Button, ...]]:
    if ask.input not in ("choice", "multi", "language", "pick"):
        return []
    picks = turn.context.picks
    buttons = [
        Button(f"{CHECKED}{label}" if option_id in picks else label,
               encode(serial, "o", option_id))
        for option_id, label in option_labels(turn, ask).items()
    ]
    return [tuple(buttons[i:i + ask.columns]) for i in range(0, len(buttons), ask.columns)]
