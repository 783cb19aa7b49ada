from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from saferhub.domain.problems import InputError
from saferhub.partnerships.models import Partnership
from saferhub.partnerships.services import PartnershipError, partnership_create


class Command(BaseCommand):
    help = "Create and list Community Safety Partnerships."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a partnership and its standard police.uk indicators")
        create.add_argument("--slug", required=True)
        create.add_argument("--name", required=True)
        create.add_argument("--local-authority", action="append", default=[], dest="local_authorities",
                            help='a local authority, matched by police.uk LSOA names ("Plymouth 001A"); repeat for more')
        create.add_argument("--lsoa", action="append", default=[], dest="lsoa_codes",
                            help="an LSOA code (E01...) in the area; repeat for more")
        create.add_argument("--no-standard-indicators", action="store_true",
                            help="do not add the standard police.uk indicators")
        sub.add_parser("list", help="list partnerships")

    def handle(self, *args, **opts):
        if opts["action"] == "list":
            for p in Partnership.objects.prefetch_related("areas"):
                areas = "; ".join(str(a) for a in p.areas.all())
                self.stdout.write(f"{p.slug}\t{p.name}\t{areas}")
            return
        if not opts["local_authorities"] and not opts["lsoa_codes"]:
            raise CommandError("give the area: --local-authority NAME and/or --lsoa CODE")
        try:
            p = partnership_create(
                slug=opts["slug"], name=opts["name"], local_authorities=opts["local_authorities"],
                lsoa_codes=opts["lsoa_codes"], standard_indicators=not opts["no_standard_indicators"],
            )
        except (PartnershipError, InputError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Created {p.name} ({p.slug}) with {p.indicators.count()} indicators.")
