"""Commissioning: a fund's awards to a partnership, the commissioning intentions, the projects
(contracts) it pays for, providers' half-yearly returns and the signed half-year return to the
funder. Money columns are DecimalField to the penny; the rules live in
``saferhub.domain.commissioning``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saferhub.choices import text_choices
from saferhub.domain import commissioning as rules
from saferhub.domain.commissioning import Half
from saferhub.domain.returns import AppendixKind
from saferhub.retiring import Retirable

MONEY = {"max_digits": 14, "decimal_places": 2}


# The vocabulary is the domain's (saferhub.domain.commissioning); these are its Django choices.
IntentionState = text_choices(rules.IntentionState)
Rag = text_choices(rules.Rag)
ReviewState = text_choices(rules.ReviewState)
SignOffState = text_choices(rules.SignOffState)
# The offices whose holders sign the half-year return: the values are the sign-off steps.
Office = text_choices(rules.SignOffStep)


class OfficeHolder(models.Model):
    """Who holds an office of the partnership that signs its half-year returns: a named user,
    appointed by an administrator. A signature is made by the holder's own account."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="office_holders")
    office = models.CharField(max_length=20, choices=Office.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="offices_held")
    job_title = models.CharField(max_length=150)
    appointed_at = models.DateTimeField()
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["partnership", "office"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "office"], name="office_holder_one_per_office"),
            models.CheckConstraint(condition=models.Q(office__in=Office.values), name="office_holder_office_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_office_display()} of {self.partnership}: {self.user}"


class Fund(Retirable):
    """A funder's fund that awards the partnership money, e.g. the PCC's Community Safety Fund."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="funds")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    funder = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="funds_given")
    # Whoever holds the grant for the partnership ("Western Planning and Delivery Unit").
    channelled_through = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "slug"], name="fund_slug_unique")]

    def __str__(self) -> str:
        return self.name


class Award(models.Model):
    """The amount a fund awards for one financial year, and what was carried forward into it."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="awards")
    year = models.PositiveIntegerField(help_text="the calendar year in which the financial year starts")
    amount = models.DecimalField(**MONEY)
    carried_forward = models.DecimalField(**MONEY, default=0)
    carried_forward_note = models.CharField(max_length=300, blank=True)
    # When the award was decided and the carry-forward became known: a paper dated earlier
    # does not count them (saferhub.domain.commissioning_paper). Empty: before dates were kept.
    decided_on = models.DateField(null=True, blank=True)
    carried_forward_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["fund", "year"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year"], name="award_year_unique"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0) & models.Q(carried_forward__gte=0), name="award_not_negative"
            ),
        ]

    @property
    def year_label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def available(self):
        return self.amount + self.carried_forward


