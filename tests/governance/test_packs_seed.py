"""The seed's supplement pack of 24 January 2017, rebuilt from the demo and read back from the
PDF page by page (pdftotext): the agenda's page references, item 5's written paper with its
recommendations table, the fund's position as it stood that day, one page numbering, and the
terms of reference's lists."""

import datetime
import re
import subprocess

import pytest
from django.utils import timezone

from saferhub.demo import load_demo
from saferhub.governance.models import Meeting
from saferhub.governance.packs import pack_issue

from .test_packs import agenda_ranges

LOADED = timezone.make_aware(datetime.datetime(2017, 1, 20, 9, 0))


def pages_of(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True)
    return out.stdout.split("\f")[:-1]  # pdftotext ends each page with a form feed


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def seed_pack(db, tmp_path):
    """Issued today, years after the meeting, as a user would issue it again."""
    partnership = load_demo(now=LOADED)
    meeting = Meeting.objects.get(board__partnership=partnership, date=datetime.date(2017, 1, 24))
    pack = pack_issue(meeting=meeting, kind="supplement", actor="t", now=timezone.now())
    return pack, pages_of(bytes(pack.pdf), tmp_path)


def test_the_seed_pack_rebuilt(seed_pack):
    pack, pages = seed_pack
    assert len(pages) == pack.pages
    subjects = {5: "Commissioning Intentions 2017-18", 6: "Draft Terms of Reference", 8: "Performance update"}
    ranges = agenda_ranges(pages[0], list(subjects.values()))
    assert set(ranges) == set(subjects.values())

    # The agenda's "(Pages a - b)" are the real pages: each item's pages carry its header, the
    # items follow each other, and the last ends on the PDF's last page.
    expected_first = pack.contents[0]["agenda_pages"] + 1
    for number, subject in subjects.items():
        first, last = ranges[subject]
        assert first == expected_first
        for page in range(first, last + 1):
            assert f"Agenda Item {number}: {subject}" in pages[page - 1]
        expected_first = last + 1
    assert expected_first - 1 == len(pages)

    # One numbering: each page says "Page n" once, n its place in the PDF; no paper keeps its own
    # ("Page 1 of 12", "Page 4 of 4").
    for n, text in enumerate(pages, start=1):
        assert re.findall(r"\bPage (\d+)\b", text) == [str(n)], f"page {n}"
        assert not re.search(r"Page \d+ of \d+", text), f"page {n}"

    # Item 5 is the seed's narrative paper, with its sections and its recommendations table.
    first, last = ranges[subjects[5]]
    item5 = flat(" ".join(pages[first - 1 : last]))
    for heading in (
        "Integrated Commissioning – January 2017",
        "1. Background",
        "3. Plymouth Strategic Assessment",
        "4. Current picture/strategic context",
        "4.3 Hate Crime",
        "5. Recommendations",
    ):
        assert heading in item5, heading
    # The recommendations table is a table: each row's cells side by side on one line.
    lines = " ".join(pages[first - 1 : last]).splitlines()
    for cells in (
        ("Area/Need", "Recommendation", "OPCC", "Total"),
        ("Ensure we support victims of Domestic", "Continue to commission the Plymouth", "£110,000", "£501,753"),
        ("Ensure that we support victims of sexual", "Continue to commission a therapeutic", "£25,000", "£75,000"),
        ("Ensure access to an alcohol and substance", "Continue to commission a community drug", "£98,500", "£2m"),
        ("Both CSE and PDAP groups have", "Work with PDAP and MACSE to scope,", "Awaiting"),
        ("Ensure key themes are kept high profile with", "Explore opportunities to commission a co-", "Tbc"),
    ):
        assert any(re.search(r".*?\s{2,}".join(map(re.escape, cells)), line) for line in lines), cells
    assert "£2m" in item5
    # Scores that are not agreed are not in the pack.
    assert "MoRiLE" not in item5 and "Illustrative" not in item5

    # The fund's position as it stood on 24 January 2017, not as it is known today.
    assert "On 24 January 2017, 3 of the 8 intentions for 2017/18 had been confirmed, for £233,500." in item5
    assert "The fund's balances on 24 January 2017" in item5
    balances = item5[item5.index("Community Safety Fund 2017/18 Award") :]
    # In the order that reconciles: available less confirmed intentions is not yet allocated.
    assert balances.startswith(
        "Community Safety Fund 2017/18 Award £400,568 Carried forward £0 Available £400,568"
        " Confirmed intentions £233,500 Not yet allocated to a confirmed intention £167,068"
        " Committed to projects £0 Not yet committed £400,568"
    ), balances[:300]
    assert "£428,246" not in item5

    # The terms of reference keep their headings and lists.
    first, last = ranges[subjects[6]]
    terms = " ".join(pages[first - 1 : last])
    for heading in ("Purpose and values", "Functions and responsibilities", "Accountability", "Membership"):
        assert re.search(rf"^\s*{heading}\s*$", terms, re.M), heading
    bullets = re.findall(r"^\s*• (.+)$", terms, re.M)
    assert "Police" in bullets and "Fire & Rescue" in bullets and "Probation" in bullets
    assert any(b.startswith("Democratic: making Plymouth") for b in bullets)
    assert len(bullets) >= 4 + 9 + 6 + 5


