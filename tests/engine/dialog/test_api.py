"""Actions written against the narrow interface (`engine.dialog.api.Conversation`)."""

from __future__ import annotations

from coffee.app import Bot
from coffee.cycle.schedule import week_plan
from engine.dialog.api import Conversation
from engine.store import DialogState
from tests.kit.participant import Participant

SKIP = "Пропустити тиждень з 30 листопада"


def test_an_action_starts_a_flow_for_someone_else_and_messages_them(
        bot: Bot, participant: Participant) -> None:
    other = Participant(bot.engine, user_id=202, first_name="Taras", language_code="uk")
    other.complete_profile()
    participant.complete_profile()

    def nudge(talk: Conversation) -> None:
        talk.start_flow_for(202, "info")
        talk.send_to(202, "round_closed")
        talk.say("round_closed")

    bot.engine.registry.actions["skip_this_week"] = nudge
    replies = participant.press(SKIP)

    theirs = [reply for reply in participant.elsewhere if reply.chat_id == 202]
    assert len(theirs) == 2
    schedule = week_plan(bot.parts.schedule, "uk")
    assert theirs[0].text.startswith(
        bot.parts.renderer.render("info", "uk", {"schedule": schedule})[:40])
    assert theirs[1].text == participant.texts(replies)[0]
    assert DialogState.get_by_id(202).flow == "info"
    assert DialogState.get_by_id(101).state == "ProfileState"
