"""An iCalendar (RFC 5545) feed of a board's meetings, written by ``icalendar`` (a kept library)
rather than by hand: it escapes text, ends lines in CRLF and folds them at 75 octets without
splitting a character. Meeting times are local (Europe/London) with a TZID, and icalendar adds the
zone's definition (VTIMEZONE, from tzdata) for the span of the meetings, so calendars show the
right hour in summer and winter.

Every piece of text (board names, venues, agenda subjects) goes in as ``vText``, and any line end
in it (CR, LF or CRLF) is made one line break first: a lone CR must never reach the feed, where a
lenient client would take it for the end of a line and read what follows as a property of its own.
(icalendar 7.3 leaves text unescaped in a property it does not know, such as X-WR-CALNAME, unless
it is given as vText: tests/governance/test_ics.py checks every field.)"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText

from .models import Meeting

PRODID = "-//saferhub//Board meetings//EN"
TZID = "Europe/London"
LONDON = ZoneInfo(TZID)


def text(value: str) -> vText:
    """A TEXT value: line ends of any kind become the one line break iCalendar escapes as \\n."""
    return vText(re.sub(r"\r\n|\r", "\n", value))


def meeting_event(meeting: Meeting, *, host: str, stamp: datetime.datetime) -> Event:
    end = (
        meeting.ends_at
        or (datetime.datetime.combine(meeting.date, meeting.starts_at) + datetime.timedelta(hours=2)).time()
    )
    items = "; ".join(f"{i.number}. {i.subject}" for i in meeting.items.all())
    event = Event()
    event.add("uid", text(f"meeting-{meeting.pk}@{host}"))
    event.add("dtstamp", stamp.astimezone(datetime.timezone.utc))
    event.add("dtstart", datetime.datetime.combine(meeting.date, meeting.starts_at, tzinfo=LONDON))
    event.add("dtend", datetime.datetime.combine(meeting.date, end, tzinfo=LONDON))
    event.add("summary", text(f"{meeting.board.name}: {meeting.get_kind_display().lower()} board meeting"))
    event.add("location", text(meeting.venue))
    if items:
        event.add("description", text("Agenda: " + items))
    return event


def calendar(meetings: Iterable[Meeting], *, host: str, now: datetime.datetime, name: str = "Board meetings") -> bytes:
    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", text(name))
    dates = []
    for m in meetings:
        # DTSTAMP: when this meeting's record last changed, so feeds stay stable between requests.
        cal.add_component(meeting_event(m, host=host, stamp=m.updated_at or now))
        dates.append(m.date)
    if dates:
        cal.add_missing_timezones(
            first_date=min(dates) - datetime.timedelta(days=1), last_date=max(dates) + datetime.timedelta(days=1)
        )
    data: bytes = cal.to_ical()
    return data
