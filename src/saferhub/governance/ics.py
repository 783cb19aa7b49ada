"""An iCalendar (RFC 5545) feed of a board's meetings, written by hand: CRLF line ends, text
escaped, lines folded at 75 octets without splitting a UTF-8 character. Meeting times are local
(Europe/London) and given with a TZID and the zone's definition, so calendars show the right hour
in summer and winter."""

from __future__ import annotations

import datetime
from typing import Iterable

from .models import Meeting

PRODID = "-//saferhub//Board meetings//EN"
TZID = "Europe/London"
VTIMEZONE = [
    "BEGIN:VTIMEZONE", f"TZID:{TZID}",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST", "DTSTART:19700329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT", "DTSTART:19701025T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE",
]


def escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, continuation lines starting with a space."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines carry the leading space
        if size + n > limit:
            out.append(current)
            current, size = "", 0
        current += ch
        size += n
    out.append(current)
    return "\r\n ".join(out)


def _local(d: datetime.date, t: datetime.time) -> str:
    return f"{d:%Y%m%d}T{t:%H%M%S}"


def meeting_lines(meeting: Meeting, *, host: str, stamp: datetime.datetime) -> list[str]:
    end = meeting.ends_at or (datetime.datetime.combine(meeting.date, meeting.starts_at) + datetime.timedelta(hours=2)).time()
    items = "; ".join(f"{i.number}. {i.subject}" for i in meeting.items.all())
    summary = f"{meeting.board.name}: {meeting.get_kind_display().lower()} board meeting"
    return [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{host}",
        f"DTSTAMP:{stamp.astimezone(datetime.timezone.utc):%Y%m%dT%H%M%SZ}",
        f"DTSTART;TZID={TZID}:{_local(meeting.date, meeting.starts_at)}",
        f"DTEND;TZID={TZID}:{_local(meeting.date, end)}",
        f"SUMMARY:{escape(summary)}",
        f"LOCATION:{escape(meeting.venue)}",
        *([f"DESCRIPTION:{escape('Agenda: ' + items)}"] if items else []),
        "END:VEVENT",
    ]


def calendar(meetings: Iterable[Meeting], *, host: str, now: datetime.datetime, name: str = "Board meetings") -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}", *VTIMEZONE]
    for m in meetings:
        # DTSTAMP: when this meeting's record last changed, so feeds stay stable between requests.
        lines += meeting_lines(m, host=host, stamp=m.updated_at or now)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
