"""The actions and variables of flows/admin.yaml: thin adapters from the dialogue's narrow
interface (`engine.dialog.api`) to the organizer operations (`coffee.organizers`).

An operation's refusal becomes the organizer's one translated line (`organizer_error`) and
`context.failed`, which the flow uses to ask again; nothing else is decided here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coffee import organizers as ops
from coffee.cycle.schedule import Schedule
from engine.dialog.api import Attachment, Conversation, Registry, Reply
from engine.dialog.events import CommandMenu
from engine.dialog.profile import ProfileFields
from engine.render.templates import Renderer

if TYPE_CHECKING:
    from engine.dialog.engine import ConversationEngine

FAILED = "failed"


@dataclass
class Desk:
    """What the organizers' actions work with besides the conversation; `engine` is set once
    it exists (the jobs an organizer runs need it)."""

    organizer_ids: frozenset[int]
    defaults: ops.Defaults
    renderer: Renderer
    schedule: Callable[[], Schedule]
    fields: ProfileFields  # the profile answers the weekly jobs read
    engine: ConversationEngine | None = field(default=None)
    panel_link: Callable[[int], str] | None = None  # a web panel login link for an organizer
    # the labels (msgids) of the reasons the statistics count, by kind (`labels.reason_labels`)
    reasons: dict[str, dict[str, str]] = field(default_factory=dict)
    # the commands an organizer's chat gets in its menu (`engine.dialog.menus.command_menu`)
    organizer_menu: CommandMenu = field(default_factory=lambda: CommandMenu(()))


def admin_registry(desk: Desk) -> Registry:
    registry = Registry()
    registry.needs.template("organizer_error", error=str, query=str, person=str, user_id=int,
                            length=int, limit=int, key=str, example=str, text=str, who=str,
                            list_name=str, job=str, detail=str, audience=str, note_id=int,
                            broadcast_id=int)
    registry.needs.flow("admin", "the organizers' actions keep their results in its context",
                        passes=(FAILED, "matches", "broadcast"))
    registry.needs.template("admin_broadcast_report", turn=False, progress=ops.Progress)
    registry.needs.template("organizers_reply", turn=False, note=str, answer=str)
    registry.needs.template("blocked")
    registry.needs.template("not_allowed")
    registry.needs.template("admin_nothing_found", query=str)
    registry.needs.template("admin_broadcast_preview_note", total=int)
    registry.needs.template("admin_pairs_preview", week=dt.date, lines=list)
    registry.needs.template("admin_job_done", line=str)
    registry.needs.template("admin_reply_sent")
    registry.needs.template("admin_words", turn=False, word=str)
    registry.needs.template("admin_panel_link", link=str)

    def actor(talk: Conversation) -> ops.Actor:
        return ops.act_as(talk.user_id, desk.organizer_ids, talk.now)

    def attempt(talk: Conversation, operation: Callable[[ops.Actor], Any]) -> Any:
        """Run an operation as this organizer; a refusal is said and remembered."""
        talk.flow_values[FAILED] = False
        try:
            return operation(actor(talk))
        except ops.Refused as refused:
            talk.flow_values[FAILED] = True
            talk.say("organizer_error", error=refused.code, **refused.params)
            return None

    def person(talk: Conversation) -> int:
        return int(talk.flow_values.get("person") or 0)

    def word(talk: Conversation, key: str) -> str:
        return desk.renderer.render("admin_words", talk.locale, {"word": key}).strip()

    def upcoming(talk: Conversation) -> dt.date:
        return ops.next_round(desk.schedule(), talk.now)

    @registry.variable("community")
    def community(talk: Conversation) -> str:
        """The community's name as the organizers set it (COMMUNITY_NAME by default)."""
        return ops.effective("community_name", desk.defaults)

    # At a glance ------------------------------------------------------------------------

    @registry.variable("glance")
    def glance(talk: Conversation) -> ops.Glance:
        return ops.at_a_glance(actor(talk))

    @registry.variable("reason_labels")
    def reason_labels(talk: Conversation) -> dict[str, dict[str, str]]:
        """Each reason id the statistics count, as the participant's button said it."""
        gettext = desk.renderer.gettext
        return {kind: {reason: gettext(talk.locale, label) for reason, label in labels.items()}
                for kind, labels in desk.reasons.items()}

    @registry.action("send_chart")
    def send_chart(talk: Conversation) -> None:
        words = {key: word(talk, key) for key in ("participants", "meetings", "met", "title")}
        png = attempt(talk, lambda who: ops.chart_png(who, words))
        if png:
            talk.send_file(Attachment("chart.png", png, photo=True))

    @registry.action("open_panel")
    def open_panel(talk: Conversation) -> None:
        """A single-use login link to the web panel, for this organizer only."""
        if desk.panel_link is not None and attempt(talk, lambda who: who) is not None:
            talk.say("admin_panel_link", link=desk.panel_link(talk.user_id))

    # Participants -----------------------------------------------------------------------

    @registry.action("find_participants")
    def find_participants(talk: Conversation) -> None:
        query = str(talk.flow_values.get("query") or "")
        if not query:
            return  # Back
        found = attempt(talk, lambda who: ops.find(who, query))
        if found is not None and not found:
            talk.flow_values[FAILED] = True
            talk.say("admin_nothing_found", query=query)
        talk.flow_values["matches"] = {str(m.user_id): m.label for m in found or []}

    @registry.variable("matches")
    def matches(talk: Conversation) -> dict[str, str]:
        return dict(talk.flow_values.get("matches") or {})

    @registry.variable("card")
    def card(talk: Conversation) -> ops.Card:
        return ops.card(actor(talk), person(talk))

    @registry.action("save_comment")
    def save_comment(talk: Conversation) -> None:
        text = str(talk.flow_values.pop("comment", None) or "")
        if text:
            attempt(talk, lambda who: ops.set_comment(who, person(talk), text))

    for name, operation in (("clear_comment", ops.clear_comment), ("ban_person", ops.ban),
                            ("unban_person", ops.unban)):
        registry.action(name)(_on_person(attempt, person, operation))

    @registry.action("appoint_person")
    def appoint_person(talk: Conversation) -> None:
        """An organizer at once: their chat gets the organizer commands in its menu."""
        if attempt(talk, lambda who: ops.appoint(who, person(talk))) is not None:
            talk.send_reply(Reply(chat_id=person(talk), menu=desk.organizer_menu))

    @registry.action("revoke_person")
    def revoke_person(talk: Conversation) -> None:
        """No longer an organizer: their chat's own menu goes, everyone's shows again."""
        attempt(talk, lambda who: ops.revoke(who, person(talk)))
        if not talk.flow_values[FAILED]:
            talk.send_reply(Reply(chat_id=person(talk),
                                  menu=desk.organizer_menu.without_commands()))

    @registry.variable("organizers")
    def organizers(talk: Conversation) -> list[ops.OrganizerRow]:
        return ops.organizers(actor(talk))

    # Access -----------------------------------------------------------------------------

    @registry.variable("access")
    def access(talk: Conversation) -> dict[str, Any]:
        return {"mode": ops.effective("registration_mode", desk.defaults),
                "entries": ops.entries(actor(talk))}

    for mode in ops.REGISTRATION_MODES:
        registry.action(f"set_mode_{mode.replace('-', '_')}")(_setter(
            attempt, desk, "registration_mode", _constant(mode)))

    for list_name in (ops.ALLOW, ops.BLOCK):
        registry.action(f"{list_name}_person")(_listing(attempt, list_name))

    @registry.action("unlist_person")
    def unlist_person(talk: Conversation) -> None:
        text = str(talk.flow_values.pop("who", None) or "")
        talk.flow_values[FAILED] = False
        if text:  # else cancelled
            attempt(talk, lambda who: ops.remove_entry(who, text))

    # Settings ---------------------------------------------------------------------------

    @registry.variable("settings")
    def settings(talk: Conversation) -> list[ops.SettingValue]:
        return ops.setting_values(actor(talk), desk.defaults)

    for key in ops.DEFINITIONS:
        registry.action(f"set_{key}")(_setter(
            attempt, desk, key, lambda talk: str(talk.flow_values.pop("value", None) or "")))

    # Broadcasts -------------------------------------------------------------------------

    @registry.variable("audiences")
    def audiences(talk: Conversation) -> dict[str, str]:
        choices = {"all": word(talk, "all"), "round": word(talk, "round")}
        for code in desk.renderer.offered:
            choices[f"locale:{code}"] = desk.renderer.language_name(code)
        choices["organizers"] = word(talk, "organizers")
        return choices

    @registry.action("check_broadcast_text")
    def check_broadcast_text(talk: Conversation) -> None:
        text = str(talk.flow_values.get("text") or "")
        if text:  # else cancelled
            attempt(talk, lambda _who: ops.check_html(text))

    @registry.action("check_broadcast_photo")
    def check_broadcast_photo(talk: Conversation) -> None:
        """With a photo, the text becomes its caption, which Telegram keeps shorter."""
        talk.flow_values[FAILED] = False
        if talk.flow_values.get("photo"):  # else skipped
            attempt(talk, lambda _who: ops.check_caption(str(talk.flow_values.get("text"))))

    @registry.action("draft_broadcast")
    def draft_broadcast(talk: Conversation) -> None:
        values = talk.flow_values
        if not values.get("audience"):
            return  # cancelled
        draft = attempt(talk, lambda who: ops.draft_broadcast(
            who, str(values.get("text") or ""), str(values.get("audience") or ""),
            list(desk.renderer.offered), photo=str(values.get("photo") or "")))
        if draft is not None:
            values["broadcast"] = draft.id
            talk.say("admin_broadcast_preview_note", total=draft.total)
            talk.send_reply(ops.broadcast_preview(draft))

    @registry.action("start_broadcast")
    def start_broadcast(talk: Conversation) -> None:
        """The message Send was pressed on shows the progress from now on."""
        attempt(talk, lambda who: ops.start_broadcast(who, int(
            talk.flow_values.get("broadcast") or 0), talk.message_id))

    @registry.action("cancel_broadcast")
    def cancel_broadcast(talk: Conversation) -> None:
        attempt(talk, lambda who: ops.cancel_broadcast(who, int(
            talk.flow_values.get("broadcast") or 0)))

    @registry.action("refresh")
    def refresh(talk: Conversation) -> None:
        """Nothing to do: the screen is drawn again in place with fresh numbers."""

    @registry.variable("progress")
    def progress(talk: Conversation) -> ops.Progress:
        return ops.broadcast_progress(actor(talk), int(talk.flow_values.get("broadcast") or 0))

    @registry.variable("broadcasts")
    def broadcasts(talk: Conversation) -> list[ops.Progress]:
        return ops.broadcast_history(actor(talk))

    # Rounds -----------------------------------------------------------------------------

    @registry.variable("next_round")
    def next_round(talk: Conversation) -> dict[str, dt.date]:
        return {"week": upcoming(talk)}

    @registry.variable("without_partner")
    def without_partner(talk: Conversation) -> list[str]:
        return ops.without_partner(actor(talk), upcoming(talk))

    @registry.action("preview_pairs")
    def preview_pairs(talk: Conversation) -> None:
        week = upcoming(talk)
        lines = attempt(talk, lambda who: ops.preview_pairs(who, week, desk.fields))
        if lines is not None:
            talk.say("admin_pairs_preview", week=week, lines=lines)

    for job in ("invite", "match", "feedback"):
        registry.action(f"run_{job}_now")(_job_runner(attempt, desk, job))

    # Notes ------------------------------------------------------------------------------

    @registry.variable("inbox")
    def inbox(talk: Conversation) -> list[ops.NoteView]:
        return ops.inbox(actor(talk))

    @registry.variable("notes_to_answer")
    def notes_to_answer(talk: Conversation) -> dict[str, str]:
        return {str(note.note_id): f"{note.who}: {note.text[:40]}"
                for note in ops.inbox(actor(talk))}

    @registry.action("reply_to_note")
    def reply_to_note(talk: Conversation) -> None:
        text = str(talk.flow_values.pop("reply", None) or "")
        note = int(talk.flow_values.get("note") or 0)
        talk.flow_values[FAILED] = False
        if text and attempt(talk, lambda who: ops.reply_to_note(
                who, note, text, desk.renderer)) is not None:
            talk.say("admin_reply_sent")

    # Exports ----------------------------------------------------------------------------

    @registry.action("export_participants")
    def export_participants(talk: Conversation) -> None:
        data = attempt(talk, ops.participants_csv)
        if data is not None:
            talk.send_file(Attachment(f"participants-{talk.now:%Y-%m-%d}.csv", data))

    @registry.action("export_meetings")
    def export_meetings(talk: Conversation) -> None:
        data = attempt(talk, ops.meetings_csv)
        if data is not None:
            talk.send_file(Attachment(f"meetings-{talk.now:%Y-%m-%d}.csv", data))

    return registry


