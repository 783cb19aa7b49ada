"""A paper written in saferhub: typed blocks (headings, paragraphs, bullet and numbered lists,
tables) read from a small, strict plain-text markup.

The markup is a restricted Markdown that carries no HTML at all: the renderers escape every
piece of text they print, so nothing a writer types can become markup. Unknown syntax is just
text. Mistakes that would change the document's shape (a table row with the wrong number of
cells) are refused with the line number.

    # Heading            ## Sub-heading          ### Sub-sub-heading
    A paragraph runs until a blank line.
    - a bullet           1. a numbered item      (indent two spaces to nest one level)
    | Area | Recommendation |      a table: the first row is the header; a |---| row is skipped
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from .problems import SaferhubError

__all__ = [
    "Heading",
    "Paragraph",
    "ListItem",
    "ItemList",
    "Table",
    "Block",
    "DocumentError",
    "parse_document",
    "parse_or_plain",
    "MARKUP_HINT",
]

# The markup in a sentence, for the forms where it is typed (papers, a return's appendices).
MARKUP_HINT = (
    "Headings start with # (## and ### for lower levels); a blank line ends a paragraph; bullet items start "
    "with -, numbered items with 1. (indent two spaces to nest); a table is rows of cells between | bars, the "
    "first row its header."
)


@dataclass(frozen=True)
class Heading:
    level: int  # 1-3
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class ListItem:
    text: str
    children: tuple[ListItem, ...] = ()


@dataclass(frozen=True)
class ItemList:
    items: tuple[ListItem, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Union[Heading, Paragraph, ItemList, Table]


class DocumentError(SaferhubError, ValueError):
    """A line that cannot be read; ``line`` is 1-based."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line


_HEADING = re.compile(r"^(#{1,3})\s+(.*\S)\s*$")
_BULLET = re.compile(r"^( *)[-*•]\s+(.*\S)\s*$")
_NUMBERED = re.compile(r"^( *)\d{1,3}[.)]\s+(.*\S)\s*$")
_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _cells(line: str) -> tuple[str, ...]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return tuple(c.strip() for c in inner.split("|"))


def _list_line(line: str) -> tuple[int, bool, str] | None:
    for pattern, numbered in ((_BULLET, False), (_NUMBERED, True)):
        m = pattern.match(line)
        if m:
            return len(m.group(1)), numbered, m.group(2)
    return None


def parse_document(text: str) -> tuple[Block, ...]:
    """The blocks of ``text`` (see the module's docstring for the markup)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        heading = _HEADING.match(line)
        if heading:
            blocks.append(Heading(len(heading.group(1)), heading.group(2)))
            i += 1
            continue
        if line.lstrip().startswith("|"):
            start = i
            rows: list[tuple[int, tuple[str, ...]]] = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                if not _RULE.match(lines[i].strip()):
                    rows.append((i + 1, _cells(lines[i])))
                i += 1
            width = len(rows[0][1])
            for number, cells in rows[1:]:
                if len(cells) != width:
                    raise DocumentError(
                        number,
                        f"this table row has {len(cells)} {'cell' if len(cells) == 1 else 'cells'} but the table's "
                        f"first row (line {start + 1}) has {width}",
                    )
            blocks.append(Table(rows[0][1], tuple(cells for _, cells in rows[1:])))
            continue
        first = _list_line(line)
        if first is not None:
            base, numbered, _ = first
            items: list[ListItem] = []
            while i < len(lines):
                found = _list_line(lines[i])
                if found is None:
                    # A continuation line (indented, not blank) belongs to the item above.
                    if items and lines[i].startswith(" ") and lines[i].strip():
                        last = items[-1]
                        if last.children:
                            child = last.children[-1]
                            kids = last.children[:-1] + (ListItem(f"{child.text} {lines[i].strip()}"),)
                            items[-1] = ListItem(last.text, kids)
                        else:
                            items[-1] = ListItem(f"{last.text} {lines[i].strip()}")
                        i += 1
                        continue
                    break
                indent, kind, item_text = found
                if indent > base:
                    if not items:
                        raise DocumentError(i + 1, "an indented list item needs an item above it")
                    last = items[-1]
                    items[-1] = ListItem(last.text, last.children + (ListItem(item_text),))
                elif kind != numbered:
                    break  # a list of the other kind starts here
                else:
                    items.append(ListItem(item_text))
                i += 1
            blocks.append(ItemList(tuple(items), numbered))
            continue
        words: list[str] = []
        while i < len(lines) and lines[i].strip():
            if words and (
                _HEADING.match(lines[i]) or lines[i].lstrip().startswith("|") or _list_line(lines[i]) is not None
            ):
                break
            words.append(lines[i].strip())
            i += 1
        blocks.append(Paragraph(" ".join(words)))
    return tuple(blocks)


def parse_or_plain(text: str) -> tuple[Block, ...]:
    """The blocks of ``text``, or (for text written before this markup, which may not follow it)
    its paragraphs as plain text: a stored document always prints."""
    try:
        return parse_document(text)
    except DocumentError:
        return tuple(Paragraph(p.strip()) for p in text.split("\n\n") if p.strip())
