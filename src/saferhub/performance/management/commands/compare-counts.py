"""saferhub compare-counts --previous N --current M [--exposure-previous A --exposure-current B]

The exact test of two Poisson counts (saferhub.domain.significance.compare_counts, as R's
poisson.test(c(M, N), c(B, A))), as JSON on standard output."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from saferhub.domain.significance import compare_counts


class Command(BaseCommand):
    help = "Compare two counts: rate ratio, exact p-value and 95% interval, as JSON."
    requires_system_checks: list[str] = []  # writes output only; `saferhub check` runs the checks

    def add_arguments(self, parser):
        parser.add_argument("--previous", type=int, required=True)
        parser.add_argument("--current", type=int, required=True)
        parser.add_argument("--exposure-previous", type=float, default=1.0)
        parser.add_argument("--exposure-current", type=float, default=1.0)

    def handle(self, *args, **opts):
        try:
            result = compare_counts(
                opts["previous"], opts["current"], opts["exposure_previous"], opts["exposure_current"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        sys.stdout.write(json.dumps(result.to_json(), indent=2, allow_nan=False) + "\n")