def test_the_performance_paper_uses_the_figures_as_reported_by_the_meeting(db, tmp_path):
    """A revision received after the meeting does not change the paper when the pack is rebuilt."""
    from saferhub.performance.models import ImportRun, Indicator, IndicatorValue

    partnership = load_demo(now=LOADED)
    meeting = Meeting.objects.get(board__partnership=partnership, date=datetime.date(2017, 1, 24))
    indicator = Indicator.objects.get(partnership=partnership, code="overall-crime")
    assert IndicatorValue.objects.get(indicator=indicator, period="2016-11").value == 1575
    later = timezone.make_aware(datetime.datetime(2017, 2, 10, 9, 0))
    run = ImportRun.objects.create(kind="indicators", partnership=partnership, started_at=later, finished_at=later)
    IndicatorValue.objects.create(
        indicator=indicator, period="2016-11", value=9999, reported_on=datetime.date(2017, 2, 10), run=run
    )
    pack = pack_issue(meeting=meeting, kind="agenda", item_numbers=[8], actor="t", now=timezone.now())
    text = " ".join(pages_of(bytes(pack.pdf), tmp_path))
    assert "1,575" in text and "9,999" not in text


def test_the_sources_note_names_only_the_imports_received_by_the_pack_date(db, tmp_path):
    """The performance paper's sources note, like its figures, is as it stood at the pack's date:
    a later import run is not listed in a pack dated before it, and is in one dated after it."""
    from saferhub.governance import services as s
    from saferhub.performance.services import indicators_import

    partnership = load_demo(now=LOADED)
    meeting = Meeting.objects.get(board__partnership=partnership, date=datetime.date(2017, 1, 24))
    later = timezone.make_aware(datetime.datetime(2017, 2, 10, 9, 0))
    upload = tmp_path / "upload.csv"
    upload.write_text(
        "indicator,period,value,numerator,denominator,target,target_kind,reported_on\n"
        "overall-crime,2016-12,1500,,,,,2017-02-10\n"
    )
    indicators_import(path=upload, partnership=partnership, now=later, name="february.csv")

    def sources_note(pack) -> str:
        text = flat(" ".join(pages_of(bytes(pack.pdf), tmp_path)))
        return text[text.index("Data sources and notes") :]

    before = sources_note(pack_issue(meeting=meeting, kind="agenda", item_numbers=[8], actor="t", now=timezone.now()))
    assert "on 20 January 2017: 1 file (figures.csv)" in before
    assert "Devon and Cornwall Police, received 16 January 2017" in before
    assert "february.csv" not in before and "10 February 2017" not in before

    march = s.meeting_create(
        board=meeting.board,
        date=datetime.date(2017, 3, 14),
        starts_at=datetime.time(10),
        venue="Council House",
        actor="t",
        now=later,
    )
    item = s.agenda_item_create(
        meeting=march, number=8, subject="Performance", purpose="To note.", actor="t", now=later
    )
    s.paper_add(item=item, title="Performance report", generator="performance_report", actor="t", now=later)
    after = sources_note(pack_issue(meeting=march, kind="agenda", actor="t", now=timezone.now()))
    assert "on 10 February 2017: 1 file (february.csv)" in after
    assert "on 20 January 2017: 1 file (figures.csv)" in after
    assert "Devon and Cornwall Police, received 10 February 2017" in after


def footer_lines(pdf: bytes) -> list[str]:
    """What each page prints below its text (in the last 14 mm of the page, under the papers'
    18 mm bottom margin), read from the PDF's words (pdfplumber), in reading order."""
    import io

    import pdfplumber

    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            words = [w for w in page.extract_words() if float(w["top"]) > float(page.height) - 40]
            words.sort(key=lambda w: (round(float(w["top"])), float(w["x0"])))
            out.append(" ".join(str(w["text"]) for w in words))
    return out


def test_every_page_of_the_seed_pack_carries_the_packs_footer(seed_pack):
    """One footer on every page, the pack's: its name, date and issue and the page's one number.
    Before, only the agenda's page had "Safer Plymouth, 24 January 2017: issue 1"; items 5 and 6
    had none, and item 8's pages carried the performance report's own footer."""
    pack, pages = seed_pack
    footers = footer_lines(bytes(pack.pdf))
    assert len(footers) == pack.pages
    for n, footer in enumerate(footers, start=1):
        assert footer == f"Safer Plymouth supplement pack, 24 January 2017: issue 1 Page {n}", f"page {n}"
    assert not any("performance report, November 2016" in text for text in pages)
