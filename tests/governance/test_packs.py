import datetime
import hashlib
import re
import subprocess

import pytest

from saferhub.governance import services as s
from saferhub.governance.models import ImmutableRecord, Pack
from saferhub.governance.packs import pack_issue, pack_verify
from saferhub.rendering.pack_pdf import page_count, page_texts

from .conftest import MEETING_DAY, NOW, blank_pdf


def agenda_ranges(text: str, subjects: list[str]) -> dict[str, tuple[int, int]]:
    """The "(Pages a - b)" the agenda prints after each subject that has paperwork."""
    text = re.sub(r"\s+", " ", text)
    found = {}
    for subject in subjects:
        m = re.search(re.escape(subject) + r" \(Pages (\d+) [–-] (\d+)\)\*", text)
        if m:
            found[subject] = (int(m.group(1)), int(m.group(2)))
    return found


def pdftotext_page(pdf: bytes, page: int, tmp_path) -> str:
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def agenda(meeting, board):
    s.terms_create(
        board=board,
        version="v1",
        drafted_on=datetime.date(2017, 1, 10),
        sections=[("Vision", "A city where people feel safe."), ("Review", "Reviewed yearly.")],
        actor="t",
        now=NOW,
    )
    items = {}
    for number, subject in [
        (1, "Apologies"),
        (5, "Commissioning Intentions"),
        (6, "Draft Terms of Reference"),
        (7, "Any other business"),
        (8, "Performance update"),
    ]:
        items[number] = s.agenda_item_create(
            meeting=meeting,
            number=number,
            subject=subject,
            purpose=f"To discuss {subject.lower()}.",
            actor="t",
            now=NOW,
        )
    s.paper_add(item=items[5], title="Commissioning update", generator="commissioning_update", actor="t", now=NOW)
    s.paper_add(item=items[5], title="Intentions appendix", content=blank_pdf(3, "Appendix"), actor="t", now=NOW)
    s.paper_add(item=items[6], title="Draft terms", generator="terms_of_reference", actor="t", now=NOW)
    s.paper_add(
        item=items[8], title="Uploaded performance paper", content=blank_pdf(2, "Performance"), actor="t", now=NOW
    )
    return items


def test_agenda_page_numbers_are_the_pages_of_the_pdf(agenda, meeting, tmp_path):
    pack = pack_issue(meeting=meeting, kind="supplement", actor="t", now=NOW)
    pdf = bytes(pack.pdf)
    texts = page_texts(pdf)
    assert len(texts) == pack.pages == page_count(pdf)
    ranges = agenda_ranges(
        pdftotext_page(pdf, 1, tmp_path),
        [
            "Apologies",
            "Commissioning Intentions",
            "Draft Terms of Reference",
            "Any other business",
            "Performance update",
        ],
    )
    # Supplement: only the items with papers, numbered from the agenda's first page.
    assert set(ranges) == {"Commissioning Intentions", "Draft Terms of Reference", "Performance update"}
    expected_next = pack.contents[0]["agenda_pages"] + 1
    for item_number, subject in [
        (5, "Commissioning Intentions"),
        (6, "Draft Terms of Reference"),
        (8, "Performance update"),
    ]:
        first, last = ranges[subject]
        assert first == expected_next, "items follow each other without gaps"
        for page in range(first, last + 1):
            text = pdftotext_page(pdf, page, tmp_path)
            assert f"Agenda Item {item_number}: {subject}" in text and f"Page {page}" in text
        expected_next = last + 1
    assert expected_next - 1 == pack.pages
    # The item's own paper starts on its first page; the uploaded 3-page appendix sits inside item 5.
    assert "Commissioning update" in pdftotext_page(pdf, ranges["Commissioning Intentions"][0], tmp_path)
    assert ranges["Commissioning Intentions"][1] - ranges["Commissioning Intentions"][0] + 1 >= 4
    assert "Appendix sheet 3" in pdftotext_page(pdf, ranges["Commissioning Intentions"][1], tmp_path)
    assert "Vision" in pdftotext_page(pdf, ranges["Draft Terms of Reference"][0], tmp_path)
    assert "Performance sheet 1" in pdftotext_page(pdf, ranges["Performance update"][0], tmp_path)


