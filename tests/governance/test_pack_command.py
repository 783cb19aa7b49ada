"""`saferhub pack`: the board pack of a meeting, issued then written; a supplement on request."""

import pytest
from django.core.management import CommandError, call_command

from saferhub.governance import services as s
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
