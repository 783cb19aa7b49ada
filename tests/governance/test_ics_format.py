"""The meetings feed's format (RFC 5545): folded lines, escaped text, CRLF, one event a meeting;
and `saferhub ics`, which prints it."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from saferhub.governance import services as s
from saferhub.governance.ics import calendar

from .conftest import NOW


def _feed_with_venue(board, venue: str) -> str:
    s.meeting_create(
        board=board,
        date=datetime.date(2017, 3, 8),
        starts_at=datetime.time(14),
        venue=venue,
        kind="extraordinary",
        actor="t",
        now=NOW,
    )
    return calendar(board.meetings.all(), host="example.org", now=NOW).decode()


def test_the_feed_keeps_lines_within_75_octets_and_whole_characters(board):
    venue = "Café ☕ " * 25  # within the venue field's 200 characters (PostgreSQL holds it to them)
    lines = _feed_with_venue(board, venue).split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in lines)
    start = next(i for i, p in enumerate(lines) if p.startswith("LOCATION:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    assert end - start > 1  # folded, each continuation line starting with a space
    assert "".join(p[1:] if i else p for i, p in enumerate(lines[start:end])) == "LOCATION:" + venue


def test_the_feed_escapes_text(board):
    assert "LOCATION:a\\,b\\;c\\\\d\\ne\r\n" in _feed_with_venue(board, "a,b;c\\d\ne")


def test_calendar_has_crlf_lines_and_an_event_per_meeting(board, meeting):
    s.meeting_create(
        board=board,
        date=datetime.date(2017, 3, 8),
        starts_at=datetime.time(14),
        venue="Room 2",
        kind="extraordinary",
        actor="t",
        now=NOW,
    )
    data = calendar(board.meetings.all(), host="example.org", now=NOW).decode()
    assert "\n" not in data.replace("\r\n", "")
    assert data.count("BEGIN:VEVENT") == 2 and "SUMMARY:Safer Testham: extraordinary board meeting" in data
    # No end time given: two hours.
    assert "DTEND;TZID=Europe/London:20170308T160000" in data
    assert f"UID:meeting-{meeting.pk}@example.org" in data


def test_ics_command(meeting, capsys):
    call_command("ics", "--partnership", "testham")
    assert "BEGIN:VEVENT" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("ics", "--partnership", "nope")
