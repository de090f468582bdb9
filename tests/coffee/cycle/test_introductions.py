"""What a participant sees of their partner on Monday: the profile in their own language, a
link to the chat, the phone as a contact card when shared, and typed text shown literally."""

from __future__ import annotations

from coffee.app import build_bot
from engine.dialog.events import Contact
from tests.kit.clock import Clock
from tests.kit.community import Community
from tests.kit.participant import Participant
from tests.kit.workspace import Workspace


def match_two(community: Community) -> None:
    community.run_and_deliver("invite")
    for person in community.people.values():
        person.press(person.last.labels[0])  # "yes" in either language
    community.run_and_deliver("match")


def test_partner_with_username_and_phone_in_the_recipients_language(
        community: Community) -> None:
    olena = community.register(1, "Olena", "Kovalenko", username="olena_k",
                               phone="+380501234567", company="Monobank",
                               motivation=("Networking", "Making friends"),
                               topics=("Design", "Books"), about="Love hiking.")
    john = community.register(2, "John", "Smith", phone=None, language="en")
    match_two(community)

    intro, card = community.send.to(2)[-2:]
    assert john.chat[-2].text == (
        "Your Random Coffee partner for the week from 30 November\n\n"
        "👤 Olena Kovalenko, @olena_k\n"
        "Work: Monobank\n"
        "Motivation: Networking, Making friends\n"
        "Topics: Design, Books\n"
        "About me: Love hiking.\n\n"
        "Write to each other and agree on a time and place: in person or online. "
        "On Friday I will ask how it went.")
    assert "<b>Olena Kovalenko</b>, @olena_k" in intro.text
    assert card.contact == Contact("+380501234567", "Olena", "Kovalenko", 1)

    # John shared no phone: Olena gets a link that opens his chat, and no contact card.
    replies = community.send.to(1)
    assert replies[-1].contact is None
    assert '👤 <a href="tg://user?id=2">John Smith</a>' in replies[-1].text
    assert olena.last.text.startswith("Ваш партнер Random Coffee на тиждень з 30 листопада\n\n"
                                      "👤 John Smith\nРобота: Kyiv Tech\n"
                                      "Мета зустрічей: Нетворкінг\nТеми: Стартапи\n")


def test_what_participants_typed_is_shown_literally(community: Community) -> None:
    community.register(1, "<b>&", "<i>Bold</i>", about='<a href="x">click</a> & more',
                       company="A&B <Ltd>")
    community.register(2, "Petro")
    match_two(community)

    text = community.send.to(2)[-2].text
    assert '<a href="tg://user?id=1">&lt;b&gt;&amp; &lt;i&gt;Bold&lt;/i&gt;</a>' in text
    assert "A&amp;B &lt;Ltd&gt;" in text
    assert "&lt;a href=&#34;x&#34;&gt;click&lt;/a&gt; &amp; more" in text
    assert community.people[2].chat[-2].text.splitlines()[2] == "👤 <b>& <i>Bold</i>"


def test_a_trio_meets_both_partners(community: Community) -> None:
    for uid, name in ((1, "Anna"), (2, "Borys"), (3, "Vira")):
        community.register(uid, name, phone=f"+38050000000{uid}")
    match_two(community)

    for uid in (1, 2, 3):
        replies = community.send.to(uid)
        intro = replies[-3]
        assert intro.text.startswith("<b>Цього тижня вас троє")
        others = [other for other in (1, 2, 3) if other != uid]
        assert [reply.contact.user_id for reply in replies[-2:] if reply.contact] == others


def test_the_only_one_who_said_yes_hears_so(community: Community) -> None:
    community.register(1, "Olena")
    community.register(2, "Petro", language="en")
    community.run_and_deliver("invite")
    community.people[1].press("Так, беру участь")
    community.people[2].press("Not this time")
    outcome = community.run_and_deliver("match")
    assert "groups 0, trios 0, repeated pairs 0, unmatched 1, introduced 0" in outcome.summary
    assert community.people[1].last.text.startswith("На жаль, цього тижня більше ніхто")
    assert community.send.to(2)[-1].text != community.send.to(1)[-1].text


def test_a_new_shared_question_reaches_partners(workspace: Workspace, clock: Clock) -> None:
    """An organizer adds a question with `shared: true`: no Python changes, and partners see
    it in the introduction, between the answers around it in `questions:`."""
    start = "flows/start.yaml"
    workspace.edit(start, "  - AskAboutState\n", "  - AskCityState\n  - AskAboutState\n")
    workspace.edit(start, "  AskAboutState:\n", (
        "  AskCityState:\n    ask:\n      text: \"Which city do you live in?\"\n"
        "      title: \"City\"\n      answer: city\n      shared: true\n\n"
        "  AskAboutState:\n"))
    bot = build_bot(workspace.settings(), clock=clock)
    try:
        community = Community(bot, clock)
        for user_id, city in ((1, "Lviv"), (2, "Odesa")):
            person = Participant(bot.engine, user_id, first_name=f"P{user_id}",
                                 language_code="en")
            community.people[user_id] = person
            person.command("start")
            for answer in (f"P{user_id}", "Test"):
                person.send(answer)
            person.share_contact()
            person.send("Work")
            person.press("Every week")
            for choice in ("Networking", "Books"):
                person.press(choice)
                person.press("Done")
            assert person.texts(person.send(city))[-1].startswith("9. Tell your future")
            person.send("Hi")
            person.press("English")
        match_two(community)
        assert "Topics: Books\nCity: Odesa\nAbout me: Hi\n" in community.people[1].chat[-2].text
    finally:
        bot.database.close()
