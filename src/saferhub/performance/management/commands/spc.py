"""saferhub spc --polarity P [--baseline N] [--rebase-at I ...] [--target X] < values

Reads one value a line, or ``period,value`` CSV lines (an optional header line first), from
standard input and writes the XmR chart (saferhub.domain.spc) as JSON to standard output."""

from __future__ import annotations

import json
import math
import sys

from django.core.management.base import BaseCommand, CommandError

from saferhub.domain.spc import POLARITIES, xmr


def parse_values(lines) -> list[float]:
    """Values from lines of ``value`` or ``period,value``; a first line that is not a number is a header."""
    values: list[float] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        fields = [f.strip() for f in line.split(",")]
        if len(fields) > 2:
            raise CommandError(f"line {number}: expected 'value' or 'period,value', got {line!r}")
        text = fields[-1]
        try:
            value = float(text)
        except ValueError:
            if not values and number == 1:
                continue  # a header
            raise CommandError(f"line {number}: {text!r} is not a number") from None
        if not math.isfinite(value):
            raise CommandError(f"line {number}: {text!r} is not a finite number")
        values.append(value)
    if not values:
        raise CommandError("no values on standard input")
    return values


class Command(BaseCommand):
    help = "XmR (SPC) chart of values read from standard input, as JSON."
    requires_system_checks: list[str] = []  # writes output only; `saferhub check` runs the checks

    def add_arguments(self, parser):
        parser.add_argument("--polarity", required=True, choices=list(POLARITIES))
        parser.add_argument("--baseline", type=int, help="fix the limits from the first N points (N >= 12)")
        parser.add_argument(
            "--rebase-at",
            type=int,
            nargs="+",
            action="extend",
            default=[],
            metavar="I",
            help="start new limits at these point indices (0-based)",
        )
        parser.add_argument("--target", type=float)

    def handle(self, *args, **opts):
        values = parse_values(sys.stdin)
        try:
            result = xmr(
                values,
                polarity=opts["polarity"],
                baseline=opts["baseline"],
                rebase_at=opts["rebase_at"],
                target=opts["target"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        sys.stdout.write(json.dumps(result.to_json(), indent=2, allow_nan=False) + "\n")
