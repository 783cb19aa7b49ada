import datetime

import pytest
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.demo import load_demo
from saferhub.demo.governance import write_outputs
from saferhub.governance.models import Board, Pack, PriorityScore
from saferhub.governance.selectors import coverage_for, ranked_priorities
from saferhub.rendering.pack_pdf import page_texts

NOW = timezone.make_aware(datetime.datetime(2017, 1, 20, 9, 0))


@pytest.fixture
def demo(db):
    return load_demo(now=NOW)


def test_demo_board_has_its_statutory_members_and_the_meeting(demo):
    board = Board.objects.get(partnership=demo)
    assert coverage_for(board, datetime.date(2017, 1, 24)).complete
    meeting = board.meetings.get(date=datetime.date(2017, 1, 24))
    assert list(meeting.items.values_list("number", flat=True)) == [5, 6, 8]
    assert meeting.venue == "Warspite Room, Council House, Plymouth"
    names = [r["priority"].name for r in ranked_priorities(board)]
    assert {"Hate Crime", "Modern Slavery", "Prevent", "Cyber Crime including Fraud"} <= set(names)
    assert all(PriorityScore.objects.values_list("illustrative", flat=True))


def test_loading_twice_changes_nothing(demo):
    # Imports are logged each time they run, even when they change nothing; nothing else may be.
    changes = AuditEvent.objects.exclude(action=AuditAction.IMPORT)
    events = changes.count()
    load_demo(now=NOW)
    assert changes.count() == events and Board.objects.count() == 1


def test_demo_pack_page_references(demo, tmp_path):
    (path,) = write_outputs(partnership=demo, out_dir=tmp_path)
    pack = Pack.objects.get()
    assert path.read_bytes() == bytes(pack.pdf)
    texts = page_texts(path.read_bytes())
    for entry in pack.contents[1:]:
        first = texts[entry["first_page"] - 1]
        assert f"Agenda Item {entry['number']}" in first and f"Page {entry['first_page']}" in first
    # The live commissioning paper carries the demo fund's intentions and balances.
    # (Item 5 opens with the seed's written paper; the live paper follows it within the item.)
    item5 = pack.contents[1]
    commissioning = " ".join(texts[item5["first_page"] - 1 : item5["last_page"]])
    assert "The fund's balances on 24 January 2017" in commissioning and "No commissioning data" not in commissioning
    assert "Performance report" in texts[pack.contents[3]["first_page"] - 1]
    # Written again: the same issue, not a new one.
    write_outputs(partnership=demo, out_dir=tmp_path)
    assert Pack.objects.count() == 1
