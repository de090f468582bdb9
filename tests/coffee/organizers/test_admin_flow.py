"""The /admin flow through the engine seam, as an organizer sees it in Telegram (Ukrainian):
numbers that say what they count, search (one match opens the card, many say how many more),
the card in words, a suspension with its reason after a confirmation, access modes and lists,
settings in the organizer's words, broadcasts (plurals, a test sent on to everyone, Send tapped
twice), round control naming its round, notes marked answered, exports; no screen redrawn
unchanged; and nothing of it for anyone else."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from coffee.admin import reason_labels
from coffee.app import build_bot
from coffee.models import AccessEntry, AuditEntry, Broadcast
from engine.dialog.events import Event, Reply
from engine.store import Setting, User
from tests.kit.clock import Clock
from tests.kit.community import ROUND, Community, a_round
from tests.kit.participant import Participant
from tests.kit.settings import ADMIN_ID, settings_for


@pytest.fixture
def organizer(town: Community) -> Participant:
    return town.organizer()


def actions() -> list[str]:
    return [row.action for row in AuditEntry.select().order_by(AuditEntry.id)]


def edits(replies: list[Reply]) -> list[Reply]:
    return [reply for reply in replies if reply.edit_message_id is not None]


def test_the_organizer_sees_the_numbers_and_the_chart_after_a_round(town: Community,
                                                                    organizer: Participant):
    a_round(town)
    town.people[202].press("Ні, не вийшло")
    town.people[202].press("Партнер не відповів")
    organizer.command("admin")
    menu = organizer.chat[-1].text
    assert "Зареєстровано: 4. Беруть участь у цьому раунді: 3. Не беруть участі з власної " \
           "волі (відмовилися або пропускають тиждень): 1." in menu
    assert "Раунд 30 листопада (відгуки запитано)" in menu
    assert "Запрошено: 4. Так: 3. Ні: 1. Не відповіли: 0." in menu
    # reasons as the participants' buttons said them, in the organizer's language
    assert "Чому ні: Немає часу 1" in menu
    assert "Чому ні: Партнер не відповів 1" in menu
    assert "Пар: 0. Трійок: 1." in menu
    assert "Відповіді: «зустрілися» — 1, «не вийшло» — 1 (50% кажуть, що зустрілися)." in menu
    assert "один каже, що зустрілися, інший — що ні: 1" in menu
    assert "Середня оцінка: 5.0." in menu
    assert "Вебпанель ще не має адреси" in menu and "🖥" not in " ".join(organizer.buttons())
    replies = organizer.press("📈 Графік останніх раундів")
    photo = next(reply.attachment for reply in replies if reply.attachment)
    assert photo.photo and photo.data.startswith(b"\x89PNG")
    assert edits(replies) == []  # the menu, unchanged, is not drawn again


def test_find_opens_a_single_match_and_says_how_many_more(town: Community,
                                                          organizer: Participant):
    a_round(town)
    for uid in range(301, 313):
        town.register(uid, "Марко", f"Номер{uid}")
    organizer.command("admin")
    for query in ("@user_202", "202", "петро"):
        if "Кого шукаєте" not in organizer.chat[-1].text:
            organizer.press("🔎 Знайти учасника")
        organizer.send(query)  # one match: its card at once
        organizer.sees("Петро Шевченко (@user_202, 202)")
        assert "Робота: Kyiv Tech" in organizer.chat[-1].text, query
        organizer.press("🔎 Знайти іншого")
    organizer.send("Нікого-такого")
    organizer.sees("нікого не знайдено")
    organizer.send("марко")
    assert len(organizer.buttons()) == 10 + 1  # ten matches and "Search again"
    assert "…і ще 2: напишіть більше з імені" in organizer.chat[-1].text


def test_the_card_reads_in_words_and_a_suspension_is_confirmed_with_its_reason(
        town: Community, organizer: Participant):
    a_round(town)
    organizer.command("admin")
    organizer.press("🔎 Знайти учасника")
    organizer.send("@user_204")
    card = organizer.chat[-1].text
    for shown in ("Ім’я: Тарас", "Як часто: Щотижня", "Мета зустрічей: Нетворкінг",
                  "Мова: Українська", "30.11.2026: відмовилися (Немає часу)"):
        assert shown in card, shown
    for hidden in ("first_name", "frequency", "weekly", "networking", ": uk", ": no "):
        assert hidden not in card, hidden
    organizer.press("✏️ Написати коментар")
    organizer.send("Просив зустрічі зранку")
    organizer.sees("Коментар організаторів: Просив зустрічі зранку")
    organizer.press("⛔ Відсторонити")
    organizer.sees("Чому відсторонюєте Тарас Шевченко (@user_204, 204)?")
    organizer.send("Спам у чаті")
    question = organizer.chat[-1]
    assert "Відсторонити Тарас Шевченко (@user_204, 204)?" in question.text
    assert "Причина: Спам у чаті" in question.text
    assert User.get_by_id(204).enabled is True  # nothing happens before the confirmation
    organizer.press("No" if "No" in question.labels else "Ні")
    assert User.get_by_id(204).enabled is True
    organizer.press("⛔ Відсторонити")
    organizer.press("Без причини")
    organizer.press("⛔ Так, відсторонити")
    assert User.get_by_id(204).enabled is False
    card = organizer.chat[-1].text
    assert "\nВідсторонено 4 грудня 2026, це зробив(-ла) Orhanizatorka (@org_admin, 999).\n" \
        in card and "Причина" not in card and "Відсторонено." not in card
    organizer.press("✅ Зняти відсторонення")
    assert User.get_by_id(204).enabled is True
    assert actions() == ["comment", "ban", "unban"]


def test_a_suspended_participant_is_not_invited_then_is_again(town: Community,
                                                             organizer: Participant):
    town.register(301, "Олена", username="olena_301")
    town.register(302, "Тарас")
    organizer.command("admin")
    organizer.press("🔎 Знайти учасника")
    organizer.send("@olena_301")
    organizer.press("⛔ Відсторонити")
    organizer.send("Попросила паузу")
    organizer.press("⛔ Так, відсторонити")
    organizer.sees("Причина: Попросила паузу")
    town.run_and_deliver("invite")
    assert [chat for chat, _ in town.send.sent] == [302]
    organizer.press("✅ Зняти відсторонення")
    next_week = ROUND + dt.timedelta(days=7)
    town.run_and_deliver("invite", next_week)
    assert sorted(chat for chat, _ in town.send.sent[1:]) == [301, 302]


def test_access_mode_and_lists_from_the_flow(town: Community, organizer: Participant):
    organizer.command("admin")
    organizer.press("🚪 Реєстрація і списки доступу")
    organizer.sees("Список дозволених і список заборонених порожні.")
    organizer.press("Лише за списком дозволених")
    organizer.sees("Зараз: лише за списком дозволених (зареєструватися можуть лише люди зі "
                   "списку дозволених).")
    organizer.press("➕ Додати до списку дозволених")
    organizer.send("олена")
    organizer.sees("не @username і не числовий id")
    organizer.send("@friend_of_us")
    organizer.sees("Список дозволених: @friend_of_us")
    stranger = Participant(town.bot.engine, 401, username="stranger_x")
    assert "лише за запрошенням" in stranger.texts(stranger.command("start"))[0]
    friend = Participant(town.bot.engine, 402, first_name="Friend", username="friend_of_us")
    friend.complete_profile()
    assert User.get_by_id(402).registered
    organizer.press("➕ Додати до списку дозволених")
    organizer.send("@friend_of_us")
    organizer.sees("@friend_of_us уже є в переліку: список дозволених.")
    assert Setting.get_by_id("registration_mode").value == "allow-list"
    assert AccessEntry.get().user_id == 402
    assert actions() == ["setting", "allow"]


def test_settings_read_weekdays_in_the_organizers_language(town: Community,
                                                           organizer: Participant):
    organizer.command("admin")
    organizer.press("⚙️ Налаштування")
    settings = organizer.sees("Запрошення: день і час: четвер, 09:00 (типове)")
    assert "Реєстрація: відкрита для всіх (типове)" in settings
    assert "schedule_" not in settings and "open" not in settings
    organizer.press("Запрошення: день і час")
    organizer.send("четверг 9:00")
    organizer.sees("Не розумію «четверг» як день тижня. Напишіть день тижня й час, наприклад: "
                   "четвер 09:00.")
    assert "Коли надсилати запрошення" in organizer.chat[-1].text  # asked again
    organizer.send("середа 25:00")
    organizer.sees("Не розумію «25:00» як час.")
    organizer.send("Середа, 18:30")
    organizer.sees("Запрошення: день і час: середа, 18:30 (змінено тут)")
    assert town.bot.schedule_now().invite.at.hour == 18


def test_broadcast_to_organizers_then_to_everyone_without_retyping(town: Community,
                                                                   organizer: Participant):
    for uid in (501, 502):
        town.register(uid)
    organizer.command("admin")
    organizer.press("📣 Розсилка новин")
    organizer.press("✍️ Написати нову розсилку")
    organizer.send("<b>Зустріч у п'ятницю")
    organizer.sees("Тег &lt;b&gt; ніде не закрито: додайте &lt;/b&gt;"
                   .replace("&lt;", "<").replace("&gt;", ">"))
    organizer.send("Hello <span>spoiler?</span>")
    organizer.sees('Пишіть спойлер як <tg-spoiler>…</tg-spoiler>: тегу <span> потрібен '
                   'class="tg-spoiler".')
    organizer.send("<b>Зустріч</b> у п'ятницю")
    organizer.press("Без фото")
    organizer.press("Лише організатори")
    assert organizer.chat[-3].text == "Так це побачить 1 отримувач:"
    assert organizer.chat[-2].reply.text == "<b>Зустріч</b> у п'ятницю"
    question = organizer.chat[-1]
    assert question.text.strip() == "Надіслати 1 людині?"
    send = question.reply.buttons[0][0].data
    [edit] = organizer.press("📨 Надіслати")
    assert edit.edit_message_id == question.message_id  # the question becomes the progress
    assert "Надіслано: 0 з 1" in question.text and "(надсилається)" in question.text
    assert question.labels == ["🔄 Оновити", "⏹ Скасувати розсилку", "⬅️ Меню"]
    chat_before = len(organizer.chat)
    assert organizer.press_data(send, question.message_id) == []  # Send tapped twice
    assert len(organizer.chat) == chat_before  # no second progress message, nothing said
    town.deliver()
    assert [reply.text for reply in town.send.to(ADMIN_ID)] == ["<b>Зустріч</b> у п'ятницю"]
    [edit] = organizer.press("🔄 Оновити", question)
    assert edit.edit_message_id == question.message_id  # the same message, edited in place
    assert "Надіслано: 1 з 1" in question.text and "(надіслано)" in question.text
    assert organizer.press("🔄 Оновити", question) == []  # unchanged: not drawn again
    organizer.press("📣 Надіслати й іншим", question)  # the test goes on, nothing retyped
    organizer.press("Усі зареєстровані")
    assert organizer.chat[-3].text == "Так це побачать 2 отримувачі:"
    assert organizer.chat[-1].text.strip() == "Надіслати 2 людям?"
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
    organizer.send("\U0001F642" * 600)  # 600 emoji: 1200 as Telegram counts them
    organizer.send("Ще текст")  # a photo question takes photos only
    assert "надішліть сюди фото" in organizer.chat[-2].text
    send_photo(organizer, "photo-800")
    assert "щонайбільше 1024 символи за підрахунком Telegram, а в цьому їх 1200" in \
        organizer.chat[-2].text
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


def test_round_control_names_its_round_and_says_what_comes_first(town: Community,
                                                                 organizer: Participant):
    for uid in (601, 602, 603):
        town.register(uid)
    organizer.command("admin")
    organizer.press("🔁 Керування раундом")
    screen = organizer.chat[-1].text
    assert "Керування раундом: тиждень з 30 листопада" in screen
    assert "Запрошення (тиждень з 30 листопада): за розкладом: четвер, 26 листопада, 09:00." \
        in screen
    organizer.press("Підібрати пари зараз")
    organizer.sees("Пари (тиждень з 30 листопада): ще нікого не запрошено: спершу запрошення.")
    assert organizer.buttons() == ["Надіслати запрошення зараз", "⬅️ Керування раундом"]
    organizer.press("Надіслати запрошення зараз")
    organizer.sees("Надіслати запрошення на тиждень з 30 листопада зараз?")
    replies = organizer.press("Так, надіслати")
    done = organizer.texts(replies)[0]
    assert done.startswith("Запрошення (тиждень з 30 листопада): Запрошено: 3.")
    assert "3 повідомлення вже надсилаються." in done
    assert "invite" not in done and "scheduler.py" not in done
    assert town.bot.delivery_wanted.is_set()  # the delivery starts at once
    town.deliver()
    for uid in (601, 602):
        town.people[uid].press("Так, беру участь")
    preview = organizer.texts(organizer.press("👀 Попередній перегляд пар"))[0]
    assert "1. Olena Petrenko (601) + Olena Petrenko (602)" in preview
    organizer.press("Надіслати запрошення зараз")
    organizer.sees("Запрошення (тиждень з 30 листопада): надіслано: вівторок, 24 листопада, 12:00.")
    assert organizer.buttons() == ["Підібрати пари зараз", "⬅️ Керування раундом"]
    assert actions() == ["run_job"]


def test_notes_are_marked_answered_and_replies_read_as_typed(town: Community,
                                                              organizer: Participant):
    town.register(601)
    town.people[601].command("feedback")
    town.people[601].send("Можна зустрічатися у вихідні?")
    organizer.command("admin")
    organizer.press("📬 Повідомлення")
    organizer.sees("🆕 ")
    assert "(нове): Можна зустрічатися у вихідні?" in organizer.chat[-1].text
    organizer.press("↩️ Відповісти на повідомлення")
    organizer.press("Olena Petrenko")
    organizer.send("Так, <i>спробуємо</b>!")
    organizer.sees("</b> стоїть там, де має бути </i>: закривайте теги у зворотному")
    organizer.send("Так, <i>спробуємо</i>!")
    organizer.sees("(є відповідь): Можна зустрічатися у вихідні?")
    assert "✅" in organizer.chat[-1].text and "🆕" not in organizer.chat[-1].text
    town.deliver()
    assert "Так, <i>спробуємо</i>!" in town.send.to(601)[-1].text


def test_exports_come_as_csv_files(town: Community, organizer: Participant):
    for uid in (601, 602, 603):
        town.register(uid)
    organizer.command("admin")
    organizer.press("📄 Вивантаження")
    replies = organizer.press("Учасники")
    document = next(reply.attachment for reply in replies if reply.attachment)
    assert document.name.endswith(".csv") and document.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(document.data.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:4]] == ["601", "602", "603"]
    assert edits(replies) == []
    replies = organizer.press("Зустрічі й відгуки")
    assert any(reply.attachment and reply.attachment.name.startswith("Random Coffee - зустрічі - ")
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
                                 "not_interested": "Not interested", "none": "Rather not say",
                                 # a member who left a meeting, which no button says
                                 "cancelled": "left the meeting", "blocked": "blocked the bot"}
    assert labels["why_not"]["no_agreement"] == "We could not agree on a time or place"


def test_an_appointed_organizer_is_told_and_gets_the_organizer_menu_at_once(
        town: Community, organizer: Participant):
    town.register(701, "Олена", username="olena_701")
    organizer.command("admin")
    organizer.press("🔎 Знайти учасника")
    organizer.send("@olena_701")
    organizer.press("⭐ Зробити організатором")
    [told] = [reply for reply in organizer.elsewhere if reply.text]
    assert told.chat_id == 701
    assert told.text.startswith("Організатори Random Coffee зробили вас організатором. /admin")
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


def test_the_panel_button_opens_the_panel_at_its_address(tmp_path: Path, clock: Clock):
    settings = settings_for(tmp_path, ADMIN_IDS=str(ADMIN_ID),
                            ADMIN_URL="https://panel.example.org")
    bot = build_bot(settings, clock=clock)
    try:
        organizer = Participant(bot.engine, ADMIN_ID, first_name="Org")
        organizer.command("admin")
        assert "Вебпанель ще не має адреси" not in organizer.chat[-1].text
        [link] = organizer.texts(organizer.press("🖥 Відкрити вебпанель"))
        assert "https://panel.example.org/login/" in link
    finally:
        bot.database.close()