Attempt = Callable[[Conversation, Callable[[ops.Actor], Any]], Any]


def _on_person(attempt: Attempt, person: Callable[[Conversation], int],
               operation: Callable[[ops.Actor, int], Any]) -> Callable[[Conversation], None]:
    def act(talk: Conversation) -> None:
        attempt(talk, lambda who: operation(who, person(talk)))

    return act


def _constant(text: str) -> Callable[[Conversation], str]:
    """A value for `_setter` fixed by the button (a registration mode), not typed."""
    def value(_talk: Conversation) -> str:
        return text

    return value


def _setter(attempt: Attempt, desk: Desk, key: str,
            value: Callable[[Conversation], str]) -> Callable[[Conversation], None]:
    def act(talk: Conversation) -> None:
        text = value(talk)
        talk.flow_values[FAILED] = False
        if text:  # else cancelled
            attempt(talk, lambda who: ops.change_setting(who, key, text, desk.defaults))

    return act


def _listing(attempt: Attempt, list_name: str) -> Callable[[Conversation], None]:
    def act(talk: Conversation) -> None:
        text = str(talk.flow_values.pop("who", None) or "")
        talk.flow_values[FAILED] = False
        if text:  # else cancelled
            attempt(talk, lambda who: ops.add_entry(who, list_name, text))

    return act


def _job_runner(attempt: Attempt, desk: Desk, job: str) -> Callable[[Conversation], None]:
    def act(talk: Conversation) -> None:
        engine = desk.engine
        if engine is None:
            raise RuntimeError("the organizers' desk has no engine to run jobs with")
        schedule = desk.schedule()
        week = schedule.round_for(job, talk.now)
        line = attempt(talk, lambda who: ops.run_job_now(who, engine, schedule, job, week))
        if line is not None:
            talk.say("admin_job_done", line=line)

    return act
