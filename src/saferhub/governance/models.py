"""The board of a Community Safety Partnership: its terms of reference, members, meetings,
agenda items and papers, attendance, decisions, actions, priorities and issued packs."""

from __future__ import annotations

from django.db import models

from saferhub.choices import text_choices
from saferhub.domain import governance as rules
from saferhub.domain.governance import QuorumRule
from saferhub.domain.problems import SaferhubError
from saferhub.retiring import Retirable


class ImmutableRecord(SaferhubError):
    pass


class Board(models.Model):
    partnership = models.OneToOneField("partnerships.Partnership", on_delete=models.CASCADE, related_name="board")
    name = models.CharField(max_length=200)
    # The quorum rule is configurable: see saferhub.domain.governance.QuorumRule.
    quorum_minimum_members = models.PositiveSmallIntegerField(default=5)
    quorum_minimum_statutory = models.PositiveSmallIntegerField(default=3)
    quorum_deputies_count = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name

    def quorum_rule(self) -> QuorumRule:
        return QuorumRule(self.quorum_minimum_members, self.quorum_minimum_statutory, self.quorum_deputies_count)


ToRStatus = text_choices(rules.ToRStatus)


class TermsOfReference(Retirable):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="terms")
    version = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=ToRStatus.choices, default=ToRStatus.DRAFT)
    drafted_on = models.DateField()
    adopted_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-drafted_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["board", "version"], name="tor_version_unique")]

    def __str__(self) -> str:
        return f"Terms of reference {self.version} ({self.get_status_display()})"

    @property
    def status_tag(self) -> str:
        return rules.ToRStatus(self.status).tag


class ToRSection(models.Model):
    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=120)
    text = models.TextField()

    class Meta:
        ordering = ["position"]


class BoardRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    MEMBER = "member", "Member"


class Membership(models.Model):
    """An organisation's seat on the board, its representative and mandated deputy."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="board_seats")
    representative = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True, help_text="the representative's job title")
    board_role = models.CharField(max_length=20, choices=BoardRole.choices, default=BoardRole.MEMBER)
    deputy = models.CharField(max_length=200, blank=True)
    deputy_title = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.representative} ({self.organisation})"

    def current_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class InvitedAttendee(Retirable):
    """Someone invited for specific items (``item``) or for a time-limited period."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="invitees")
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    item = models.ForeignKey("AgendaItem", null=True, blank=True, on_delete=models.CASCADE, related_name="invitees")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(item__isnull=False)
                | (models.Q(starts_on__isnull=False) & models.Q(ends_on__isnull=False)),
                name="invitee_for_item_or_period",
            ),
        ]


class MeetingKind(models.TextChoices):
    QUARTERLY = "quarterly", "Quarterly"
    EXTRAORDINARY = "extraordinary", "Extraordinary"


class Meeting(Retirable):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=20, choices=MeetingKind.choices, default=MeetingKind.QUARTERLY)
    date = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "date", "starts_at"],
                condition=models.Q(retired_at__isnull=True),
                name="meeting_unique_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.board} {self.date:%-d %B %Y}"


class AgendaItem(Retirable):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    subject = models.CharField(max_length=200)
    purpose = models.CharField(max_length=300, help_text='e.g. "To discuss the draft Terms of Reference."')
    lead = models.CharField(max_length=200, blank=True)
    # A paper held elsewhere (the partner's own site); papers in the pack are Paper rows.
    paper_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            # A withdrawn item keeps its number for the record; the number is free for a new item.
            models.UniqueConstraint(
                fields=["meeting", "number"],
                condition=models.Q(retired_at__isnull=True),
                name="agenda_item_number_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.subject}"


class PaperKind(models.TextChoices):
    UPLOAD = "upload", "Uploaded PDF"
    LIVE = "live", "Generated live by saferhub"
    WRITTEN = "written", "Written in saferhub"


class Paper(models.Model):
    """A paper for an item: an uploaded PDF, a paper written in saferhub, or a live paper
    generated when the pack is built (``generator`` names an entry of
    saferhub.governance.papers.LIVE_PAPERS). Uploaded and written papers have versions
    (``PaperVersion``); a pack carries the latest version released for the board. ``content``
    is the PDF first uploaded (papers uploaded before versions were kept have only that)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=PaperKind.choices)
    generator = models.CharField(max_length=60, blank=True)
    options = models.JSONField(default=dict, blank=True)
    content = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="upload") & models.Q(content__isnull=False))
                | (models.Q(kind="live") & ~models.Q(generator=""))
                | (models.Q(kind="written") & models.Q(generator="")),
                name="paper_has_content_or_generator",
            ),
        ]

    def board_version(self) -> "PaperVersion | None":
        """The latest version released for the board (None: none yet, or a live paper)."""
        return self.versions.filter(status=PaperStatus.FOR_BOARD).order_by("-number").first()

    def latest_version(self) -> "PaperVersion | None":
        return self.versions.order_by("-number").first()


PaperStatus = text_choices(rules.PaperStatus)


class PaperVersion(models.Model):
    """One saved version of an uploaded or written paper; every save is a new version and the
    earlier ones are kept. ``body`` is the written text (saferhub.domain.document's markup);
    ``content`` the PDF of an upload (a Word file is converted to PDF when uploaded, and kept
    in ``original``)."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=PaperStatus.choices, default=PaperStatus.DRAFT)
    author = models.CharField(max_length=200)
    saved_by = models.CharField(max_length=150, blank=True)
    saved_at = models.DateTimeField()
    body = models.TextField(blank=True)
    content = models.BinaryField(null=True, blank=True)
    original = models.BinaryField(null=True, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    note = models.CharField(max_length=300, blank=True, help_text="what changed in this version")

    class Meta:
        ordering = ["paper", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "number"], name="paper_version_number_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=PaperStatus.values), name="paper_version_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paper.title} v{self.number} ({self.get_status_display()})"

    @property
    def status_tag(self) -> str:
        return rules.PaperStatus(self.status).tag

    @property
    def for_board(self) -> bool:
        """Released for the board (else a draft)."""
        return self.status == PaperStatus.FOR_BOARD


class AttendanceKind(models.TextChoices):
    PRESENT = "present", "Present"
    DEPUTY = "deputy", "Deputy attended"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="attendance")
    kind = models.CharField(max_length=20, choices=AttendanceKind.choices)
    attended_by = models.CharField(max_length=200, blank=True, help_text="the deputy's name when a deputy attended")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "membership"], name="attendance_unique")]


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions")
    text = models.TextField()

    class Meta:
        ordering = ["item__number", "id"]


