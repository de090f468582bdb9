"""News broadcasts in /admin: write (checked as Telegram reads HTML), a photo or not, the
audience, the preview, Send; the question Send is pressed on becomes the progress (see
`progress`); a finished test goes to others without retyping."""

from __future__ import annotations

from dataclasses import replace

from coffee import organizers as ops
from coffee.admin.desk import FAILED, Desk
from coffee.organizers.vocabulary import AUDIENCE
from engine.dialog.api import Conversation, Registry

BROADCAST = "broadcast"
PREVIEW_OF = "preview_of"  # a reply's meta: the preview of that draft (see `coffee.app`)


def broadcasts_registry(desk: Desk) -> Registry:
    registry = Registry()
    registry.needs.template("admin_broadcast_preview_note", total=int)

    def current(talk: Conversation) -> int:
        return int(talk.flow_values.get(BROADCAST) or 0)

    @registry.variable("audiences")
    def audiences(talk: Conversation) -> dict[str, str]:
        words = desk.words(talk)
        choices = {audience: words.status(AUDIENCE, audience) for audience in ("all", "round")}
        for code in desk.renderer.offered:
            choices[f"locale:{code}"] = words.status(AUDIENCE, f"locale:{code}")
        choices["organizers"] = words.status(AUDIENCE, "organizers")
        return choices

    @registry.action("check_broadcast_text")
    def check_broadcast_text(talk: Conversation) -> None:
        talk.flow_values[FAILED] = False
        text = str(talk.flow_values.get("text") or "")
        if text:  # else cancelled
            desk.attempt(talk, lambda _who: ops.check_html(text))

    @registry.action("check_broadcast_photo")
    def check_broadcast_photo(talk: Conversation) -> None:
        """With a photo, the text becomes its caption, which Telegram keeps shorter."""
        talk.flow_values[FAILED] = False
        if talk.flow_values.get("photo"):  # else skipped
            desk.attempt(talk, lambda _who: ops.check_caption(str(talk.flow_values.get("text"))))

    @registry.action("draft_broadcast")
    def draft_broadcast(talk: Conversation) -> None:
        """The draft, then its preview exactly as recipients will see it; the question to
        send it comes after the preview (a preview Telegram refuses stops there)."""
        values = talk.flow_values
        if not values.get("audience"):
            return  # cancelled
        draft = desk.attempt(talk, lambda who: ops.draft_broadcast(
            who, str(values.get("text") or ""), str(values.get("audience") or ""),
            list(desk.renderer.offered), photo=str(values.get("photo") or "")))
        if draft is not None:
            values[BROADCAST] = draft.id
            talk.say("admin_broadcast_preview_note", total=draft.total)
            talk.send_reply(replace(ops.broadcast_preview(draft), meta={PREVIEW_OF: draft.id}))

    @registry.action("reuse_broadcast")
    def reuse_broadcast(talk: Conversation) -> None:
        """The text and photo of the broadcast shown (a finished test) for a new one."""
        shown = desk.attempt(talk, lambda who: ops.broadcast_progress(who, current(talk)))
        if shown is not None:
            talk.flow_values.update(text=shown.text, photo=shown.photo or None)

    @registry.action("start_broadcast")
    def start_broadcast(talk: Conversation) -> None:
        """The message Send was pressed on shows the progress from now on."""
        desk.attempt(talk, lambda who: ops.start_broadcast(who, current(talk), talk.message_id))

    @registry.action("cancel_broadcast")
    def cancel_broadcast(talk: Conversation) -> None:
        desk.attempt(talk, lambda who: ops.cancel_broadcast(who, current(talk)))

    @registry.action("refresh")
    def refresh(talk: Conversation) -> None:
        """Nothing to do: the screen is drawn again in place with fresh numbers (when they
        changed)."""

    @registry.variable("progress")
    def progress(talk: Conversation) -> ops.Progress:
        return ops.broadcast_progress(desk.actor(talk), current(talk))

    @registry.variable("broadcasts")
    def broadcasts(talk: Conversation) -> list[ops.Progress]:
        return ops.broadcast_history(desk.actor(talk))

    return registry
