import datetime

import pytest
from django.core.management import CommandError, call_command

from saferhub.governance import services as s
from saferhub.governance.ics import calendar, escape, fold
from saferhub.governance.models import Pack
from saferhub.rendering.pack_pdf import page_texts

from .conftest import NOW, blank_pdf


@pytest.fixture
def item(meeting):
    item = s.agenda_item_create(
        meeting=meeting, number=6, subject="Draft Terms of Reference", purpose="To discuss.", actor="t", now=NOW
    )
    s.paper_add(item=item, title="Paper", content=blank_pdf(2), actor="t", now=NOW)
    return item


def test_pack_command_issues_then_writes_the_issued_pack(item, tmp_path):
    out = tmp_path / "pack.pdf"
    call_command("pack", "--partnership", "testham", "--date", "2017-01-24", "--format", "pdf", "-o", str(out))
    pack = Pack.objects.get()
    assert out.read_bytes() == bytes(pack.pdf) and pack.kind == "agenda" and pack.pages == 3
    assert "(Pages 2 – 3)" in page_texts(out.read_bytes())[0].replace("\n", " ")
    # Running it again writes the same issue, unchanged; --new-issue makes a supplement.
    call_command("pack", "--partnership", "testham", "--date", "2017-01-24", "--format", "pdf", "-o", str(out))
    assert Pack.objects.count() == 1 and out.read_bytes() == bytes(pack.pdf)
    call_command("pack", "--partnership", "testham", "--date", "2017-01-24", "-o", str(out), "--new-issue")
    assert list(Pack.objects.values_list("issue", "kind")) == [(1, "agenda"), (2, "supplement")]


def test_pack_command_errors(item, tmp_path):
    with pytest.raises(CommandError, match="no board meeting"):
        call_command("pack", "--partnership", "testham", "--date", "2017-02-01", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="not a date"):
        call_command("pack", "--partnership", "testham", "--date", "24/01/2017", "-o", str(tmp_path / "x.pdf"))


def test_fold_keeps_lines_within_75_octets_and_whole_characters():
    line = "DESCRIPTION:" + "Café ☕ " * 40
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_escape_text():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


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


def test_board_command_sets_the_quorum_and_the_scoring_scheme(board, tmp_path, capsys):
    import json

    from saferhub.audit.models import AuditEvent
    from saferhub.domain.governance import DEFAULT_SCHEME

    call_command(
        "board",
        "--partnership",
        "testham",
        "--quorum-members",
        "6",
        "--quorum-statutory",
        "4",
        "--deputies-count",
        "no",
    )
    board.refresh_from_db()
    assert (board.quorum_minimum_members, board.quorum_minimum_statutory, board.quorum_deputies_count) == (6, 4, False)
    assert AuditEvent.objects.filter(object_type="governance.board", action="update").get().before == {
        "quorum_minimum_members": 4,
        "quorum_minimum_statutory": 3,
        "quorum_deputies_count": True,
    }
    scheme = {**DEFAULT_SCHEME.to_config(), "name": "Testham 1-5", "harm": [["physical", 1, 5], ["community", 1, 5]]}
    path = tmp_path / "scheme.json"
    path.write_text(json.dumps(scheme))
    call_command("board", "--partnership", "testham", "--scoring-scheme", str(path))
    capsys.readouterr()
    call_command("board", "--partnership", "testham", "--show")
    shown = json.loads(capsys.readouterr().out)
    assert shown["scoring_scheme"]["name"] == "Testham 1-5" and shown["scoring_scheme"]["harm"][0] == ["physical", 1, 5]
    with pytest.raises(CommandError, match="more statutory agencies than members"):
        call_command("board", "--partnership", "testham", "--quorum-statutory", "9")
