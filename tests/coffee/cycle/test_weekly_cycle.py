"""Several weeks of Random Coffee end to end: registration, invitations, matching,
introductions and feedback, through the engine seam with the jobs run at their times."""

from __future__ import annotations

import datetime as dt
from itertools import combinations

from coffee.cycle.rounds import ClaimState
from coffee.models import Meeting, MeetingFeedback, MeetingMember, Participation, Round
from engine.store import Outbox, User
from tests.kit.community import ROUND, Community
from tests.kit.participant import Participant

WEEK = dt.timedelta(days=7)


def groups_of(week: dt.date) -> list[tuple[int, ...]]:
    meetings = Meeting.select().join(Round).where(Round.week == week)
    return sorted(tuple(sorted(m.user_id for m in meeting.members)) for meeting in meetings)


def profile(person: Participant) -> str:
    """The profile's text, read through a second driver so that the person's own chat keeps
    the invitation as its latest keyboard (opening the profile makes the invitation's buttons
    stale: only those who will not press them are looked at here)."""
    viewer = Participant(person.engine, person.user_id, language_code=person.language_code)
    viewer.command("start")
    return viewer.last.text


def participation(user_id: int, week: dt.date = ROUND) -> tuple[str, str | None] | None:
    row = (Participation.select().join(Round)
           .where(Round.week == week, Participation.user == user_id).first())
    return None if row is None else (row.status, row.reason)


