""""I can't meet this week" pressed in the profile after matching: the leaver hears how many
partners were told, a trio's other two still meet, a partner left alone joins a pair (which
hears that there are three of them now), and the round's feedback records each departure."""

from __future__ import annotations

import datetime as dt

from coffee.models import MeetingFeedback, MeetingMember, Participation
from tests.kit.community import Community

CANNOT_MEET = "Я не зможу зустрітися цього тижня"


def meetings() -> list[set[int]]:
    groups: dict[int, set[int]] = {}
    for member in MeetingMember.select().where(MeetingMember.left_at.is_null()):
        groups.setdefault(member.meeting_id, set()).add(member.user_id)
    return sorted(groups.values(), key=min)


def test_calling_off_in_a_trio_and_then_in_a_pair(community: Community) -> None:
    names = {1: "Anna", 2: "Borys", 3: "Vira", 4: "Hanna", 5: "Dmytro"}
    for uid, name in names.items():
        community.register(uid, name, phone=None)
    community.join(names)
    community.run_and_deliver("match")
    trio = next(group for group in meetings() if len(group) == 3)
    pair = next(group for group in meetings() if len(group) == 2)

    first = community.people[min(trio)]
    first.command("start")
    assert first.texts(first.press(CANNOT_MEET))[0] == (
        "Зрозумів: цього тижня ви не зустрічаєтеся. Я повідомив ваших партнерів.")
    community.deliver()
    for uid in trio - {first.user_id}:
        assert community.send.to(uid)[-1].text == (
            f"{names[first.user_id]} Petrenko все ж не зможе зустрітися цього тижня. "
            "Ви вдвох зустрічаєтеся, як і планували.")
    assert trio - {first.user_id} in meetings()

    second = community.people[min(pair)]
    second.command("start")
    assert second.texts(second.press(CANNOT_MEET))[0] == (
        "Зрозумів: цього тижня ви не зустрічаєтеся. Я повідомив вашого партнера.")
    community.deliver()
    alone = max(pair)
    told, introduction = (reply.text for reply in community.send.to(alone)[-2:])
    assert told.startswith(f"{names[second.user_id]} Petrenko все ж не зможе зустрітися цього "
                           "тижня. Ви приєднуєтеся до іншої пари")
    assert introduction.startswith("<b>Цього тижня вас троє: ваші партнери Random Coffee")
    for uid in trio - {first.user_id}:
        joined, introduction = (reply.text for reply in community.send.to(uid)[-2:])
        assert joined.startswith(f"{names[alone]} Petrenko приєднується до вашої зустрічі")
        assert introduction.startswith(
            "<b>Тепер вас троє: ваш новий партнер Random Coffee на тиждень з 30 листопада</b>")
    assert meetings() == [trio - {first.user_id} | {alone}]
    assert {(row.user_id, row.happened, row.reason) for row in MeetingFeedback.select()} == {
        (first.user_id, False, "cancelled"), (second.user_id, False, "cancelled")}


def test_the_profile_names_the_weeks_its_buttons_act_on(community: Community) -> None:
    """Before matching the skip button is the coming round's (30 November); once its pairs are
    made the profile names this week's partner, the meeting is called off with "I can't meet
    this week", and the skip button moves on to the next round (7 December)."""
    olena = community.register(1, "Olena")
    community.register(2, "Petro")
    olena.command("start")
    assert "Тиждень з 30 листопада: запрошення прийде: четвер" in olena.last.text
    assert "Пропустити тиждень з 30 листопада" in olena.last.labels

    community.join((1, 2))
    community.run_and_deliver("match")
    olena.command("start")
    text, labels = olena.last.text, olena.last.labels
    assert "Тиждень з 30 листопада: ви зустрічаєтеся: Petro Petrenko\n" \
           "Тиждень з 7 грудня: запрошення прийде: четвер" in text
    assert labels[:3] == [CANNOT_MEET, "Змінити відповідь", "Пропустити тиждень з 7 грудня"]
    olena.press("Пропустити тиждень з 7 грудня")
    skipped = Participation.get(Participation.user == 1, Participation.status == "skip")
    assert skipped.round.week == dt.date(2026, 12, 7)
    assert MeetingMember.get(MeetingMember.user == 1).left_at is None
    assert "Все ж узяти участь з 7 грудня" in olena.last.labels
