import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saferhub.domain.document import (
    DocumentError,
    Heading,
    ItemList,
    ListItem,
    Paragraph,
    Table,
    parse_document,
    parse_or_plain,
)


def test_the_seed_papers_shapes():
    text = """The purpose of this report.

# 1. Background

1.1 Community Safety Partnerships were set up
under Sections 5-7 of the Act. They work together to:

- protect their local communities from crime;
- help people feel safer;
  - a nested point
1. first
2. second

| Area/Need | OPCC contribution |
|---|---|
| Domestic abuse | £110,000 |
| Healthy relationships | |
"""
    assert parse_document(text) == (
        Paragraph("The purpose of this report."),
        Heading(1, "1. Background"),
        # "1.1" starts a paragraph, not a numbered list; wrapped lines join.
        Paragraph(
            "1.1 Community Safety Partnerships were set up under Sections 5-7 of the Act. They work together to:"
        ),
        ItemList(
            (
                ListItem("protect their local communities from crime;"),
                ListItem("help people feel safer;", (ListItem("a nested point"),)),
            )
        ),
        ItemList((ListItem("first"), ListItem("second")), numbered=True),
        Table(("Area/Need", "OPCC contribution"), (("Domestic abuse", "£110,000"), ("Healthy relationships", ""))),
    )


def test_a_table_row_of_the_wrong_width_names_its_line():
    with pytest.raises(DocumentError, match="line 4: this table row has 3 cells but the table's first row"):
        parse_document("Intro\n\n| a | b |\n| 1 | 2 | 3 |\n")
    # Text stored before the markup still prints, as paragraphs.
    assert parse_or_plain("Intro\n\n| a | b |\n| 1 | 2 | 3 |") == (
        Paragraph("Intro"),
        Paragraph("| a | b |\n| 1 | 2 | 3 |"),
    )


def test_markup_like_html_is_just_text():
    assert parse_document("<script>alert(1)</script>") == (Paragraph("<script>alert(1)</script>"),)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab #-*1.|\n ")), max_size=80))
def test_any_text_is_read_or_refused_with_a_line(text):
    try:
        blocks = parse_document(text)
    except DocumentError as e:
        assert 1 <= e.line <= text.count("\n") + 1
        return
    printed = "".join(_text(b) for b in blocks)
    # Nothing but the markup itself (#, bullets, numbers, bars) is dropped, and nothing is invented.
    assert set("".join(printed.split())) <= set("".join(text.split()))


def _text(block) -> str:
    if isinstance(block, (Heading, Paragraph)):
        return block.text
    if isinstance(block, ItemList):
        return "".join(i.text + "".join(c.text for c in i.children) for i in block.items)
    return "".join(block.header) + "".join("".join(r) for r in block.rows)
