""""I can't meet this week" pressed in the profile after matching: the leaver hears how many
partners were told, a trio's other two still meet, a partner left alone joins a pair (which
hears that there are three of them now), and the round's feedback records each departure."""

from __future__ import annotations

from engine.store import MeetingFeedback, MeetingMember
from tests.coffee.conftest import Community

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
