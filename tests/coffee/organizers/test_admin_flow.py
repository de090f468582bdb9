"""The /admin flow through the engine seam, as an organizer sees it in Telegram (Ukrainian):
numbers after a round, search by each key, comment, ban and unban, access mode, settings,
broadcasts, round control, notes and exports; and nothing of it for anyone else."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from coffee.admin import reason_labels
from coffee.models import AccessEntry, AuditEntry, Broadcast
from engine.dialog.events import Event, Reply
from engine.store import Setting, User
from tests.kit.community import ROUND, Community, a_round
from tests.kit.participant import Participant
from tests.kit.settings import ADMIN_ID


@pytest.fixture
def organizer(town: Community) -> Participant:
    person = Participant(town.bot.engine, ADMIN_ID, first_name="Orhanizatorka",
                         username="org_admin")
    town.people[ADMIN_ID] = person
    return person


def actions() -> list[str]:
    return [row.action for row in AuditEntry.select().order_by(AuditEntry.id)]


def test_the_organizer_sees_the_numbers_and_the_chart_after_a_round(town: Community,
                                                                    organizer: Participant):
    a_round(town)
    town.people[202].press("Ні, не вийшло")
    town.people[202].press("Партнер не відповів")
    organizer.command("admin")
    menu = organizer.chat[-1].text
    assert "Зареєстровано: 4. Беруть участь у цьому раунді: 3." in menu
    assert "Запрошено: 4. Так: 3. Ні: 1. Не відповіли: 0." in menu
    # reasons as the participants' buttons said them, in the organizer's language
    assert "Чому ні: Немає часу 1" in menu
    assert "Чому ні: Партнер не відповів 1" in menu
    assert "Пар: 0. Трійок: 1. Зустрілися: 100%." in menu
    assert "Середня оцінка: 5.0." in menu
    replies = organizer.press("📈 Графік останніх раундів")
    photo = next(reply.attachment for reply in replies if reply.attachment)
    assert photo.photo and photo.data.startswith(b"\x89PNG")


def test_find_by_each_key_then_comment_ban_and_unban(town: Community, organizer: Participant):
    a_round(town)
    organizer.command("admin")
    for query in ("@user_202", "202", "петро"):
        organizer.press("🔎 Знайти учасника") if "Кого шукаєте" not in organizer.chat[-1].text \
            else None
        organizer.send(query)
        assert organizer.chat[-1].labels[0] == "Петро Шевченко (@user_202, 202)", query
        organizer.press("Шукати знову")
    organizer.send("Нікого-такого")
    organizer.sees("нікого не знайдено")
    organizer.send("Петро")
    organizer.press("Петро Шевченко")
    organizer.sees("company: Kyiv Tech")
    organizer.press("✏️ Написати коментар")
    organizer.send("Просив зустрічі зранку")
    organizer.sees("Коментар організаторів: Просив зустрічі зранку")
    assert User.get_by_id(202).comment == "Просив зустрічі зранку"
    organizer.press("⛔ Заблокувати")
    organizer.sees("Заблоковано.")
    assert User.get_by_id(202).enabled is False
    organizer.press("✅ Розблокувати")
    assert User.get_by_id(202).enabled is True
    assert actions() == ["comment", "ban", "unban"]


def test_a_banned_participant_is_not_invited_then_is_again(town: Community,
                                                          organizer: Participant):
    town.register(301, "Олена", username="olena_301")
    town.register(302, "Тарас")
    organizer.command("admin")
    organizer.press("🔎 Знайти учасника")
    organizer.send("@olena_301")
    organizer.press("Олена Petrenko")
    organizer.press("⛔ Заблокувати")
    town.run_and_deliver("invite")
    assert [chat for chat, _ in town.send.sent] == [302]
    organizer.press("✅ Розблокувати")
    next_week = ROUND + dt.timedelta(days=7)
    town.run_and_deliver("invite", next_week)
    assert sorted(chat for chat, _ in town.send.sent[1:]) == [301, 302]


def test_access_mode_and_lists_from_the_flow(town: Community, organizer: Participant):
    organizer.command("admin")
    organizer.press("🚪 Реєстрація і списки доступу")
    organizer.press("Лише за списком дозволених")
    organizer.sees("Режим: allow-list.")
    organizer.press("➕ Дозволити")
    organizer.send("олена")
    organizer.sees("не @username і не числовий id")
    organizer.send("@friend_of_us")
    organizer.sees("allow: @friend_of_us")
    stranger = Participant(town.bot.engine, 401, username="stranger_x")
    assert "лише за запрошенням" in stranger.texts(stranger.command("start"))[0]
    friend = Participant(town.bot.engine, 402, first_name="Friend", username="friend_of_us")
    friend.complete_profile()
    assert User.get_by_id(402).registered
    assert Setting.get_by_id("registration_mode").value == "allow-list"
    assert AccessEntry.get().user_id == 402
    assert actions() == ["setting", "allow"]


def test_settings_refuse_a_bad_time_with_an_example(town: Community, organizer: Participant):
    organizer.command("admin")
    organizer.press("⚙️ Налаштування")
    organizer.sees("schedule_invite: thu 09:00 (типове)")
    organizer.press("День і час запрошень")
    organizer.send("четвер о дев'ятій")
    organizer.sees("Приклад: thu 09:00")
    assert "Коли надсилати запрошення" in organizer.chat[-1].text  # asked again
    organizer.send("wed 18:30")
    organizer.sees("schedule_invite: wed 18:30 (змінено тут)")
    assert town.bot.schedule_now().invite.at.hour == 18


def test_broadcast_to_organizers_then_to_everyone(town: Community, organizer: Participant):
    for uid in (501, 502):
        town.register(uid)
    organizer.command("admin")
    organizer.press("📣 Розсилка новин")
    organizer.press("✍️ Написати нову розсилку")
    organizer.send("<b>Зустріч у п'ятницю")
    organizer.sees("Telegram не прийме цей HTML")
    organizer.send("<b>Зустріч</b> у п'ятницю")
    organizer.press("Без фото")
    organizer.press("Лише організатори")
    assert organizer.chat[-3].text.startswith("Так це побачать 1")
    assert organizer.chat[-2].reply.text == "<b>Зустріч</b> у п'ятницю"
    question = organizer.chat[-1]
    assert question.text.strip() == "Надіслати 1 людям?"
    [edit] = organizer.press("📨 Надіслати")
    assert edit.edit_message_id == question.message_id  # the question becomes the progress
    assert "Надіслано: 0 з 1" in question.text and "(надсилається)" in question.text
    assert question.labels == ["🔄 Оновити", "⏹ Скасувати розсилку", "⬅️ Меню"]
    town.deliver()
    assert [reply.text for reply in town.send.to(ADMIN_ID)] == ["<b>Зустріч</b> у п'ятницю"]
    [edit] = organizer.press("🔄 Оновити", question)
    assert edit.edit_message_id == question.message_id  # the same message, edited in place
    assert "Надіслано: 1 з 1" in question.text and "(надіслано)" in question.text
    organizer.press("⬅️ Меню")
    organizer.press("📣 Розсилка новин")
    organizer.press("✍️ Написати нову розсилку")
    organizer.send("<b>Зустріч</b> у п'ятницю")
    organizer.press("Без фото")
    organizer.press("Усі зареєстровані")
    organizer.press("📨 Надіслати")
    town.deliver()
    assert [[r.text for r in town.send.to(uid)] for uid in (501, 502)] == [
        ["<b>Зустріч</b> у п'ятницю"]] * 2
    assert actions() == ["broadcast_draft", "broadcast_start"] * 2


def send_photo(person: Participant, file_id: str) -> list[Reply]:
    event = Event(person.user_id, "photo", photo=file_id, sender=person.sender)
    return person.deliver(person.engine.handle(event))


def test_a_broadcast_with_a_photo_is_previewed_and_sent_as_a_photo(town: Community,
                                                                  organizer: Participant):
    town.register(511)
    organizer.command("admin")
    organizer.press("📣 Розсилка новин")
    organizer.press("✍️ Написати нову розсилку")
    organizer.send("x" * 1025)
    organizer.send("Ще текст")  # a photo question takes photos only
    assert "надішліть сюди фото" in organizer.chat[-2].text
    send_photo(organizer, "photo-800")
    assert "щонайбільше 1024 символів, а в цьому їх 1025" in organizer.chat[-2].text
    organizer.send("<b>Кава</b> у суботу")  # asked again for the text, then the photo
    send_photo(organizer, "photo-800")
    organizer.press("Усі зареєстровані")
    preview = organizer.chat[-2].reply
    assert (preview.photo, preview.text) == ("photo-800", "<b>Кава</b> у суботу")
    organizer.press("📨 Надіслати")
    town.deliver()
    [sent] = town.send.to(511)
    assert sent == Reply(text="<b>Кава</b> у суботу", photo="photo-800")
    assert Broadcast.get().photo == "photo-800"


def test_round_control_notes_and_exports(town: Community, organizer: Participant):
    for uid in (601, 602, 603):
        town.register(uid)
    town.people[601].command("feedback")
    town.people[601].send("Можна зустрічатися у вихідні?")
    organizer.command("admin")
    organizer.press("🔁 Керування раундом")
    organizer.press("Надіслати запрошення зараз")
    organizer.press("Так, запустити")
    organizer.sees("Готово: invite")
    for uid in (601, 602):
        town.deliver()
        town.people[uid].press("Так, беру участь")
    preview = organizer.texts(organizer.press("👀 Попередній перегляд пар"))[0]
    assert "1. Olena Petrenko (601) + Olena Petrenko (602)" in preview
    organizer.press("⬅️ Меню")
    organizer.press("📬 Повідомлення")
    organizer.sees("🆕" in organizer.chat[-1].text and "вихідні")
    organizer.press("↩️ Відповісти на повідомлення")
    organizer.press("Olena Petrenko")
    organizer.send("Так, спробуємо!")
    town.deliver()
    assert "Так, спробуємо!" in town.send.to(601)[-1].text
    organizer.press("⬅️ Меню")
    organizer.press("📄 Вивантаження")
    replies = organizer.press("Учасники")
    document = next(reply.attachment for reply in replies if reply.attachment)
    assert document.name.endswith(".csv") and document.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(document.data.decode("utf-8-sig"))))
    assert [row["id"] for row in rows][:3] == ["601", "602", "603"]
    replies = organizer.press("Зустрічі й відгуки")
    assert any(reply.attachment and reply.attachment.name.startswith("meetings")
               for reply in replies)


def test_participants_cannot_reach_any_of_it(town: Community, organizer: Participant):
    olena = town.register(701)
    unknown = olena.texts(olena.command("nosuch"))[0]
    assert olena.texts(olena.command("admin"))[0] == unknown.replace("/nosuch", "/admin")
    organizer.command("admin")
    find_button = organizer.chat[-1].reply.buttons[1][0].data
    replies = olena.press_data(find_button, organizer.chat[-1].message_id)  # forged
    assert not any("Кого шукаєте" in text or "Зареєстровано" in text
                   for text in olena.texts(replies))
    assert AuditEntry.select().count() == 0



def test_reason_labels_are_the_flows_buttons(town: Community):
    labels = reason_labels(town.bot.parts.library)
    assert labels["decline"] == {"no_time": "No time", "no_mood": "Not in the mood",
                                 "not_interested": "Not interested", "none": "Rather not say"}
    assert labels["why_not"]["no_agreement"] == "We could not agree on a time or place"


def test_an_appointed_organizer_gets_the_organizer_menu_at_once(town: Community,
                                                                organizer: Participant):
    town.register(701, "Олена", username="olena_701")
    organizer.command("admin")
    organizer.press("🔎 Знайти учасника")
    organizer.send("@olena_701")
    organizer.press("Олена")
    organizer.press("⭐ Зробити організатором")
    [menu] = [reply for reply in organizer.elsewhere if reply.menu is not None]
    assert menu.chat_id == 701
    languages = dict(menu.menu.languages) if menu.menu else {}
    assert set(languages) == {"", "en", "uk"}
    assert [command.name for command in languages["en"]] == [
        "admin", "feedback", "info", "start", "status"]
    assert languages["uk"][0].description == "Інструменти організаторів"
    organizer.press("Забрати права організатора")
    revoked = [reply.menu for reply in organizer.elsewhere if reply.menu is not None][-1]
    assert revoked is not None and dict(revoked.languages) == {"": (), "en": (), "uk": ()}
    assert actions() == ["appoint", "revoke"]