ActionStatus = text_choices(rules.ActionStatus)


class Action(models.Model):
    """An action raised at a meeting; it stays on the log of every later meeting until closed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions_raised")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["meeting__date", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ActionStatus.values), name="action_status_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in rules.ACTION_OPEN_STATES], closed_on__isnull=True)
                | models.Q(status__in=[s.value for s in rules.ACTION_CLOSED_STATES], closed_on__isnull=False),
                name="action_closed_on_iff_closed",
            ),
        ]

    @property
    def ref(self) -> str:
        return f"A{self.pk}"

    @property
    def status_tag(self) -> str:
        return rules.ActionStatus(self.status).tag


class PriorityKind(models.TextChoices):
    PRIORITY = "priority", "Priority"
    EMERGING = "emerging", "Emerging issue"
    CROSS_CUTTING = "cross_cutting", "Cross-cutting issue"


class Priority(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="priorities")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PriorityKind.choices, default=PriorityKind.PRIORITY)
    description = models.TextField(blank=True)
    # The member who "takes responsibility" for it (terms of reference, accountability).
    owner = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="priorities")
    indicators = models.ManyToManyField("performance.Indicator", blank=True, related_name="priorities")
    # Projects live in the commissioning app (another part); kept as references until linked.
    projects = models.JSONField(default=list, blank=True)
    source = models.CharField(
        max_length=200, blank=True, help_text="where it was identified, e.g. the strategic assessment"
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["board", "name"], name="priority_name_unique")]

    def __str__(self) -> str:
        return self.name


class ScoringSchemeRecord(models.Model):
    """A board's scales for threat/risk/harm scoring, stored as the config of
    saferhub.domain.governance.ScoringScheme. The newest is current."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="scoring_schemes")
    config = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]


class PriorityScore(models.Model):
    """One scoring of a priority; the history is every row, the newest is current."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="scores")
    scheme = models.ForeignKey(ScoringSchemeRecord, on_delete=models.PROTECT, related_name="scores")
    values = models.JSONField()
    scope = models.CharField(max_length=40)
    confidence = models.CharField(max_length=10)
    total = models.DecimalField(max_digits=10, decimal_places=1)
    reasons = models.JSONField(default=list)
    illustrative = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    scored_on = models.DateField()
    scored_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-scored_on", "-id"]


class PackKind(models.TextChoices):
    AGENDA = "agenda", "Agenda pack"
    SUPPLEMENT = "supplement", "Supplement pack"


class Pack(models.Model):
    """An issued pack: the PDF exactly as issued, with its checksum. Never changed afterwards;
    a supplement is a new issue."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="packs")
    issue = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=PackKind.choices)
    issued_at = models.DateTimeField()
    issued_by = models.CharField(max_length=150, blank=True)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField()
    # [{"number": 5, "subject": ..., "first_page": 1, "last_page": 4, "papers": [...]}]
    contents = models.JSONField()

    class Meta:
        ordering = ["meeting__date", "issue"]
        constraints = [models.UniqueConstraint(fields=["meeting", "issue"], name="pack_issue_unique")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableRecord("an issued pack cannot be changed; issue a supplement")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord("an issued pack cannot be deleted")

    def filename(self) -> str:
        return f"{self.meeting.board.partnership.slug}-{self.meeting.date:%Y-%m-%d}-{self.kind}-issue-{self.issue}.pdf"