def test_a_long_agenda_shifts_the_page_numbers(meeting, tmp_path):
    """An agenda of many items runs to several pages; the papers' numbers follow it."""
    for n in range(1, 60):
        s.agenda_item_create(
            meeting=meeting, number=n, subject=f"Item subject {n}", purpose="To note the item " * 6, actor="t", now=NOW
        )
    last = s.agenda_item_create(
        meeting=meeting, number=60, subject="The paper", purpose="To receive.", actor="t", now=NOW
    )
    s.paper_add(item=last, title="Paper", content=blank_pdf(2, "Paper"), actor="t", now=NOW)
    pack = pack_issue(meeting=meeting, kind="agenda", actor="t", now=NOW)
    agenda_pages = pack.contents[0]["agenda_pages"]
    assert agenda_pages >= 2
    texts = [pdftotext_page(bytes(pack.pdf), p, tmp_path) for p in range(1, agenda_pages + 1)]
    ranges = agenda_ranges(" ".join(texts), ["The paper", "Item subject 1"])
    assert "Item subject 1" not in ranges
    assert ranges["The paper"] == (agenda_pages + 1, agenda_pages + 2)
    assert "Paper sheet 1" in pdftotext_page(bytes(pack.pdf), agenda_pages + 1, tmp_path)
    assert "Item subject 59" in " ".join(texts), "items without papers are listed too"


def test_an_issued_pack_never_changes_and_a_supplement_is_a_new_issue(agenda, meeting, board):
    first = pack_issue(meeting=meeting, kind="supplement", actor="t", now=NOW)
    stored = bytes(first.pdf)
    assert first.sha256 == hashlib.sha256(stored).hexdigest() and pack_verify(first)
    # The data changes after issue: the draft terms are rewritten.
    terms = board.terms.get()
    terms.sections.filter(heading="Vision").update(text="An entirely new vision.")
    again = Pack.objects.get(pk=first.pk)
    assert bytes(again.pdf) == stored and pack_verify(again)
    with pytest.raises(ImmutableRecord):
        again.save()
    with pytest.raises(ImmutableRecord):
        again.delete()
    second = pack_issue(meeting=meeting, kind="supplement", actor="t", now=NOW + datetime.timedelta(days=1))
    assert second.issue == 2 and second.sha256 != first.sha256
    assert "An entirely new vision." in " ".join(page_texts(bytes(second.pdf)))
    assert "An entirely new vision." not in " ".join(page_texts(stored))
    assert list(meeting.packs.values_list("issue", flat=True)) == [1, 2]


def test_pack_issue_is_audited(agenda, meeting):
    from saferhub.audit.models import AuditEvent

    pack = pack_issue(meeting=meeting, kind="supplement", actor="t", now=NOW)
    event = AuditEvent.objects.get(object_type="governance.pack", object_id=str(pack.pk))
    assert event.action == "publish" and event.after["sha256"] == pack.sha256


def test_commissioning_paper_says_no_data_until_there_are_intentions(agenda, meeting):
    pack = pack_issue(meeting=meeting, kind="agenda", item_numbers=[5], actor="t", now=NOW)
    assert "No commissioning data" in " ".join(page_texts(bytes(pack.pdf)))
    from decimal import Decimal

    from saferhub.commissioning.models import Award, Fund, Intention, Project
    from saferhub.partnerships.models import Organisation

    funder = Organisation.objects.create(name="The PCC", kind="pcc")
    fund = Fund.objects.create(partnership=meeting.board.partnership, slug="csf", name="Fund", funder=funder)
    Award.objects.create(fund=fund, year=2017, amount=Decimal("400568"))
    Intention.objects.create(
        fund=fund,
        year=2017,
        as_at=datetime.date(2017, 1, 10),
        area_of_need="Domestic abuse",
        recommendation="Continue the contract",
        contribution=Decimal("110000"),
        total_budget=Decimal("501753"),
        state="confirmed",
    )
    # What the projects commit leaves £167,068.50 of the award.
    Project.objects.create(fund=fund, year=2017, letter="A", title="DA service", amount=Decimal("233499.50"))
    pack = pack_issue(meeting=meeting, kind="agenda", item_numbers=[5], actor="t", now=NOW)
    text = " ".join(page_texts(bytes(pack.pdf)))
    assert "No commissioning data" not in text
    assert (
        "£110,000" in text and "£501,753" in text and "£400,568" in text and "£167,068.50" in text
    )  # available less confirmed


