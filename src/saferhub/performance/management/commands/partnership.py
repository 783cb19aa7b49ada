"""saferhub partnership create|create-all|area|list. The command lives in performance, the layer
above partnerships, because it gives the partnerships it makes their standard police.uk
indicators (``performance.services.standard_indicators_add``) in the same transaction."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from saferhub.domain.problems import InputError
from saferhub.partnerships.models import Partnership
from saferhub.partnerships.selectors import PartnershipNotFound, partnership_get
from saferhub.partnerships.services import (
    PartnershipError,
    partnership_area_set,
    partnership_create,
    partnership_create_all,
)
from saferhub.performance.services import standard_indicators_add


def _area_options(parser, required_slug: bool = True) -> None:
    parser.add_argument(
        "--csp",
        action="append",
        default=[],
        dest="csps",
        help="a Community Safety Partnership by ONS code (E22000056) or name; repeat for more",
    )
    parser.add_argument(
        "--local-authority",
        action="append",
        default=[],
        dest="local_authorities",
        help="a local authority district, current or former, by ONS code (E06000058) or name "
        '("Bournemouth"); repeat for more',
    )
    parser.add_argument(
        "--lsoa",
        action="append",
        default=[],
        dest="lsoa_codes",
        help="an LSOA code, 2011 or 2021 (E01015025); repeat for more",
    )


class Command(BaseCommand):
    help = "Create and list Community Safety Partnerships."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a partnership and its standard police.uk indicators")
        create.add_argument("--slug")
        create.add_argument("--name")
        _area_options(create)
        create.add_argument(
            "--no-standard-indicators", action="store_true", help="do not add the standard police.uk indicators"
        )
        every = sub.add_parser("create-all", help="create every Community Safety Partnership of England and Wales")
        every.add_argument("--no-standard-indicators", action="store_true")
        area = sub.add_parser("area", help="redefine a partnership's area (its figures follow from the data held)")
        area.add_argument("--partnership", required=True)
        _area_options(area)
        sub.add_parser("list", help="list partnerships")

    def handle(self, *args, **opts):
        if opts["action"] == "list":
            for p in Partnership.objects.prefetch_related("areas"):
                areas = "; ".join(str(a) for a in p.areas.all())
                self.stdout.write(f"{p.slug}\t{p.name}\t{areas}")
            return
        try:
            if opts["action"] == "create-all":
                with transaction.atomic():
                    held = set(Partnership.objects.values_list("pk", flat=True))
                    made, kept = partnership_create_all(now=timezone.now())
                    if not opts["no_standard_indicators"]:
                        standard_indicators_add(Partnership.objects.exclude(pk__in=held).order_by("slug"))
                self.stdout.write(f"Created {made} partnerships ({kept} were already there).")
                return
            if not (opts["local_authorities"] or opts["lsoa_codes"] or opts["csps"]):
                raise CommandError("give the area: --csp CODE|NAME, --local-authority CODE|NAME and/or --lsoa CODE")
            if opts["action"] == "area":
                p = partnership_area_set(
                    partnership=partnership_get(opts["partnership"]),
                    csps=opts["csps"],
                    local_authorities=opts["local_authorities"],
                    lsoa_codes=opts["lsoa_codes"],
                    now=timezone.now(),
                )
                self.stdout.write(f"The area of {p.name} is now {p.lsoas.count()} LSOAs.")
                return
            name, slug = opts["name"], opts["slug"]
            if not name and len(opts["csps"]) == 1 and not (opts["local_authorities"] or opts["lsoa_codes"]):
                from saferhub.domain.geography import GeographyError, geography

                try:
                    name = geography().csp(opts["csps"][0]).name
                except GeographyError as exc:
                    raise PartnershipError(str(exc)) from None
            if not name:
                raise CommandError("give the partnership's --name")
            if not slug:
                from django.utils.text import slugify

                slug = slugify(name)
            with transaction.atomic():
                p = partnership_create(
                    slug=slug,
                    name=name,
                    local_authorities=opts["local_authorities"],
                    csps=opts["csps"],
                    lsoa_codes=opts["lsoa_codes"],
                    now=timezone.now(),
                )
                if not opts["no_standard_indicators"]:
                    standard_indicators_add([p])
        except (PartnershipError, InputError, PartnershipNotFound) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Created {p.name} ({p.slug}): {p.lsoas.count()} LSOAs, {p.indicators.count()} indicators.")