class Intention(Retirable):
    """A commissioning intention: an area of need, the recommendation, what the fund would give."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="intentions")
    year = models.PositiveIntegerField()
    position = models.PositiveIntegerField(default=0)
    as_at = models.DateField(help_text="the date of the paper that set it out")
    area_of_need = models.TextField()
    recommendation = models.TextField()
    contribution = models.DecimalField(**MONEY, null=True, blank=True)
    total_budget = models.DecimalField(**MONEY, null=True, blank=True)
    total_budget_note = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=20, choices=IntentionState.choices)
    # When it became confirmed: a paper dated earlier shows it still to be confirmed.
    confirmed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["fund", "year", "as_at", "position"]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=IntentionState.values), name="intention_state_valid"),
            # A confirmed intention has an amount; one still to be confirmed has none yet.
            models.CheckConstraint(
                condition=~models.Q(state=IntentionState.CONFIRMED.value) | models.Q(contribution__isnull=False),
                name="intention_confirmed_has_amount",
            ),
        ]

    @property
    def state_tag(self) -> str:
        return rules.IntentionState(self.state).tag


class Project(Retirable):
    """A contract the fund pays for, lettered as in the funder's return (A-H)."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="projects")
    year = models.PositiveIntegerField()
    letter = models.CharField(max_length=3)
    title = models.CharField(max_length=300)
    intention = models.ForeignKey(Intention, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects")
    provider = models.ForeignKey(
        "partnerships.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    provider_note = models.CharField(max_length=300, blank=True)
    commissioning_body = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(**MONEY)
    carried_forward_included = models.DecimalField(**MONEY, default=0)
    share_of_service = models.CharField(max_length=100, blank=True)
    total_service_budget = models.DecimalField(**MONEY, null=True, blank=True)
    funding_note = models.TextField(blank=True)
    expenditure_breakdown = models.TextField(blank=True)
    how_measured = models.TextField(blank=True)
    contract_start = models.DateField(null=True, blank=True)
    contract_end = models.DateField(null=True, blank=True)
    # When the fund's money was committed to it: a paper dated earlier does not count it.
    committed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["fund", "year", "letter"]
        constraints = [
            # A retired project keeps its letter for the record; the letter is free for a new one.
            models.UniqueConstraint(
                fields=["fund", "year", "letter"],
                condition=models.Q(retired_at__isnull=True),
                name="project_letter_unique",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="project_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Project {self.letter}: {self.title}"

    @property
    def year_label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    def owning_organisation(self):
        return self.provider


class CoFunder(Retirable):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cofunders")
    name = models.CharField(max_length=200)
    amount = models.DecimalField(**MONEY, null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)


class Milestone(Retirable):
    """A step of a project's procurement timetable."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveIntegerField(default=0)
    activity = models.CharField(max_length=300)
    deadline = models.DateField()
    deadline_label = models.CharField(max_length=40, blank=True, help_text='when only a month is known: "January 2018"')
    deliverables = models.TextField(blank=True)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["project", "position"]


class Outcome(Retirable):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveIntegerField(default=0)
    description = models.TextField()
    measure = models.TextField(blank=True, help_text="how it is measured")

    class Meta:
        ordering = ["project", "position"]


class Kpi(Retirable):
    """A row of a service specification's KPI (or outcome) table. A target may be "to be
    agreed": then ``target_value`` is empty and ``annual_target`` says so."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="kpis")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=400)
    measure = models.TextField()
    annual_target = models.CharField(max_length=200)
    target_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    evidence_source = models.CharField(max_length=300, blank=True)
    reporting_mechanism = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["project", "position"]

    def __str__(self) -> str:
        return self.name

    @property
    def target_to_be_agreed(self) -> bool:
        return self.target_value is None


class ProjectReturn(models.Model):
    """A provider's return for one project and one half year: KPI actuals, spend lines, the
    narratives and the RAG rating; reviewed by the commissioner."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="returns")
    period = models.CharField(max_length=7, help_text="half year, e.g. 2017-H1")
    state = models.CharField(max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT)
    due_on = models.DateField(null=True, blank=True)
    achieved = models.TextField(blank=True, help_text="to what extent have the outcomes been achieved")
    actions = models.TextField(blank=True, help_text="actions put in place to achieve outcomes")
    rag = models.CharField(max_length=20, choices=Rag.choices, blank=True)
    rag_set_by = models.CharField(max_length=150, blank=True)
    rag_set_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.CharField(max_length=150, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "period"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="project_return_unique"),
            models.CheckConstraint(condition=models.Q(state__in=ReviewState.values), name="project_return_state_valid"),
            models.CheckConstraint(
                condition=models.Q(rag="") | models.Q(rag__in=Rag.values), name="project_return_rag_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} – {self.half.name}"

    @property
    def half(self) -> Half:
        from saferhub.domain.commissioning import parse_half

        return parse_half(self.period)

    def owning_organisation(self):
        return self.project.provider


class KpiActual(models.Model):
    project_return = models.ForeignKey(ProjectReturn, on_delete=models.CASCADE, related_name="actuals")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="actuals")
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project_return", "kpi"], name="kpi_actual_unique")]


class SpendLine(models.Model):
    project_return = models.ForeignKey(ProjectReturn, on_delete=models.CASCADE, related_name="spend_lines")
    position = models.PositiveIntegerField(default=0)
    category = models.CharField(max_length=300)
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["project_return", "position", "id"]


class HalfYearReturn(models.Model):
    """The return to the funder for one half year. Signed in two steps; once signed it is frozen
    in ``snapshot`` from the CSP manager's signature on (the return exactly as signed), and later edits open a new version."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="half_year_returns")
    period = models.CharField(max_length=7)
    version = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=20, choices=SignOffState.choices, default=SignOffState.DRAFT)
    area = models.CharField(max_length=200)
    half_year_end_label = models.CharField(max_length=40, blank=True)
    claimed = models.DecimalField(**MONEY)
    due_on = models.DateField(null=True, blank=True)
    csp_name = models.CharField(max_length=150, blank=True)
    csp_job_title = models.CharField(max_length=150, blank=True)
    csp_signed_on = models.DateField(null=True, blank=True)
    cfo_name = models.CharField(max_length=150, blank=True)
    cfo_job_title = models.CharField(max_length=150, blank=True)
    cfo_signed_on = models.DateField(null=True, blank=True)
    # The accounts that signed (the names above are copied from them when they sign; returns
    # signed before accounts were recorded have names only).
    csp_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cfo_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["fund", "period", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "period", "version"], name="half_year_return_version_unique"),
            models.CheckConstraint(
                condition=models.Q(state__in=SignOffState.values), name="half_year_return_state_valid"
            ),
            # The CSP manager signs a snapshot; the treasurer countersigns that same snapshot.
            models.CheckConstraint(
                condition=models.Q(state=SignOffState.DRAFT.value) | models.Q(snapshot__isnull=False),
                name="signed_return_has_snapshot",
            ),
            # Two signatures, two people (the service refuses it first, with a message).
            models.CheckConstraint(
                condition=models.Q(csp_signed_by__isnull=True)
                | models.Q(cfo_signed_by__isnull=True)
                | ~models.Q(csp_signed_by=models.F("cfo_signed_by")),
                name="half_year_return_two_signatories",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.period} v{self.version}"

    @property
    def half(self) -> Half:
        from saferhub.domain.commissioning import parse_half

        return parse_half(self.period)

    def owning_organisation(self):
        # The return covers every provider's project: no single provider owns it, so provider
        # users do not see it (answered 404).
        return None

    @property
    def frozen(self) -> bool:
        return self.state != SignOffState.DRAFT


class AppendixFile(models.Model):
    """An uploaded PDF appendix's bytes, kept under their BLAKE3 digest and never changed or
    deleted while a return refers to them: a signed return's snapshot names the digest, so it
    still prints the same pages after the appendix is replaced on the project."""

    digest = models.CharField(max_length=64, primary_key=True)
    content = models.BinaryField()
    pages = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"PDF {self.digest[:12]} ({self.pages} pages)"


class Appendix(models.Model):
    """A document attached to a project's section of the half-year return: a narrative written
    in saferhub, or an uploaded PDF. The return letters every project's appendices in order
    (project C's first is appendix A), and prints them after the sign-off block."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="appendices")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=[(k.value, k.label) for k in AppendixKind])
    text = models.TextField(blank=True)
    file = models.ForeignKey(AppendixFile, null=True, blank=True, on_delete=models.PROTECT, related_name="appendices")
    file_name = models.CharField(max_length=200, blank=True, help_text="the uploaded file's name, as shown to readers")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["project", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="narrative") & models.Q(file__isnull=True))
                | (models.Q(kind="pdf") & models.Q(file__isnull=False)),
                name="appendix_narrative_or_pdf",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.letter}: {self.title}"

    def owning_organisation(self):
        return self.project.owning_organisation()
