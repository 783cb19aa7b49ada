"""saferhub board --partnership SLUG [--quorum-members N] [--quorum-statutory M]
[--deputies-count yes|no] [--scoring-scheme FILE.json] [--show]

Sets a board's configurable rules: its quorum and its threat/risk/harm scoring scheme (JSON in
the shape of ``ScoringScheme.to_config()``; ``--show`` prints the current one to start from)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saferhub.domain.governance import DEFAULT_SCHEME
from saferhub.governance.selectors import BoardNotFound, board_get
from saferhub.governance.services import GovernanceError, board_update, current_scheme, scheme_set


class Command(BaseCommand):
    help = "Show or set a board's quorum rule and scoring scheme."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True)
        parser.add_argument("--quorum-members", type=int)
        parser.add_argument("--quorum-statutory", type=int)
        parser.add_argument("--deputies-count", choices=["yes", "no"])
        parser.add_argument("--scoring-scheme", help="JSON file with the scheme's scales")
        parser.add_argument("--show", action="store_true", help="print the quorum rule and the scheme as JSON")

    def handle(self, *args, **opts):
        try:
            board = board_get(opts["partnership"])
        except BoardNotFound:
            raise CommandError(f"no board for partnership {opts['partnership']!r}") from None
        now, actor = timezone.now(), "saferhub board"
        changes = {
            k: v
            for k, v in (
                ("quorum_minimum_members", opts["quorum_members"]),
                ("quorum_minimum_statutory", opts["quorum_statutory"]),
            )
            if v is not None
        }
        if opts["deputies_count"]:
            changes["quorum_deputies_count"] = opts["deputies_count"] == "yes"
        try:
            if changes:
                board_update(board=board, actor=actor, now=now, **changes)
                self.stdout.write(f"Quorum: {board.quorum_rule().describe()}")
            if opts["scoring_scheme"]:
                config = json.loads(Path(opts["scoring_scheme"]).read_text(encoding="utf-8"))
                scheme_set(board=board, config=config, actor=actor, now=now)
                self.stdout.write(f"Scoring scheme set: {config.get('name')}")
        except (GovernanceError, OSError, json.JSONDecodeError) as e:
            raise CommandError(str(e)) from None
        if opts["show"] or not (changes or opts["scoring_scheme"]):
            record = current_scheme(board)
            self.stdout.write(
                json.dumps(
                    {
                        "quorum": board.quorum_rule().describe(),
                        "scoring_scheme": record.config if record else DEFAULT_SCHEME.to_config(),
                    },
                    indent=2,
                )
            )
