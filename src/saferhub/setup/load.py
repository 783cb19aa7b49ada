"""Load a set-up workbook into one partnership, all or nothing.

Every sheet is read and typed first (saferhub.domain.setup_workbook); then, in one transaction,
each row is matched to the object its key names (the sheet's ``keys``: an organisation by name,
an award by fund and year ...). A new one is created through its app's service; a held one whose
values differ is changed (audited, before and after); one that matches is left alone, so loading
the same workbook again changes nothing. Any problem anywhere, named by sheet, row and column,
and the transaction is rolled back. New users are invited by email once the load has committed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from django.core.exceptions import ValidationError
from django.db import transaction

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record, audit_value, audited_update
from saferhub.domain.problems import SaferhubError
from saferhub.domain.setup_workbook import SheetProblem, SheetRow, WorkbookError, read_sheet

from . import sheets as S

ACTOR = "saferhub setup load"


@dataclass
class LoadResult:
    partnership: Any = None
    created: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    invited: list[str] = field(default_factory=list)

    @property
    def touched(self) -> int:
        return sum(self.created.values()) + sum(self.changed.values())

    def summary(self) -> str:
        parts = [f"{n} {sheet} created" for sheet, n in self.created.items() if n]
        parts += [f"{n} {sheet} changed" for sheet, n in self.changed.items() if n]
        return "; ".join(parts) or "nothing changed"


class _Abort(SaferhubError):
    pass


def read_workbook(path: Path) -> dict[str, list[SheetRow]]:
    """Every sheet's rows, typed; WorkbookError listing every problem."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds; its words may hold server paths
        raise WorkbookError(
            [SheetProblem("(workbook)", None, None, "not an Excel workbook (.xlsx) that can be opened")], path.name
        ) from None
    problems: list[SheetProblem] = []
    out: dict[str, list[SheetRow]] = {}
    known = {s.name for s in S.SHEETS}
    for name in wb.sheetnames:
        if name not in known and name != "Read me":
            problems.append(
                SheetProblem(name, None, None, f"is not a sheet of the set-up workbook ({', '.join(known)})")
            )
    for sheet in S.SHEETS:
        if sheet.name in wb.sheetnames:
            out[sheet.name] = read_sheet(sheet, list(wb[sheet.name].iter_rows(values_only=True)), problems)
        else:
            out[sheet.name] = []
    wb.close()
    if problems:
        raise WorkbookError(problems, path.name)
    return out


def setup_load(*, path: Path, slug: str, now: datetime.datetime, actor: Any = ACTOR) -> LoadResult:
    rows = read_workbook(path)
    loader = _Loader(slug=slug, now=now, actor=actor)
    try:
        with transaction.atomic():
            loader.run(rows)
            if loader.problems:
                raise _Abort
            if loader.result.touched:
                audit_record(
                    actor=actor,
                    action=AuditAction.IMPORT,
                    obj=loader.partnership,
                    at=now,
                    summary=f"set-up workbook {path.name} loaded: {loader.result.summary()}",
                )
    except _Abort:
        raise WorkbookError(loader.problems, path.name) from None
    loader.invite()
    return loader.result


def _differs(obj: Any, values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if getattr(obj, k) != v}