def test_weeks_of_random_coffee(community: Community) -> None:
    people = {uid: community.register(uid, f"Name{uid}", username=f"user{uid}" if uid % 2 else None,
                                      phone=None if uid % 3 == 0 else f"+38050000{uid:04d}",
                                      language="en" if uid > 9 else "uk")
              for uid in range(1, 13)}
    biweekly = community.register(13, "Name13", frequency="Every two weeks")
    people[13] = biweekly

    # Before Thursday: 4 skips the week from the profile, 5 is banned, 6 has blocked the bot.
    people[4].press("Пропустити тиждень з 30 листопада")
    User.update(enabled=False).where(User.id == 5).execute()
    community.send.blocked.add(6)

    outcome = community.run_and_deliver("invite")
    assert outcome.summary.startswith("invite 2026-11-30: invited 11, already invited 0, "
                                      "skipped 1, resting (biweekly) 0, unreachable 0, disabled 1")
    assert Round.get(Round.week == ROUND).status == "open"
    assert people[1].last.text == (
        "Random Coffee наступного тижня\n\nПривіт, Name1! Чи берете ви участь у Random Coffee "
        "на тижні з 30 листопада? Партнера я представлю вам у день «понеділок».")
    assert people[1].last.labels == ["Так, беру участь", "Цього разу ні"]
    assert people[10].last.labels == ["Yes, I take part", "Not this time"]
    assert community.send.to(4) == community.send.to(5) == community.send.to(6) == []
    assert not User.get_by_id(6).reachable
    assert participation(4) == ("skip", None)
    assert participation(5) is None

    # The profile says "waiting" only to those invited.
    assert "Week from 30 November: invited, waiting for your answer" in profile(people[12])
    assert "Тиждень з 30 листопада: пропущено" in profile(people[4])

    # Answers: yes from 1-3, 8-11 and 13; 7 declines with a reason; 12 never answers.
    for uid in (1, 2, 3, 8, 9, 13):
        people[uid].press("Так, беру участь")
    for uid in (10, 11):
        people[uid].press("Yes, I take part")
    assert people[10].last.text.startswith("Great, you take part in the week from 30 November.")
    people[7].press("Цього разу ні")
    assert people[7].last.labels == ["Немає часу", "Немає настрою", "Нецікаво", "Волію не казати"]
    people[7].press("Нецікаво")
    assert participation(7) == ("no", "not_interested")
    assert participation(12) == ("invited", None)

    # 3 changes their mind: yes -> no, with a reason.
    people[3].press("Змінити відповідь")
    people[3].press("Цього разу ні")
    people[3].press("Немає часу")
    assert participation(3) == ("no", "no_time")
    assert people[3].last.text.startswith("Добре, тиждень з 30 листопада ви пропускаєте.")

    # Matching: 1, 2, 8, 9, 10, 11, 13 said yes: two pairs and one trio.
    outcome = community.run_and_deliver("match")
    assert outcome.summary.startswith("match 2026-11-30: groups 3, trios 1, repeated pairs 0, "
                                      "unmatched 0, introduced 7")
    groups = groups_of(ROUND)
    assert sorted(uid for group in groups for uid in group) == [1, 2, 8, 9, 10, 11, 13]
    assert sorted(len(group) for group in groups) == [2, 2, 3]
    assert Round.get(Round.week == ROUND).status == "matched"
    for group in groups:
        for uid in group:
            partners = [other for other in group if other != uid]
            intro = next(m.text for m in reversed(people[uid].chat) if m.reply.text)
            for partner in partners:
                assert f"Name{partner} Petrenko" in intro
            cards = [reply.contact for reply in community.send.to(uid) if reply.contact]
            assert [card.user_id for card in cards] == [p for p in partners if p % 3]

    # Too late to change: the polite answer, the participation stays.
    people[1].press("Змінити відповідь")
    assert people[1].last.text == ("Пари на цей тиждень уже складено, тож змінити це вже не "
                                   "можна.")
    assert participation(1) == ("yes", None)

    # Running a job again sends nothing twice.
    sent_before = len(community.send.sent)
    for job in ("invite", "match"):
        assert community.run(job).state is ClaimState.DONE
    community.deliver()
    assert len(community.send.sent) == sent_before

    # Feedback on Friday: every member asked once; the answers are stored per meeting.
    outcome = community.run_and_deliver("feedback")
    assert outcome.summary == "feedback 2026-11-30: asked 7"
    assert Round.get(Round.week == ROUND).status == "closed"
    pair = next(group for group in groups if len(group) == 2)
    first, second = (people[uid] for uid in pair)
    yes_met = "Так, ми зустрілися" if first.user_id < 10 else "Yes, we met"
    first.press(yes_met)
    first.press("5")
    first.send("Чудова розмова <3")
    not_met = "Ні, не вийшло" if second.user_id < 10 else "No, it did not work out"
    second.press(not_met)
    second.press("Партнер не відповів" if second.user_id < 10 else "My partner did not answer")
    second.press("Пропустити" if second.user_id < 10 else "Skip")
    meeting = MeetingMember.get(MeetingMember.user == first.user_id).meeting_id
    stored = {row.user_id: (row.happened, row.rating, row.reason, row.comment)
              for row in MeetingFeedback.select().where(MeetingFeedback.meeting == meeting)}
    assert stored == {first.user_id: (True, 5, None, "Чудова розмова <3"),
                      second.user_id: (False, None, "no_answer", "")}
    assert community.run("feedback").state is ClaimState.DONE

    # Week two: the biweekly participant (13) met in week one and rests; everyone who says
    # yes again meets someone new.
    week2 = ROUND + WEEK
    outcome = community.run_and_deliver("invite", week2)
    assert "resting (biweekly) 1" in outcome.summary
    assert participation(13, week2) is None
    assert participation(4, week2) == ("invited", None)  # the skip was for one week only
    for uid in (1, 2, 8, 9):
        people[uid].press("Так, беру участь")
    for uid in (10, 11):
        people[uid].press("Yes, I take part")
    community.run_and_deliver("match", week2)
    met_before = {pair for group in groups for pair in combinations(group, 2)}
    for group in groups_of(week2):
        assert not set(combinations(group, 2)) & met_before, group

    # Week three: the biweekly participant is invited again.
    community.run_and_deliver("invite", ROUND + 2 * WEEK)
    assert participation(13, ROUND + 2 * WEEK) == ("invited", None)
    keys = [row.key for row in Outbox.select(Outbox.key)]
    assert len(keys) == len(set(keys))


def test_taking_part_after_all_once_the_invitations_are_out_is_a_yes(
        community: Community) -> None:
    olena = community.register(1, "Olena")
    late = community.register(2, "Petro")
    olena.press("Пропустити тиждень з 30 листопада")
    late.press("Пропустити тиждень з 30 листопада")
    late.press("Все ж узяти участь з 30 листопада")  # before Thursday: invited as usual
    assert participation(2) is None
    community.run_and_deliver("invite")
    assert community.send.to(1) == []
    assert participation(2) == ("invited", None)

    olena.press("Все ж узяти участь з 30 листопада")
    assert participation(1) == ("yes", None)
    assert "Тиждень з 30 листопада: ви берете участь" in olena.last.text
