"""`saferhub board`: a board's quorum and its scoring scheme, set and shown from the command line."""

import pytest
from django.core.management import CommandError, call_command


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
