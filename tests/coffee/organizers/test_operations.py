"""The organizer operations against a real SQLite file: what they return, what the database
holds afterwards, the audit row each change leaves, and refusals that change nothing."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

import pytest

from coffee.cycle.participation import SKIP, set_participation
from coffee.models import AuditEntry
from coffee.organizers import (
    ALLOW,
    BLOCK,
    Admission,
    Defaults,
    Refused,
    act_as,
    add_entry,
    admission,
    appoint,
    at_a_glance,
    ban,
    card,
    change_setting,
    chart_png,
    clear_comment,
    entries,
    find,
    is_organizer,
    job_plans,
    meetings_export,
    operator,
    organizers,
    participants_export,
    preview_pairs,
    remove_entry,
    reset_setting,
    revoke,
    run_job_now,
    set_comment,
    setting_values,
    unban,
    without_partner,
)
from coffee.organizers.actor import Actor
from engine.dialog.profile import profile_fields
from engine.store import User
from tests.kit.community import ROUND, Community, a_round
from tests.kit.settings import ADMIN_ID


def audit() -> list[tuple[int, str, str, object, object]]:
    return [(row.actor, row.action, row.target, row.old, row.new)
            for row in AuditEntry.select().order_by(AuditEntry.id)]


def defaults_of(town: Community) -> Defaults:
    return Defaults.from_settings(town.bot.parts.settings)


def test_only_organizers_act_and_admin_ids_cannot_be_revoked(town: Community, admin: Actor):
    town.register(301, "Olena", username="olena_k")
    with pytest.raises(Refused) as refused:
        act_as(301, admin.organizer_ids)
    assert refused.value.code == "not_organizer"
    appoint(admin, 301)
    assert is_organizer(301, admin.organizer_ids)
    assert [row.user_id for row in organizers(admin)] == [ADMIN_ID, 301]
    deputy = act_as(301, admin.organizer_ids)
    with pytest.raises(Refused) as refused:
        revoke(deputy, ADMIN_ID)
    assert refused.value.code == "permanent_organizer"
    revoke(admin, 301)
    assert not is_organizer(301, admin.organizer_ids)
    assert audit() == [(ADMIN_ID, "appoint", "301", False, True),
                       (ADMIN_ID, "revoke", "301", True, False)]


def test_find_by_username_id_and_part_of_a_name(town: Community, admin: Actor):
    town.register(401, "Олена", "Коваль", username="olena_k")
    town.register(402, "Петро", "Іваненко", username="petro_i")
    for uid in range(500, 515):
        town.register(uid, "Марко", f"Номер{uid}")
    for query, found in (("@olena_k", [401]), ("@OLENA_K", [401]), ("402", [402]),
                         ("олена", [401]), ("Іваненко", [402])):
        assert [m.user_id for m in find(admin, query).matches] == found, query
    assert find(admin, "Олена Коваль").matches[0].label == "Олена Коваль (@olena_k, 401)"
    many = find(admin, "марко")
    assert (len(many.matches), many.more) == (10, 5)  # "and 5 more: refine"
    assert find(admin, "Номер507").more == 0
    assert find(admin, "Nobody").matches == []
    with pytest.raises(Refused):
        find(admin, "  ")


def test_card_shows_answers_status_and_history(town: Community, admin: Actor):
    a_round(town)
    shown = card(admin, 201)
    assert shown.answers["company"] == "Kyiv Tech"
    assert shown.registered and not shown.banned
    assert [line.week for line in shown.history] == [ROUND]
    line = shown.history[0]
    assert line.answer == "yes" and len(line.partners) in (1, 2)
    assert line.met is True
    assert card(admin, 204).history[0].answer == "no"
    with pytest.raises(Refused) as refused:
        card(admin, 999_999)
    assert refused.value.code == "no_such_person"


def test_comment_set_and_clear_leave_audit_rows(town: Community, admin: Actor):
    town.register(601)
    set_comment(admin, 601, "  Prefers mornings ")
    assert User.get_by_id(601).comment == "Prefers mornings"
    clear_comment(admin, 601)
    assert User.get_by_id(601).comment == ""
    with pytest.raises(Refused):
        set_comment(admin, 601, "x" * 1001)
    assert User.get_by_id(601).comment == ""
    assert audit() == [(ADMIN_ID, "comment", "601", "", "Prefers mornings"),
                       (ADMIN_ID, "comment", "601", "Prefers mornings", "")]


def test_a_banned_participant_is_not_invited_until_unbanned(town: Community, admin: Actor):
    town.register(701)
    town.register(702)
    ban(admin, 701)
    assert "invited 1" in town.run_and_deliver("invite").summary
    assert not card(admin, 701).history
    unban(admin, 701)
    assert card(admin, 701).banned is False
    for refused_id, code in ((ADMIN_ID, "ban_self"),):
        with pytest.raises(Refused) as refused:
            ban(admin, refused_id)
        assert refused.value.code == code
    appoint(admin, 702)
    with pytest.raises(Refused) as refused:
        ban(admin, 702)
    assert refused.value.code == "ban_organizer"
    assert [row[1] for row in audit()] == ["ban", "unban", "appoint"]


def test_a_suspension_keeps_its_reason_on_the_card_and_in_the_audit(town: Community,
                                                                    admin: Actor):
    town.register(711, "Тарас", "Шевченко")
    assert card(admin, 711).suspension is None
    ban(admin, 711, "  spam in   the group ")
    suspended = card(admin, 711)
    assert suspended.banned and suspended.suspension is not None
    assert suspended.suspension.reason == "spam in the group"
    assert suspended.suspension.by is None  # the organizer never wrote to the bot
    assert suspended.suspension.actor == ADMIN_ID
    assert audit()[-1] == (ADMIN_ID, "ban", "711", None, "spam in the group")
    unban(admin, 711)
    assert card(admin, 711).suspension is None
    ban(admin, 711)
    assert card(admin, 711).suspension.reason == ""  # type: ignore[union-attr]
    with pytest.raises(Refused):
        ban(admin, 711, "x" * 201)


def test_access_lists_and_modes(town: Community, admin: Actor):
    defaults = defaults_of(town)
    ids = admin.organizer_ids
    assert admission(801, "stranger", False, ids, defaults) is Admission.ADMITTED
    change_setting(admin, "registration_mode", "allow-list", defaults)
    assert admission(801, "stranger", False, ids, defaults) is Admission.NOT_ALLOWED
    add_entry(admin, ALLOW, "@Friend_One")
    assert admission(802, "friend_one", False, ids, defaults) is Admission.ADMITTED
    assert admission(801, "stranger", True, ids, defaults) is Admission.ADMITTED  # registered
    assert admission(ADMIN_ID, None, False, ids, defaults) is Admission.ADMITTED
    add_entry(operator(ids), BLOCK, "803")
    assert admission(803, None, False, ids, defaults) is Admission.BLOCKED
    assert [(e.list_name, e.who) for e in entries(admin)] == [
        (ALLOW, "@friend_one (802)"), (BLOCK, "803")]
    with pytest.raises(Refused) as refused:
        add_entry(admin, ALLOW, "not a name")
    assert refused.value.code == "bad_person"
    remove_entry(admin, "803")
    change_setting(admin, "registration_mode", "closed", defaults)
    # closed lets nobody new in, the allow list included; the registered stay
    assert admission(802, "friend_one", False, ids, defaults) is Admission.CLOSED
    assert admission(801, "stranger", False, ids, defaults) is Admission.CLOSED
    assert admission(802, "friend_one", True, ids, defaults) is Admission.ADMITTED
    assert [row[:3] for row in audit()][-3:] == [(0, "block", "803"), (ADMIN_ID, "unlist", "803"),
                                                 (ADMIN_ID, "setting", "registration_mode")]


def test_blocking_a_registered_participant_bans_them(town: Community, admin: Actor):
    town.register(901, username="spammer_x")
    add_entry(admin, BLOCK, "@spammer_x")
    assert User.get_by_id(901).enabled is False
    remove_entry(admin, "@spammer_x")
    assert User.get_by_id(901).enabled is True


def test_settings_are_validated_with_an_example_and_show_their_source(town: Community,
                                                                      admin: Actor):
    defaults = defaults_of(town)
    shown = {value.key: (value.value, value.source) for value in setting_values(admin, defaults)}
    assert shown["schedule_invite"] == ("thu 09:00", "default")
    with pytest.raises(Refused) as refused:
        change_setting(admin, "schedule_invite", "thursday 25:00", defaults)
    assert (refused.value.params["problem"], refused.value.params["text"]) == ("time", "25:00")
    days = town.bot.parts.vocabulary.words("uk").weekdays()
    with pytest.raises(Refused) as refused:
        change_setting(admin, "schedule_invite", "четверг 9:00", defaults, days)
    assert (refused.value.params["problem"], refused.value.params["text"]) == ("weekday",
                                                                               "четверг")
    for typed in ("четвер 9:00", "Четвер, 09:00", "чт 9", "thursday 09:00"):
        assert change_setting(admin, "schedule_invite", typed, defaults, days).value == \
            "thu 09:00", typed
    assert change_setting(admin, "schedule_feedback", "П'ятниця 15:30", defaults,
                          days).value == "fri 15:30"
    change_setting(admin, "schedule_invite", "Wed 8:30", defaults)
    shown = {value.key: (value.value, value.source) for value in setting_values(admin, defaults)}
    assert shown["schedule_invite"] == ("wed 08:30", "stored")
    reset_setting(admin, "schedule_invite", defaults)
    assert audit()[-2:] == [(ADMIN_ID, "setting", "schedule_invite", "thu 09:00", "wed 08:30"),
                            (ADMIN_ID, "setting", "schedule_invite", "wed 08:30", None)]


def test_glance_and_chart_after_a_round(town: Community, admin: Actor):
    a_round(town)
    glance = at_a_glance(admin)
    assert (glance.registered, glance.active, glance.banned, glance.unreachable) == (4, 3, 0, 0)
    assert glance.current is not None
    assert (glance.current.invited, glance.current.yes, glance.current.no) == (4, 3, 1)
    assert glance.last is not None
    assert (glance.last.pairs, glance.last.trios, glance.last.met) == (0, 1, 1)
    assert glance.last.met_percent == 100
    assert glance.last.meetings == {"met": 1, "not_met": 0, "split": 0, "unknown": 0}
    assert chart_png(admin).startswith(b"\x89PNG")


def test_the_numbers_say_what_they_count(town: Community, admin: Actor):
    """Skipping: declined or skipping the week. Met %: of the answers. A meeting whose
    members disagree is counted as such."""
    town.register(205, "Ірина")
    set_participation(205, ROUND, SKIP, town.clock())  # skips the week before the invitations
    a_round(town)  # 204 declined; the trio 201-203: 201 said they met
    town.people[202].press("Ні, не вийшло")
    town.people[202].press("Не вдалося домовитися про час чи місце")
    glance = at_a_glance(admin)
    assert glance.current is not None and glance.current.week == ROUND
    assert (glance.current.no, glance.current.skipped, glance.paused) == (1, 1, 2)
    assert glance.last is not None
    assert (glance.last.met, glance.last.not_met, glance.last.met_percent) == (1, 1, 50)
    assert glance.last.meetings == {"met": 0, "not_met": 0, "split": 1, "unknown": 0}
    assert glance.last.why_not == {"no_agreement": 1}


def test_round_control(town: Community, admin: Actor):
    for uid in (1001, 1002, 1003):
        town.register(uid)
    schedule = town.bot.schedule_now()
    plans = job_plans(admin, schedule, town.clock())
    assert {job: (plan.week, plan.state, plan.helper) for job, plan in plans.items()} == {
        "invite": (ROUND, "ready", None), "match": (ROUND, "waiting", "invite"),
        "feedback": (ROUND, "waiting", "match")}
    with pytest.raises(Refused) as refused:
        run_job_now(act_as(ADMIN_ID, admin.organizer_ids, town.clock()), town.bot.engine,
                    schedule, "match")
    assert (refused.value.code, refused.value.params["helper"]) == ("job_not_ready", "invite")
    town.run_and_deliver("invite")
    for uid in (1001, 1002):
        town.people[uid].press("Так, беру участь")
    assert len(without_partner(admin, ROUND)) == 2
    planned = preview_pairs(admin, ROUND, profile_fields(town.bot.parts.library))
    now = act_as(ADMIN_ID, admin.organizer_ids, town.clock())  # Thursday, after the invitations
    assert job_plans(now, schedule, now.now)["invite"].state == "done"
    done = run_job_now(now, town.bot.engine, schedule, "match")
    assert (done.week, done.counts["groups"], done.queued) == (ROUND, 1, 4)  # texts, contacts
    assert planned == ["1. Olena Petrenko (1001) + Olena Petrenko (1002)"]
    assert without_partner(admin, ROUND) == []
    assert audit()[-1][1:3] == ("run_job", f"match {ROUND.isoformat()}")
    plans = job_plans(now, schedule, now.now)
    assert (plans["match"].state, plans["feedback"].state) == ("done", "ready")
    assert plans["feedback"].week == ROUND


def test_exports_are_utf8_with_bom_in_the_organizers_words(town: Community, admin: Actor):
    a_round(town)
    set_comment(admin, 201, "Дуже активна")
    ban(admin, 204)
    words = town.bot.parts.vocabulary.words("uk")
    export = participants_export(admin, words, "Кавовий клуб", ZoneInfo("Europe/Kyiv"))
    assert export.file_name == f"Кавовий клуб - учасники - {admin.now.date().isoformat()}.csv"
    people = export.data()
    assert people.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(people.decode("utf-8-sig"))))
    assert [row["Telegram id"] for row in rows] == ["201", "202", "203", "204"]
    assert list(rows[0])[:7] == ["Telegram id", "Ім’я користувача", "Ім’я в Telegram", "Мова",
                                 "Стан", "Перше повідомлення", "Коментар організаторів"]
    assert list(rows[0])[7:10] == ["Ім’я", "Прізвище", "Телефон"]
    assert rows[0]["Коментар організаторів"] == "Дуже активна"
    assert (rows[0]["Робота"], rows[0]["Як часто"], rows[0]["Мова"]) == ("Kyiv Tech", "Щотижня",
                                                                          "Українська")
    assert (rows[0]["Стан"], rows[3]["Стан"]) == ("зареєстровано", "відсторонено")
    english = list(csv.DictReader(io.StringIO(meetings_export(
        admin, town.bot.parts.vocabulary.words("en"), "Kyiv").data().decode("utf-8-sig"))))
    assert sorted(row["Telegram id"] for row in english) == ["201", "202", "203"]
    assert sorted(row["Met"] for row in english) == ["yes", "—", "—"]
