"""Writes a database of the layout before the engine and the application had schemas of their
own (revision fe213f4: every model in engine/store/models.py, one list of migrations), with
rows in every table, as the fixture the upgrade test opens with today's code.

Run from a checkout of fe213f4 (`git worktree add /tmp/old fe213f4`), with that checkout first
on the path:  cd /tmp/old && python PATH/TO/make.py sqlite:///OUT.sqlite3
For PostgreSQL, point it at an empty database and dump it with
`pg_dump --inserts --no-owner --no-privileges URL > layout.postgresql.sql`.
"""

import datetime as dt
import sys

sys.path.insert(0, ".")

from engine import store

AT = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)

db = store.open_database(sys.argv[1])
with db.atomic():
    for number in range(1, 5):
        user = store.User.create(id=1000 + number, first_name=f"Олена{number}", last_name="Б",
                                 username=f"user{number}", locale="uk", registered=True,
                                 comment="коментар" if number == 1 else "", created_at=AT)
        store.DialogState.create(user=user, flow="start", state="ProfileState",
                                 context={"keyboard": number, "values": {"week": "2026-11-30"}})
        store.Answer.create(user=user, key="frequency", value="weekly", updated_at=AT)
        store.Answer.create(user=user, key="topics", value=["books", "it"], updated_at=AT)
    note = store.OrganizerNote.create(user=1001, text="Дякую!", created_at=AT)
    round_ = store.Round.create(week=dt.date(2026, 11, 30), status="matched", created_at=AT)
    for number in range(1, 5):
        store.Participation.create(round=round_, user=1000 + number, status="yes",
                                   updated_at=AT)
    for first in (1001, 1003):
        meeting = store.Meeting.create(round=round_, created_at=AT)
        for user_id in (first, first + 1):
            store.MeetingMember.create(meeting=meeting, user=user_id, introduced_at=AT)
        store.MeetingFeedback.create(meeting=meeting, user=first, happened=True, rating=5,
                                     comment="чудово", updated_at=AT)
    store.Outbox.create(key="invite:2026-11-30:1001:0", user=1001, kind="invite",
                        payload={"text": "Привіт"}, status="sent", created_at=AT, sent_at=AT)
    store.JobRun.create(round=round_, job="invite", started_at=AT, alive_at=AT,
                        finished_at=AT, summary="invite 2026-11-30: invited 4")
    store.Setting.create(key="community_name", value="Кавовий клуб")
    store.Organizer.create(user_id=1002, appointed_by=999, created_at=AT)
    store.AuditEntry.create(actor=999, action="appoint", target="1002", old=None, new=True,
                            created_at=AT)
    store.AccessEntry.create(list_name="allow", username="stepan_new", added_by=999,
                             created_at=AT)
    store.NoteRead.create(note=note, read_by=999, read_at=AT)
    store.Broadcast.create(author=999, text="<b>Новини</b>", audience="all", status="done",
                           total=4, created_at=AT)
    store.PanelLoginLink.create(nonce="n" * 43, user_id=999, created_at=AT)
    store.HandledUpdate.create(update_id=500, handled_at=AT)
    store.ReceivedUpdate.create(update_id=501, user_id=1001, payload={"update_id": 501},
                                received_at=AT)
db.close()
