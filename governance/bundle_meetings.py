"""The org bundle's meetings and attendance (stakeholders.bundle, section `meetings`):
stored and read here, since meetings are governance's. The bundle checks the entries
(their form, identities and references to people) and calls these through
stakeholders.ports.bundle_meetings, inside its one transaction.
"""

from __future__ import annotations

from collections import defaultdict

from governance import services
from governance.models import Attendance, Meeting
from stakeholders.bulk import HistoryWriter


def delete_all(writer: HistoryWriter) -> None:
    """--replace: remove every meeting and its attendance (attendance first)."""
    writer.delete(Attendance)
    writer.delete(Meeting)


def write(rows: list[dict], person_ids: dict[str, int], writer: HistoryWriter) -> tuple[int, int]:
    """Add the bundle's new meetings and make each meeting's attendance the bundle's;
    (created, updated) meetings (two reads, then bulk writes)."""
    existing = {(m.date, m.title): m for m in Meeting.objects.order_by("pk")}
    new, meetings = [], {}
    for row in rows:
        key = (row["date"], row["title"])
        meeting = existing.get(key)
        if meeting is None:
            meeting = Meeting(date=row["date"], title=row["title"])
            new.append(meeting)
        meetings[key] = meeting
    writer.create(Meeting, new)

    # The bundle's attendance replaces the meeting's attendance rows.
    current: dict[int, dict[int, Attendance]] = defaultdict(dict)
    for attendance in Attendance.objects.order_by("pk"):
        current[attendance.meeting_id][attendance.person_id] = attendance
    stale, fresh, flipped, updated, touched = [], [], [], set(), set()
    for row in rows:
        key = (row["date"], row["title"])
        meeting = meetings[key]
        before = (len(stale), len(fresh), len(flipped))
        want = {person_ids[email]: present for email, present in row["attendance"].items()}
        have = current.get(meeting.pk, {})
        for person_id, attendance in have.items():
            if person_id not in want:
                stale.append(attendance)
            elif attendance.present != want[person_id]:
                attendance.present = want[person_id]
                flipped.append((attendance, {"present"}))
        for person_id, present in want.items():
            if person_id not in have:
                fresh.append(Attendance(meeting=meeting, person_id=person_id, present=present))
        if (len(stale), len(fresh), len(flipped)) != before:
            touched.add(meeting.pk)
            if key in existing:
                updated.add(key)
    writer.delete(Attendance, stale)
    writer.update(Attendance, flipped)
    writer.create(Attendance, fresh)
    # The figures the meeting list and the API show are stored with the attendance.
    services.meeting_counts_refresh(
        as_of=max((m.date for m in meetings.values()), default=None), meetings=touched
    )
    return len(new), len(updated)


def export(email_of: dict[int, str]) -> list[dict]:
    """Every meeting as a bundle entry, by date then title (two queries)."""
    meetings = sorted(
        Meeting.objects.values("id", "date", "title"), key=lambda m: (m["date"], m["title"])
    )
    attendance: dict[int, dict[str, bool]] = defaultdict(dict)
    for meeting_id, person_id, present in Attendance.objects.values_list(
        "meeting_id", "person_id", "present"
    ):
        attendance[meeting_id][email_of[person_id]] = present
    return [
        {
            "date": m["date"].isoformat(),
            "title": m["title"],
            "attendance": dict(sorted(attendance[m["id"]].items())),
        }
        for m in meetings
    ]