class _Loader:
    def __init__(self, *, slug: str, now: datetime.datetime, actor: Any) -> None:
        self.slug, self.now, self.actor = slug, now, actor
        self.problems: list[SheetProblem] = []
        self.result = LoadResult()
        self.partnership: Any = None
        self.organisations: dict[str, Any] = {}
        self.funds: dict[str, Any] = {}
        self.projects: dict[tuple[str, int, str], Any] = {}
        self.board: Any = None
        self.to_invite: list[tuple[SheetRow, str, str, Any]] = []

    # ------------------------------------------------------------------ helpers
    def _count(self, sheet: str, what: str) -> None:
        book = self.result.created if what == "created" else self.result.changed
        book[sheet] = book.get(sheet, 0) + 1

    def _update(self, row: SheetRow, obj: Any, values: dict[str, Any], label: str) -> None:
        """Change what differs, audited with before and after; nothing when nothing differs."""
        changes = _differs(obj, values)
        if not changes:
            return
        audited_update(
            obj, changes, actor=self.actor, at=self.now, summary=f"{label} changed by the set-up workbook", clean=True
        )
        self._count(row.sheet.name, "changed")

    def _partnership_create(self, row: SheetRow, area: dict[str, list[str]]) -> Any:
        from saferhub.partnerships.services import partnership_create
        from saferhub.performance.services import standard_indicators_add

        partnership = partnership_create(
            slug=self.slug,
            name=row.text("name"),
            csps=area["csps"],
            local_authorities=area["local_authorities"],
            lsoa_codes=area["lsoas"],
            actor=self.actor,
            now=self.now,
        )
        if row.values.get("standard_indicators") is not False:
            standard_indicators_add([partnership])
        return partnership

    def _guard(self, row: SheetRow, column: str | None, fn: Callable[[], Any]) -> Any:
        """Run a service call; its refusal becomes a problem naming this row."""
        from saferhub.domain.problems import InputError
        from saferhub.partnerships.services import PartnershipError

        try:
            with transaction.atomic():
                return fn()
        except InputError as exc:
            self.problems.append(row.problem(column, "; ".join(p.message for p in exc.problems)))
            return None
        except (ValueError, ValidationError, PartnershipError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            field = getattr(exc, "field", None)
            heading = next((c.key for c in row.sheet.columns if c.key == field), column)
            self.problems.append(row.problem(heading, message))
            return None

    def _organisation(self, row: SheetRow, key: str, *, required: bool) -> Any:
        from saferhub.partnerships.models import Organisation

        name = row.text(key)
        if not name:
            if required:
                self.problems.append(row.problem(key, "is required"))
            return None
        org = self.organisations.get(name.lower()) or Organisation.objects.filter(name__iexact=name).first()
        if org is None:
            self.problems.append(row.problem(key, f"no organisation {name!r}: add it to the Organisations sheet"))
        return org

    def _fund(self, row: SheetRow) -> Any:
        from saferhub.commissioning.models import Fund

        slug = row.text("fund")
        fund = self.funds.get(slug) or Fund.objects.filter(partnership=self.partnership, slug=slug).first()
        if fund is None:
            self.problems.append(
                row.problem("fund", f"no fund {slug!r} of this partnership: add it to the Funds sheet")
            )
        return fund

    def _project(self, row: SheetRow) -> Any:
        from saferhub.commissioning.models import Project

        fund = self._fund(row)
        if fund is None:
            return None
        year, letter = row.values["year"], row.text("project")
        project = self.projects.get((fund.slug, year, letter.upper())) or (
            Project.objects.filter(fund=fund, year=year, letter__iexact=letter).first()
        )
        if project is None:
            self.problems.append(
                row.problem("project", f"no project {letter} of {fund.slug} in {year}: add it to the Projects sheet")
            )
        return project

    # ------------------------------------------------------------------ the sheets, in order
    def run(self, rows: dict[str, list[SheetRow]]) -> None:
        from saferhub.partnerships.models import Partnership

        self.partnership = Partnership.objects.filter(slug=self.slug).first()
        self.result.partnership = self.partnership
        self.partnership_sheet(rows[S.PARTNERSHIP.name])
        if self.partnership is None:
            if not self.problems:
                self.problems.append(
                    SheetProblem(
                        S.PARTNERSHIP.name,
                        None,
                        None,
                        f"there is no partnership {self.slug!r} yet: give its name and area on this sheet "
                        "(below the example row) to create it",
                    )
                )
            return
        self.result.partnership = self.partnership
        for sheet, method in (
            (S.ORGANISATIONS, self.organisation_row),
            (S.PEOPLE, self.person_row),
            (S.INDICATORS, self.indicator_row),
            (S.TARGETS, self.target_row),
            (S.FUNDS, self.fund_row),
            (S.AWARDS, self.award_row),
            (S.INTENTIONS, self.intention_row),
            (S.PROJECTS, self.project_row),
            (S.KPIS, self.kpi_row),
            (S.MILESTONES, self.milestone_row),
            (S.RETURNS, self.return_row),
            (S.BOARD, self.board_row),
            (S.MEMBERS, self.member_row),
            (S.MEETINGS, self.meeting_row),
            (S.AGENDA, self.agenda_row),
        ):
            for position, row in enumerate(rows[sheet.name]):
                method(row, position)

    def partnership_sheet(self, rows: list[SheetRow]) -> None:
        from saferhub.partnerships.services import _pieces, partnership_area_set

        if not rows:
            return
        row = rows[0]
        area = {k: list(row.values.get(k) or ()) for k in ("csps", "local_authorities", "lsoas")}
        if self.partnership is None:
            if not any(area.values()):
                self.problems.append(row.problem("csps", "a new partnership needs its area: a CSP, districts or LSOAs"))
                return
            self.partnership = self._guard(
                row,
                "name",
                lambda: self._partnership_create(row, area),
            )
            if self.partnership is not None:
                self._count(row.sheet.name, "created")
            return
        self._update(row, self.partnership, {"name": row.text("name")}, f"partnership {self.slug}")
        if any(area.values()):
            wanted = self._guard(
                row, "csps", lambda: set(_pieces(area["csps"], area["local_authorities"], area["lsoas"]))
            )
            held = {(a.kind, a.value) for a in self.partnership.areas.all()}
            if wanted is not None and wanted != held:
                self._guard(
                    row,
                    "csps",
                    lambda: partnership_area_set(
                        partnership=self.partnership,
                        csps=area["csps"],
                        local_authorities=area["local_authorities"],
                        lsoa_codes=area["lsoas"],
                        actor=self.actor,
                        now=self.now,
                    ),
                )
                self._count(row.sheet.name, "changed")

    def organisation_row(self, row: SheetRow, position: int) -> None:
        from saferhub.partnerships.models import Organisation

        values = {
            "kind": row.values["kind"],
            "charity_number": row.text("charity_number"),
            "company_number": row.text("company_number"),
        }
        org = Organisation.objects.filter(name__iexact=row.text("name")).first()
        if org is None:
            org = Organisation.objects.create(name=row.text("name"), **values)
            audit_record(
                actor=self.actor,
                action=AuditAction.CREATE,
                obj=org,
                at=self.now,
                summary=f"organisation {org.name} created by the set-up workbook",
                after={k: audit_value(v) for k, v in values.items()},
            )
            self._count(row.sheet.name, "created")
        else:
            self._update(row, org, values, f"organisation {org.name}")
        self.organisations[org.name.lower()] = org

    def person_row(self, row: SheetRow, position: int) -> None:
        from django.core.validators import validate_email

        from saferhub.accounts.account_services import user_role_change
        from saferhub.accounts.models import Role, User

        email = User.objects.normalize_email(row.text("email"))
        try:
            validate_email(email)
        except ValidationError:
            self.problems.append(row.problem("email", f"{email!r} is not an email address"))
            return
        role = row.text("role")
        organisation = self._organisation(row, "organisation", required=False)
        if role == Role.PROVIDER and organisation is None and not row.text("organisation"):
            self.problems.append(row.problem("organisation", "a provider user needs an organisation"))
            return
        user = User.objects.filter(email__iexact=email).first() or User.objects.filter(username__iexact=email).first()
        if user is None:
            self.to_invite.append((row, email, role, organisation))
            return
        if user.role != role or user.organisation_id != getattr(organisation, "pk", None):
            self._guard(
                row,
                "role",
                lambda: user_role_change(
                    user=user, role=role, organisation=organisation, actor=self.actor, now=self.now
                ),
            )
            self._count(row.sheet.name, "changed")

    def indicator_row(self, row: SheetRow, position: int) -> None:
        from saferhub.domain.policeuk import CRIME_TYPE_BY_SLUG
        from saferhub.performance.models import Frequency, Indicator, Source, Unit

        crime_types = list(row.values.get("crime_types") or ())
        source, unit = row.values["source"], row.values.get("unit") or Unit.COUNT
        for t in crime_types:
            if t not in CRIME_TYPE_BY_SLUG:
                self.problems.append(row.problem("crime_types", f"{t!r} is not a police.uk crime type"))
                return
        if source == Source.POLICEUK and not crime_types:
            self.problems.append(row.problem("crime_types", "a police.uk indicator needs its crime types"))
            return
        if source == Source.POLICEUK and unit != Unit.COUNT:
            self.problems.append(row.problem("unit", "a police.uk indicator is a count"))
            return
        values = {
            "title": row.text("title"),
            "source": source,
            "polarity": row.values["polarity"],
            "frequency": row.values.get("frequency") or Frequency.MONTHLY,
            "unit": unit,
            "crime_types": crime_types,
            "noun": row.text("noun") or row.text("title").lower(),
            "owner": row.text("owner"),
            "sensitive": bool(row.values.get("sensitive")),
            "notes": row.text("notes"),
        }
        code = row.text("code")
        indicator = Indicator.objects.filter(partnership=self.partnership, code=code).first()
        if indicator is None:
            indicator = Indicator(partnership=self.partnership, code=code, position=position, **values)
            try:
                indicator.full_clean(validate_constraints=False)
            except ValidationError as exc:
                self.problems.append(row.problem("code", "; ".join(exc.messages)))
                return
            indicator.save()
            audit_record(
                actor=self.actor,
                action=AuditAction.CREATE,
                obj=indicator,
                at=self.now,
                summary=f"indicator {code} created by the set-up workbook",
                after={k: audit_value(v) for k, v in values.items()},
            )
            self._count(row.sheet.name, "created")
        else:
            self._update(row, indicator, values, f"indicator {code}")

    def target_row(self, row: SheetRow, position: int) -> None:
        from saferhub.domain.calendar import parse_period
        from saferhub.performance.models import ImportKind, ImportRun, Indicator, TargetValue

        code = row.text("indicator")
        indicator = Indicator.objects.filter(partnership=self.partnership, code=code).first()
        if indicator is None:
            self.problems.append(row.problem("indicator", f"{code!r} is not an indicator of this partnership"))
            return
        period = row.text("period")
        if parse_period(period).frequency != indicator.frequency:
            self.problems.append(
                row.problem("period", f"{code} is {indicator.frequency}: {period} is not one of its periods")
            )
            return
        target, kind = row.values["target"], row.values["kind"]
        held = TargetValue.objects.filter(indicator=indicator, period=period).first()
        if held is not None and held.value == target and held.kind == kind:
            return
        if not hasattr(self, "_target_run"):
            # A target points at the run that set it: the workbook's load is one.
            self._target_run = ImportRun.objects.create(
                kind=ImportKind.INDICATORS, partnership=self.partnership, started_at=self.now, finished_at=self.now
            )
        before = None if held is None else {"target": str(held.value), "target_kind": held.kind}
        if held is None:
            held = TargetValue(indicator=indicator, period=period)
        held.value, held.kind, held.run = target, kind, self._target_run
        held.save()
        self._target_run.targets_set += 1
        self._target_run.save(update_fields=["targets_set"])
        audit_record(
            actor=self.actor,
            action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
            obj=indicator,
            at=self.now,
            summary=f"target of {code} for {period} set by the set-up workbook",
            before=before,
            after={"target": str(target), "target_kind": kind},
        )
        self._count(row.sheet.name, "created" if before is None else "changed")

    def fund_row(self, row: SheetRow, position: int) -> None:
        from saferhub.commissioning.models import Fund
        from saferhub.commissioning.setup import fund_create

        funder = self._organisation(row, "funder", required=True)
        if funder is None:
            return
        slug = row.text("slug")
        fund = Fund.objects.filter(partnership=self.partnership, slug=slug).first()
        values = {"name": row.text("name"), "funder": funder, "channelled_through": row.text("channelled_through")}
        if fund is None:
            fund = self._guard(
                row,
                "slug",
                lambda: fund_create(partnership=self.partnership, slug=slug, actor=self.actor, now=self.now, **values),
            )
            if fund is not None:
                self._count(row.sheet.name, "created")
        else:
            self._update(row, fund, values, f"fund {slug}")
        if fund is not None:
            self.funds[slug] = fund

    def award_row(self, row: SheetRow, position: int) -> None:
        from saferhub.commissioning.models import Award
        from saferhub.commissioning.setup import award_set

        fund = self._fund(row)
        if fund is None:
            return
        year = row.values["year"]
        values = {
            "amount": row.values["amount"],
            "carried_forward": row.values.get("carried_forward") or Decimal("0.00"),
            "carried_forward_note": row.text("carried_forward_note"),
            "decided_on": row.values.get("decided_on"),
        }
        award = Award.objects.filter(fund=fund, year=year).first()
        if award is None:
            award = award_set(
                fund=fund,
                years=[year],
                amount=values["amount"],
                actor=self.actor,
                now=self.now,
                decided_on=values["decided_on"],
            )[0]
            self._count(row.sheet.name, "created")
            changes = {k: values[k] for k in ("carried_forward", "carried_forward_note")}
            if any(_differs(award, changes)):
                award.carried_forward, award.carried_forward_note = (
                    changes["carried_forward"],
                    changes["carried_forward_note"],
                )
                award.save()
        else:
            self._update(row, award, values, f"award of {fund.slug} for {award.year_label}")

    def intention_row(self, row: SheetRow, position: int) -> None:
        from saferhub.commissioning.models import Intention, IntentionState
        from saferhub.commissioning.setup import intention_create

        fund = self._fund(row)
        if fund is None:
            return
        if row.values["state"] == IntentionState.CONFIRMED and row.values.get("contribution") is None:
            self.problems.append(row.problem("contribution", "a confirmed intention needs the fund's contribution"))
            return
        key = {"year": row.values["year"], "as_at": row.values["as_at"], "position": row.values["position"]}
        values = {
            "area_of_need": row.text("area_of_need"),
            "recommendation": row.text("recommendation"),
            "state": row.values["state"],
            "contribution": row.values.get("contribution"),
            "total_budget": row.values.get("total_budget"),
            "total_budget_note": row.text("total_budget_note"),
        }
        intention = Intention.objects.filter(fund=fund, **key).first()
        if intention is None:
            self._guard(
                row, "state", lambda: intention_create(fund=fund, actor=self.actor, now=self.now, **key, **values)
            )
            self._count(row.sheet.name, "created")
        else:
            self._update(row, intention, values, f"intention {key['position']} of {fund.slug}")

    def project_row(self, row: SheetRow, position: int) -> None:
        from saferhub.commissioning.models import Project
        from saferhub.commissioning.setup import project_create

        fund = self._fund(row)
        if fund is None:
            return
        provider = self._organisation(row, "provider", required=False)
        if row.text("provider") and provider is None:
            return
        year, letter = row.values["year"], row.text("letter").upper()
        values = {
            "title": row.text("title"),
            "provider": provider,
            "amount": row.values["amount"],
            "share_of_service": row.text("share_of_service"),
            "total_service_budget": row.values.get("total_service_budget"),
            "commissioning_body": row.text("commissioning_body"),
            "contract_start": row.values.get("contract_start"),
            "contract_end": row.values.get("contract_end"),
        }
        start, end = values["contract_start"], values["contract_end"]
        if start and end and end < start:
            self.problems.append(row.problem("contract_end", "the contract cannot end before it starts"))
            return
        project = Project.objects.filter(fund=fund, year=year, letter=letter).first()
        if project is None:
            project = self._guard(
                row,
                "letter",
                lambda: project_create(fund=fund, year=year, letter=letter, actor=self.actor, now=self.now, **values),
            )
            if project is not None:
                self._count(row.sheet.name, "created")
        else:
            self._update(row, project, values, str(project))
        if project is not None:
            self.projects[(fund.slug, year, letter)] = project

    def kpi_row(self, row: SheetRow, position: int) -> None:
        from saferhub.commissioning.models import Kpi

        project = self._project(row)
        if project is None:
            return
        values = {
            "measure": row.text("measure"),
            "annual_target": row.text("annual_target"),
            "target_value": row.values.get("target_value"),
            "evidence_source": row.text("evidence_source"),
            "reporting_mechanism": row.text("reporting_mechanism"),
        }
        self._child(row, Kpi, project, {"name": row.text("name")}, values, f"KPI of {project}")

    def milestone_row(self, row: SheetRow, position: int) -> None:
        from saferhub.commissioning.models import Milestone

        project = self._project(row)
        if project is None:
            return
        values = {
            "deadline": row.values["deadline"],
            "deadline_label": row.text("deadline_label"),
            "deliverables": row.text("deliverables"),
            "done": bool(row.values.get("done")),
        }
        self._child(row, Milestone, project, {"activity": row.text("activity")}, values, f"milestone of {project}")

    def _child(
        self, row: SheetRow, model: Any, project: Any, key: dict[str, Any], values: dict[str, Any], label: str
    ) -> None:
        """A KPI or milestone of a project, found by its name; a new one goes after the project's others."""
        held = model.objects.filter(project=project, **key).first()
        if held is None:
            position = model.objects.filter(project=project).count()
            obj = model.objects.create(project=project, position=position, **key, **values)
            audit_record(
                actor=self.actor,
                action=AuditAction.CREATE,
                obj=obj,
                at=self.now,
                summary=f"{label} added by the set-up workbook: {next(iter(key.values()))}"[:200],
                after={k: audit_value(v) for k, v in {**key, **values}.items()},
            )
            self._count(row.sheet.name, "created")
        else:
            self._update(row, held, values, label)

    def return_row(self, row: SheetRow, position: int) -> None:
        from saferhub.commissioning.models import HalfYearReturn
        from saferhub.commissioning.services import half_year_return_open, half_year_return_update
        from saferhub.domain.commissioning import parse_half

        fund = self._fund(row)
        if fund is None:
            return
        period = row.text("period").upper()
        try:
            parse_half(period)
        except ValueError as exc:
            self.problems.append(row.problem("period", str(exc)))
            return
        held = HalfYearReturn.objects.filter(fund=fund, period=period).order_by("-version").first()
        values = {
            "area": row.text("area"),
            "due_on": row.values.get("due_on"),
            "half_year_end_label": row.text("half_year_end_label"),
        }
        if held is None:
            half_year_return_open(
                fund=fund, period=period, claimed=row.values["claimed"], actor=self.actor, now=self.now, **values
            )
            self._count(row.sheet.name, "created")
            return
        if held.claimed != row.values["claimed"]:
            # A signed return is not changed: the claim opens a new version (the service's rule).
            half_year_return_update(
                half_year_return=held, claimed=row.values["claimed"], actor=self.actor, now=self.now
            )
            self._count(row.sheet.name, "changed")
            held = HalfYearReturn.objects.filter(fund=fund, period=period).order_by("-version").first()
        if _differs(held, values):
            if held.frozen:
                self.problems.append(row.problem("area", f"the {period} return is signed: its details cannot change"))
                return
            self._update(row, held, values, f"the {period} return of {fund.slug}")

    def board_row(self, row: SheetRow, position: int) -> None:
        from saferhub.governance.models import Board
        from saferhub.governance.services import board_create, board_update

        values = {
            "name": row.text("name"),
            "quorum_minimum_members": row.values.get("quorum_minimum_members") or 5,
            "quorum_minimum_statutory": row.values.get("quorum_minimum_statutory") or 3,
            "quorum_deputies_count": row.values.get("quorum_deputies_count") is not False,
        }
        if values["quorum_minimum_statutory"] > values["quorum_minimum_members"]:
            self.problems.append(
                row.problem("quorum_minimum_statutory", "the quorum cannot need more statutory agencies than members")
            )
            return
        board = Board.objects.filter(partnership=self.partnership).first()
        created = board is None
        if board is None:
            board = board_create(
                partnership=self.partnership,
                name=values["name"],
                quorum_minimum_members=values["quorum_minimum_members"],
                quorum_minimum_statutory=values["quorum_minimum_statutory"],
                actor=self.actor,
                now=self.now,
            )
            self._count(row.sheet.name, "created")
        changes = _differs(board, values)
        if changes:
            self._guard(row, "name", lambda: board_update(board=board, actor=self.actor, now=self.now, **changes))
            if not created:
                self._count(row.sheet.name, "changed")
        self.board = board

    def _board(self, row: SheetRow) -> Any:
        from saferhub.governance.models import Board

        board = self.board or Board.objects.filter(partnership=self.partnership).first()
        if board is None:
            self.problems.append(row.problem(None, "this partnership has no board yet: name it on the Board sheet"))
        return board

    def member_row(self, row: SheetRow, position: int) -> None:
        from saferhub.governance.models import BoardRole, Membership
        from saferhub.governance.services import membership_create, membership_update

        board = self._board(row)
        organisation = self._organisation(row, "organisation", required=True)
        if board is None or organisation is None:
            return
        key = {
            "organisation": organisation,
            "representative": row.text("representative"),
            "starts_on": row.values["starts_on"],
        }
        values = {
            "title": row.text("title"),
            "board_role": row.values.get("board_role") or BoardRole.MEMBER,
            "deputy": row.text("deputy"),
            "deputy_title": row.text("deputy_title"),
            "ends_on": row.values.get("ends_on"),
        }
        held = Membership.objects.filter(board=board, **key).first()
        if held is None:
            if self._guard(
                row,
                "starts_on",
                lambda: membership_create(board=board, actor=self.actor, now=self.now, **key, **values),
            ):
                self._count(row.sheet.name, "created")
            return
        changes = _differs(held, values)
        if changes:
            self._guard(
                row, "ends_on", lambda: membership_update(membership=held, actor=self.actor, now=self.now, **changes)
            )
            self._count(row.sheet.name, "changed")

    def meeting_row(self, row: SheetRow, position: int) -> None:
        from saferhub.governance.models import Meeting, MeetingKind
        from saferhub.governance.services import meeting_create, meeting_update

        board = self._board(row)
        if board is None:
            return
        key = {"date": row.values["date"], "starts_at": row.values["starts_at"]}
        values = {
            "ends_at": row.values.get("ends_at"),
            "kind": row.values.get("kind") or MeetingKind.QUARTERLY,
            "venue": row.text("venue"),
        }
        held = Meeting.objects.filter(board=board, **key).first()
        if held is None:
            if self._guard(
                row, "ends_at", lambda: meeting_create(board=board, actor=self.actor, now=self.now, **key, **values)
            ):
                self._count(row.sheet.name, "created")
            return
        changes = _differs(held, values)
        if changes:
            self._guard(row, "ends_at", lambda: meeting_update(meeting=held, actor=self.actor, now=self.now, **changes))
            self._count(row.sheet.name, "changed")

    def agenda_row(self, row: SheetRow, position: int) -> None:
        from saferhub.governance.models import AgendaItem, Meeting
        from saferhub.governance.services import agenda_item_create

        board = self._board(row)
        if board is None:
            return
        meetings = list(Meeting.objects.filter(board=board, date=row.values["date"]))
        if len(meetings) != 1:
            why = "no meeting on that date: add it to the Meetings sheet" if not meetings else "two meetings that day"
            self.problems.append(row.problem("date", why))
            return
        number = row.values["number"]
        values = {"subject": row.text("subject"), "purpose": row.text("purpose"), "lead": row.text("lead")}
        held = AgendaItem.objects.filter(meeting=meetings[0], number=number).first()
        if held is None:
            created = self._guard(
                row,
                "number",
                lambda: agenda_item_create(
                    meeting=meetings[0], number=number, actor=self.actor, now=self.now, **values
                ),
            )
            if created:
                self._count(row.sheet.name, "created")
        else:
            self._update(row, held, values, f"item {number} of {meetings[0]}")

    # ------------------------------------------------------------------ after the commit
    def invite(self) -> None:
        """Each new person is invited (their account made, the link emailed) once the rest has
        committed: an email cannot be taken back if the load were refused."""
        from django.conf import settings

        from saferhub.accounts.account_services import user_invite

        for row, email, role, organisation in self.to_invite:
            if organisation is not None:
                organisation.refresh_from_db()
            user_invite(
                email=email,
                role=role,
                organisation=organisation,
                partnership=self.partnership,
                actor=self.actor,
                base_url=settings.SAFERHUB_BASE_URL,
                now=self.now,
            )
            self.result.invited.append(email)
            self._count(row.sheet.name, "created")