def test_a_broken_commissioning_source_gives_the_no_data_paper(agenda, meeting, monkeypatch):
    from saferhub.governance import papers

    def broken(*, partnership, as_at):
        raise LookupError("commissioning tables not migrated")

    monkeypatch.setattr(papers.commissioning_selectors, "commissioning_paper", broken)
    pack = pack_issue(meeting=meeting, kind="agenda", item_numbers=[5], actor="t", now=NOW)
    assert "No commissioning data" in " ".join(page_texts(bytes(pack.pdf)))


def test_unknown_items_and_empty_packs_are_refused(meeting, agenda):
    with pytest.raises(s.GovernanceError, match="no item 9"):
        pack_issue(meeting=meeting, kind="agenda", item_numbers=[9], actor="t", now=NOW)
    assert not Pack.objects.exists()


def test_upload_must_be_a_pdf(agenda):
    with pytest.raises(s.GovernanceError, match="must be a PDF"):
        s.paper_add(item=agenda[7], title="Notes", content=b"hello", actor="t", now=NOW)
    with pytest.raises(s.GovernanceError, match="no live paper"):
        s.paper_add(item=agenda[7], title="Notes", generator="nonsense", actor="t", now=NOW)


def test_a_missing_commissioning_table_does_not_break_the_pack(agenda, meeting, monkeypatch):
    """Before the commissioning app is migrated its tables are missing: the pack is still issued."""
    from django.db import connection

    from saferhub.governance import papers

    def unmigrated(*, partnership, as_at):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM commissioning_no_such_table")
        return None

    monkeypatch.setattr(papers.commissioning_selectors, "commissioning_paper", unmigrated)
    pack = pack_issue(meeting=meeting, kind="agenda", item_numbers=[5], actor="t", now=NOW)
    assert "No commissioning data" in " ".join(page_texts(bytes(pack.pdf)))
    assert Pack.objects.filter(pk=pack.pk).exists()


def test_commissioning_data_is_none_without_commissioning_records(agenda, meeting):
    from saferhub.governance.papers import commissioning_data

    assert commissioning_data(meeting.board.partnership, meeting.date) is None


def test_unreadable_or_encrypted_uploads_are_refused(agenda):
    import io

    from pypdf import PdfReader, PdfWriter

    with pytest.raises(s.GovernanceError, match="cannot be read"):
        s.paper_add(item=agenda[7], title="Broken", content=b"%PDF-1.7 not really", actor="t", now=NOW)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(blank_pdf(1))))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(s.GovernanceError, match="encrypted"):
        s.paper_add(item=agenda[7], title="Locked", content=out.getvalue(), actor="t", now=NOW)


def test_rotated_landscape_uploads_are_stamped_upright(meeting, tmp_path):
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(blank_pdf(1, "Landscape"))))
    writer.pages[0].rotate(90)
    out = io.BytesIO()
    writer.write(out)
    item = s.agenda_item_create(
        meeting=meeting, number=4, subject="Scanned letter", purpose="To note.", actor="t", now=NOW
    )
    s.paper_add(item=item, title="Letter", content=out.getvalue(), actor="t", now=NOW)
    pack = pack_issue(meeting=meeting, kind="agenda", actor="t", now=NOW)
    text = pdftotext_page(bytes(pack.pdf), 2, tmp_path)
    assert "Agenda Item 4: Scanned letter" in text and "Page 2" in text
    page = PdfReader(io.BytesIO(bytes(pack.pdf))).pages[1]
    assert page.rotation == 0 and page.cropbox.width > page.cropbox.height  # turned upright, shown landscape


def test_scores_not_agreed_go_to_a_board_only_as_a_draft_for_discussion(meeting, board, members, tmp_path):
    from saferhub.domain.governance import DEFAULT_SCHEME

    s.scheme_set(board=board, config=DEFAULT_SCHEME.to_config(), actor="t", now=NOW)
    priority = s.priority_create(board=board, name="Hate crime", owner=members["police"], actor="t", now=NOW)
    names = ["physical", "psychological", "financial", "community", "frequency", "victim vulnerability"]
    s.priority_score(
        priority=priority,
        values={**{n: 2 for n in names}, "capacity gap": 1, "capability gap": 1},
        scope="city",
        confidence="B",
        scored_on=MEETING_DAY,
        illustrative=True,
        note="",
        actor="t",
        now=NOW,
    )
    item = s.agenda_item_create(meeting=meeting, number=3, subject="Priorities", purpose="To note.", actor="t", now=NOW)
    s.paper_add(item=item, title="Priorities", generator="priorities", actor="t", now=NOW)
    pack = pack_issue(meeting=meeting, kind="agenda", actor="t", now=NOW)
    pages = [
        pdftotext_page(bytes(pack.pdf), n, tmp_path)
        for n in range(pack.contents[0]["agenda_pages"] + 1, pack.pages + 1)
    ]
    assert pages and all("Draft for discussion" in text for text in pages), "on every page of the paper"


