"""saferhub comment --partnership SLUG --indicator CODE --period YYYY-MM --text "..." """

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saferhub.domain.calendar import PeriodError
from saferhub.partnerships.selectors import PartnershipNotFound, partnership_get
from saferhub.performance.models import Indicator
from saferhub.performance.services import comment_set


class Command(BaseCommand):
    help = "Set the analyst's comment on an indicator for a reporting month."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True)
        parser.add_argument("--indicator", required=True)
        parser.add_argument("--period", required=True, help="the reporting month, YYYY-MM")
        parser.add_argument("--text", required=True)
        parser.add_argument("--author", default="")

    def handle(self, *args, **opts):
        try:
            partnership = partnership_get(opts["partnership"])
            indicator = Indicator.objects.filter(partnership=partnership, code=opts["indicator"]).first()
            if indicator is None:
                raise CommandError(f"{partnership.name} has no indicator {opts['indicator']!r}")
            saved = comment_set(
                indicator=indicator, period=opts["period"], text=opts["text"], author=opts["author"], now=timezone.now()
            )
        except (PartnershipNotFound, PeriodError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write("Comment saved." if saved else "Comment unchanged.")
