"""The meetings feed against hostile text (security review, finding 11): whatever a board's name,
a venue or an agenda subject holds (CR, LF, CRLF, ';', ',', '\\', long lines, any script, text
that looks like iCalendar), the feed holds exactly the calendar, time zone and events it should,
each with exactly its own properties, and the text comes back as it was typed."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command
from icalendar import Calendar

from saferhub.governance import services as s
from saferhub.governance.ics import calendar
from saferhub.partnerships.services import partnership_create

from .conftest import NOW

HOSTILE = [
    "Room 1\rX-INJECTED:lone CR",
    "Room 2\nX-INJECTED:lone LF",
    "Room 3\r\nX-INJECTED:CRLF",
    "Room 4\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:forged@evil\r\nSUMMARY:a forged meeting",
    "BEGIN:VEVENT",
    "semi;colon, comma and back\\slash \\n \\, \\; (already escaped-looking)",
    'LOCATION;ALTREP="http://evil":quoted "text" with a : colon',
    "Café ☕ Ŵrecsam — 東京 𝄞 " * 6,  # multi-byte characters across the 75-octet folds
    "x" * 199,
    " leading and trailing spaces \t",
]
PROPERTIES = {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION"}
CALENDAR_PROPERTIES = {"VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME"}


def typed(text: str) -> str:
    """What the text means: any line end is a line break."""
    return re.sub(r"\r\n|\r", "\n", text)


@pytest.fixture
def hostile_board(db):
    partnership = partnership_create(slug="hostile", name="Hostile", local_authorities=["Plymouth"])
    name = "Board;\r\nX-WR-CALNAME:forged,\rname\\"
    board = s.board_create(partnership=partnership, name=name, actor="test", now=NOW)
    for i, text in enumerate(HOSTILE):
        meeting = s.meeting_create(
            board=board,
            date=datetime.date(2017, 1, 1) + datetime.timedelta(days=7 * i),
            starts_at=datetime.time(10),
            venue=text,
            actor="test",
            now=NOW,
        )
        s.agenda_item_create(meeting=meeting, number=1, subject=text, purpose="To note.", actor="test", now=NOW)
        s.agenda_item_create(
            meeting=meeting, number=2, subject="Any other business", purpose="-", actor="test", now=NOW
        )
    return board


def _feed_by(how: str, board, client) -> bytes:
    if how == "calendar":
        return calendar(
            board.meetings.prefetch_related("items"), host="example.org", now=NOW, name=f"{board.name} meetings"
        )
    if how == "web":
        from saferhub.accounts.models import User

        client.force_login(User.objects.create_user(username="board1", password="x", role="board"))
        response = client.get(f"/governance/{board.partnership.slug}/meetings.ics")
        assert response.status_code == 200
        return response.content
    out = io.BytesIO()

    class Stdout:
        buffer = out

    import sys

    real, sys.stdout = sys.stdout, Stdout()  # the command writes bytes to sys.stdout.buffer
    try:
        call_command("ics", "--partnership", board.partnership.slug, "--host", "example.org")
    finally:
        sys.stdout = real
    return out.getvalue()


@pytest.mark.parametrize("how", ["calendar", "web", "command"])
def test_hostile_text_in_every_field_cannot_add_events_or_properties(hostile_board, client, how):
    raw = _feed_by(how, hostile_board, client)
    text = raw.decode("utf-8")
    # Content lines end in CRLF and nothing else: no bare CR or LF that a lenient reader would
    # take for a line end; no line over 75 octets.
    assert re.search(r"\r(?!\n)|(?<!\r)\n", text) is None
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    # Read as the most lenient client would (any of CR, LF, CRLF ends a line), the feed is exactly
    # one calendar, one time zone and one event a meeting, each with exactly its properties.
    lenient = re.sub(r"\r\n|\r|\n", "\r\n", text)
    cal = Calendar.from_ical(lenient)
    assert set(cal.keys()) == CALENDAR_PROPERTIES
    if how == "calendar":  # the page and the command name it themselves
        # icalendar reads a property it does not know as raw text: unescape it as TEXT (RFC 5545 3.3.11)
        raw_name = str(cal["X-WR-CALNAME"])
        name = re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw_name)
        assert name == typed(f"{hostile_board.name} meetings")
    assert [c.name for c in cal.subcomponents] == ["VTIMEZONE"] + ["VEVENT"] * len(HOSTILE)
    events = cal.walk("VEVENT")
    meetings = list(hostile_board.meetings.order_by("date"))
    assert len(events) == len(meetings)
    for event, meeting in zip(sorted(events, key=lambda e: e["DTSTART"].dt), meetings, strict=True):
        assert set(event.keys()) == PROPERTIES and not event.subcomponents
        assert str(event["LOCATION"]) == typed(meeting.venue)
        assert str(event["DESCRIPTION"]) == typed(f"Agenda: 1. {meeting.venue}; 2. Any other business")
        assert str(event["SUMMARY"]) == typed(f"{hostile_board.name}: quarterly board meeting")
        assert str(event["UID"]).startswith(f"meeting-{meeting.pk}@")
        assert event["DTSTART"].dt.replace(tzinfo=None) == datetime.datetime.combine(meeting.date, datetime.time(10))
        assert str(event["DTSTART"].params["TZID"]) == "Europe/London"