def test_an_agenda_pack_of_items_without_papers_is_the_agenda_alone(meeting):
    """A new partnership's first meeting (its agenda from the set-up workbook, no papers yet)
    gets its agenda pack; it used to fail with an IndexError joining no item numbers."""
    s.agenda_item_create(
        meeting=meeting, number=1, subject="Welcome", purpose="To note apologies.", actor=None, now=NOW
    )
    pack = pack_issue(meeting=meeting, kind="agenda", actor=None, now=NOW)
    assert pack.pdf.startswith(b"%PDF") and pack.contents[1]["first_page"] is None


def numbered_pdf(pages: int, footer: str, header: str = "", white_space: str = "normal") -> bytes:
    """An uploaded paper that prints its own page numbers, as a word processor does (``footer``
    and ``header``: CSS ``content`` of the margin boxes), with a reference number in its footer
    that is no page number."""
    from weasyprint import HTML

    top = f"@top-right {{ content: {header}; font-size: 9pt }}" if header else ""
    css = (
        f"@page {{ size: A4; margin: 25mm 20mm; {top} @bottom-center {{ content: {footer}; font-size: 9pt;"
        f" white-space: {white_space} }}"
        ' @bottom-left { content: "Ref 2017"; font-size: 9pt } }'
    )
    body = "".join(
        f'<p style="break-before: {"page" if i > 1 else "auto"}">Body of the uploaded paper, sheet {i}.</p>'
        for i in range(1, pages + 1)
    )
    return HTML(string=f"<html><head><style>{css}</style></head><body>{body}</body></html>").write_pdf()


@pytest.mark.parametrize(
    "footer, header",
    [
        ('"Page " counter(page) " of " counter(pages)', ""),
        ('"- " counter(page) " -"', ""),
        ('"Page " counter(page)', "counter(page)"),
        ("counter(page)", ""),
        ("counter(page)", "counter(page)"),
    ],
)
def test_an_uploaded_papers_own_page_numbers_are_taken_out_of_the_pack(meeting, tmp_path, footer, header):
    """Each page of the pack shows one number, the pack's: the uploaded paper's own ("Page 1 of
    3", "- 1 -", a bare "1") are gone from the page's text, its body and other footer words stay."""
    paper = numbered_pdf(3, footer, header)
    item = s.agenda_item_create(meeting=meeting, number=4, subject="Uploaded", purpose="To note.", actor="t", now=NOW)
    s.paper_add(item=item, title="Report", content=paper, actor="t", now=NOW)
    pack = pack_issue(meeting=meeting, kind="agenda", actor="t", now=NOW)
    assert pack.pages == 4
    for n in (2, 3, 4):
        text = pdftotext_page(bytes(pack.pdf), n, tmp_path)
        assert re.findall(r"\bPage (\d+)\b", text) == [str(n)], text
        kept = f"Body of the uploaded paper, sheet {n - 1}. Ref 2017".split()
        own = pdftotext_page(paper, n - 1, tmp_path).split()
        assert len(own) > len(kept)  # the paper prints its own number ...
        # ... which is gone: the page reads the stamp (the item, the pack's footer and its
        # number), the body and the reference, nothing else
        stamp = ["Agenda", "Item", "4:", "Uploaded", *"Safer Testham agenda pack, 24 January 2017: issue 1".split()]
        assert sorted(text.split()) == sorted([*stamp, "Page", str(n), *kept]), text


def test_own_page_numbers_are_found_only_where_they_count_the_pages():
    from saferhub.rendering.pack_pdf import own_page_numbers

    # a bare number the same on every page (a year) is no page number; "Page n" always is
    assert own_page_numbers(numbered_pdf(3, '"2017"')) == [(), (), ()]
    found = own_page_numbers(numbered_pdf(2, '"Page " counter(page)', header="counter(page)"))
    assert [len(boxes) for boxes in found] == [2, 2]
    footer, head = sorted(found[0], key=lambda b: -b.top)
    assert footer.top > 760 and head.top < 80  # in the bottom and top bands of an A4 page (842 pt)


