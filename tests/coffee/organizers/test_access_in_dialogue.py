"""Organizer access through the engine seam: the organizer-only commands answer a participant
exactly like an unknown command, appointed organizers get them, the banned and the not-allowed
get one polite line and no questionnaire, and an allowed @username registers."""

from __future__ import annotations

from coffee.organizers import ALLOW, BLOCK, add_entry, appoint, ban, change_setting, revoke, unban
from coffee.organizers.actor import Actor
from engine.store import DialogState, User
from tests.kit.community import Community
from tests.kit.participant import Participant


def newcomer(town: Community, user_id: int, username: str | None = None) -> Participant:
    person = Participant(town.bot.engine, user_id, first_name="Stranger", username=username)
    town.people[user_id] = person
    return person


def test_organizer_commands_look_unknown_to_participants(town: Community, admin: Actor):
    olena = town.register(11)
    unknown = olena.texts(olena.command("nosuchcommand"))
    refused = olena.texts(olena.command("status"))
    assert refused == [line.replace("/nosuchcommand", "/status") for line in unknown]
    assert "/status" not in refused[0].split(":", 1)[1]  # not even listed
    appoint(admin, 11)
    assert "flow" in olena.texts(olena.command("status"))[0]  # now it answers
    revoke(admin, 11)
    assert olena.texts(olena.command("status"))[0].startswith(unknown[0].split("/")[0])


def test_a_banned_participant_gets_one_polite_line_then_is_back(town: Community, admin: Actor):
    taras = town.register(12)
    ban(admin, 12)
    for action in (lambda: taras.command("start"), lambda: taras.send("hello"),
                   lambda: taras.command("feedback")):
        replies = action()
        assert len(replies) == 1
        assert "призупинили" in taras.texts(replies)[0]
    unban(admin, 12)
    assert "призупинили" not in " ".join(taras.texts(taras.command("start")))


def test_allow_list_mode_refuses_strangers_and_lets_allowed_names_register(town: Community,
                                                                            admin: Actor):
    old = town.register(13)  # registered before the change: not affected
    change_setting(admin, "registration_mode", "allow-list", town.bot.defaults)
    add_entry(admin, ALLOW, "@invited_one")
    stranger = newcomer(town, 14, "someone_else")
    replies = stranger.command("start")
    assert len(replies) == 1 and "лише за запрошенням" in stranger.texts(replies)[0]
    assert len(stranger.send("Олена")) == 1
    assert DialogState.get_by_id(14).flow is None  # no questionnaire was started
    invited = Participant(town.bot.engine, 15, first_name="Invited", username="Invited_One")
    invited.complete_profile()
    assert User.get_by_id(15).registered
    assert "лише за запрошенням" not in " ".join(old.texts(old.command("start")))


def test_the_block_list_refuses_at_first_contact(town: Community, admin: Actor):
    add_entry(admin, BLOCK, "@spam_account")
    spammer = newcomer(town, 16, "spam_account")
    replies = spammer.command("start")
    assert len(replies) == 1 and "закрили вам доступ" in spammer.texts(replies)[0]
    change_setting(admin, "registration_mode", "closed", town.bot.defaults)
    add_entry(admin, ALLOW, "@allowed_one")
    for uid, name in ((17, None), (19, "allowed_one")):  # closed: the allow list waits too
        closed = newcomer(town, uid, name)
        assert "реєстрацію в Random Coffee закрито" in closed.texts(closed.command("start"))[0]


def test_a_revoked_organizer_left_in_an_organizer_flow_is_put_outside(town: Community,
                                                                      admin: Actor):
    iryna = town.register(18)
    appoint(admin, 18)
    DialogState.update(flow="status", state="StatusState").where(
        DialogState.user == 18).execute()
    revoke(admin, 18)
    replies = iryna.press_data("d:b:0", iryna.chat[-1].message_id)
    assert iryna.texts(replies) == ["Ця кнопка не для вас. Надішліть /start, щоб побачити свій "
                                    "профіль."]
    assert DialogState.get_by_id(18).flow is None