def test_a_page_number_sharing_a_line_of_text_is_covered_and_the_words_stay(meeting, tmp_path):
    """ "Report, page 3" drawn as one piece of text cannot be taken out without the words: the
    number is covered (white on the page, though still in the text layer) and the words show."""
    import pypdfium2 as pdfium

    from saferhub.rendering.pack_pdf import own_page_numbers

    paper = numbered_pdf(2, '"Safer Testham report, page " counter(page)')
    ((box,), _) = own_page_numbers(paper)
    item = s.agenda_item_create(meeting=meeting, number=4, subject="Uploaded", purpose="To note.", actor="t", now=NOW)
    s.paper_add(item=item, title="Report", content=paper, actor="t", now=NOW)
    pack = pack_issue(meeting=meeting, kind="agenda", actor="t", now=NOW)
    assert "Safer Testham report, page" in pdftotext_page(bytes(pack.pdf), 2, tmp_path)

    def ink(pdf: bytes, page: int, left: float, top: float, width: float, height: float) -> int:
        image = pdfium.PdfDocument(pdf)[page].render(scale=2).to_pil().convert("L")
        area = image.crop((int(left * 2), int(top * 2), int((left + width) * 2), int((top + height) * 2)))
        return sum(area.histogram()[:200])  # pixels darker than light grey

    assert ink(paper, 0, box.left, box.top, box.width, box.height) > 0  # the paper's own "1"
    assert ink(bytes(pack.pdf), 1, box.left, box.top, box.width, box.height) == 0  # covered in the pack
    assert ink(bytes(pack.pdf), 1, box.left - 120, box.top, 110, box.height) > 0  # "report, page" still shows


def _ink(pdf: bytes, page: int, left: float, top: float, width: float, height: float) -> int:
    import pypdfium2 as pdfium

    image = pdfium.PdfDocument(pdf)[page].render(scale=2).to_pil().convert("L")
    area = image.crop((int(left * 2), int(top * 2), int((left + width) * 2), int((top + height) * 2)))
    return sum(area.histogram()[:200])  # pixels darker than light grey


@pytest.mark.parametrize(
    "footer, white_space, words",
    [
        ('counter(page) " | Safer Plymouth"', "normal", "Safer Plymouth"),
        ('"Safer Plymouth | " counter(page)', "normal", "Safer Plymouth"),
        ('counter(page) "|Safer Plymouth"', "normal", "Plymouth"),
        ('"Safer Plymouth " counter(page)', "normal", "Safer Plymouth"),
        ('"Safer Plymouth · Page " counter(page) " · January 2017"', "normal", "January 2017"),
        ('"Report title      Page " counter(page)', "pre", "Report title"),
    ],
)
def test_a_page_number_in_one_run_with_other_words_is_taken_out(meeting, tmp_path, footer, white_space, words):
    """A number drawn in one piece of text with the footer's words ("3 | Safer Plymouth", with
    or without spaces) was not found, and the pack's pages showed two numbers: it is covered on
    each page and the words beside it still show."""
    from saferhub.rendering.pack_pdf import own_page_numbers

    paper = numbered_pdf(3, footer, white_space=white_space)
    found = own_page_numbers(paper)
    assert [len(boxes) for boxes in found] == [1, 1, 1]
    item = s.agenda_item_create(meeting=meeting, number=4, subject="Uploaded", purpose="To note.", actor="t", now=NOW)
    s.paper_add(item=item, title="Report", content=paper, actor="t", now=NOW)
    pack = bytes(pack_issue(meeting=meeting, kind="agenda", actor="t", now=NOW).pdf)
    for index, (box,) in enumerate(found):
        assert box.top > 760  # in the footer band
        assert _ink(paper, index, box.left, box.top, box.width, box.height) > 0  # the paper's own number
        assert _ink(pack, index + 1, box.left, box.top, box.width, box.height) == 0  # covered in the pack
        assert _ink(pack, index + 1, 0, box.top, 595, box.height) > 0  # the words beside it show
        assert words in pdftotext_page(pack, index + 2, tmp_path)
