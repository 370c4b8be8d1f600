"""The staff's voice: the anonymous suggestion box (匿名意见箱) and surveys (员工满意度调查).

Anonymity is a property of these tables, not of the pages: nothing an author or a respondent writes is
stored with a key, a name, an address or a time finer than the day that could lead back to them.
- A suggestion has a random UUID key (no insertion order), the day it arrived and the keyed hash of its
  receipt code (rungs.voice.receipts); its messages and handling steps are ordered within the suggestion
  only. The one row that names an author is a RewardClaim, made only when the author chooses to claim.
- A survey keeps who voted (Ballot, one row per person in the target group, made in a shuffled order when
  the survey opens, with a yes/no and nothing else) apart from what was answered (Response: a random UUID
  key, the day, the respondent's department and team for the breakdowns, the answers). A BallotToken is
  the single-use key between the two: it knows no person and is deleted when the response is stored.
Staff forums (座谈会) are meetings, not anonymous: who attended is on record. The issues raised are kept
without who raised them, each followed as an action to completion and published like a suggestion.
Rows change only through rungs.voice.suggestions, rungs.voice.surveys and rungs.voice.forums, each change
in the audit trail.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rungs.people.models import Department, Employee, Team

# ---------------------------------------------------------------------------------------------- suggestions


class Suggestion(models.Model):
    class State(models.TextChoices):
        RECEIVED = "received", _("已收到")
        REVIEW = "review", _("审议中")
        ADOPTED = "adopted", _("已采纳")
        DECLINED = "declined", _("未采纳")
        IMPLEMENTED = "implemented", _("已落实")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    receipt_hash = models.CharField(max_length=64, unique=True)  # HMAC of the receipt code, see receipts.py
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("内容"))
    received_on = models.DateField(_("收到日期"))  # the day only: no time of day
    released = models.BooleanField(_("已发给处理人"), default=False)  # released with its batch
    state = models.CharField(_("处理状态"), max_length=20, choices=State, default=State.RECEIVED)
    response = models.TextField(_("处理结果"), blank=True)  # published with the state
    excellent = models.BooleanField(_("优秀意见"), default=False)
    reward = models.DecimalField(_("奖励金额"), max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("匿名意见")
        verbose_name_plural = _("匿名意见")
        ordering = ["-received_on", "id"]  # within a day the random key: no order of arrival
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reward__isnull=True) | models.Q(reward__gt=0),
                name="suggestion_reward_positive",
            )
        ]

    def __str__(self):
        return self.title


class SuggestionMessage(models.Model):
    """One message of the conversation between the anonymous author and the handlers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    suggestion = models.ForeignKey(Suggestion, models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField()  # order within the conversation
    from_author = models.BooleanField()
    text = models.TextField(_("内容"))
    sent_on = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("意见往来")
        verbose_name_plural = _("意见往来")
        ordering = ["suggestion", "seq"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "seq"], name="one_message_per_seq")]


class SuggestionStep(models.Model):
    """One published handling step: from which state to which, on which day, why. Never edited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    suggestion = models.ForeignKey(Suggestion, models.CASCADE, related_name="steps")
    seq = models.PositiveIntegerField()
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20, choices=Suggestion.State)
    on = models.DateField(_("日期"))
    reason = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("处理记录")
        verbose_name_plural = _("处理记录")
        ordering = ["suggestion", "seq"]


class RewardClaim(models.Model):
    """An author who claims the reward of an excellent suggestion: the only row that names an author, made
    only when they choose to, and read by HR alone. HR's confirmation puts the reward on the ledger as an
    award line (`line`), which the payroll pays."""

    class State(models.TextChoices):
        # Confirmed means on the rewards ledger (an accrued award line), not yet paid: the line's own
        # state (approved, paid) says when the money follows.
        CLAIMED = "claimed", _("待确认")
        GRANTED = "granted", _("已记入奖励台账")

    suggestion = models.OneToOneField(Suggestion, models.PROTECT, related_name="claim")
    employee = models.ForeignKey(Employee, models.PROTECT, related_name="+")
    amount = models.DecimalField(_("奖励金额"), max_digits=10, decimal_places=2)
    claimed_on = models.DateField(_("领取日期"))
    state = models.CharField(_("状态"), max_length=20, choices=State, default=State.CLAIMED)
    granted_on = models.DateField(_("记入日期"), null=True, blank=True)
    # The award line HR's confirmation posted (rungs.rewards.awards). The link runs from the claim to the
    # line, never back: the line says nothing of the suggestion.
    line = models.OneToOneField(
        "rewards.RewardLine",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("奖励明细"),
    )

    class Meta:
        verbose_name = _("意见奖励领取")
        verbose_name_plural = _("意见奖励领取")
        ordering = ["-claimed_on", "pk"]


# ---------------------------------------------------------------------------------------------- surveys

MIN_GROUP_FLOOR = 3  # never report a group smaller than this, whatever a survey says
MIN_GROUP_DEFAULT = 5


class FixedOnceOpen(Exception):
    """Raised on an attempt to change a survey's minimum reporting group after it opened."""


class Survey(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    title = models.CharField(_("标题"), max_length=200)
    intro = models.TextField(_("说明"), blank=True)
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("部门")
    )
    team = models.ForeignKey(
        Team, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("班组")
    )
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    min_group = models.PositiveSmallIntegerField(_("最小报告人数"), default=MIN_GROUP_DEFAULT)
    # The rounds of one repeated survey share a series name; the dashboards put them side by side.
    series = models.CharField(_("调查系列"), max_length=100, blank=True, db_index=True)
    state = models.CharField(_("状态"), max_length=20, choices=State, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("调查问卷")
        verbose_name_plural = _("调查问卷")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_group__gte=MIN_GROUP_FLOOR), name="survey_min_group_floor"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="survey_dates"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The threshold is fixed when the survey opens (Lattice let it be lowered after closing).
        if not self._state.adding:
            stored = Survey.objects.filter(pk=self.pk).values_list("state", "min_group").first()
            if stored and stored[0] != self.State.DRAFT and stored[1] != self.min_group:
                raise FixedOnceOpen("the minimum reporting group is fixed once the survey opens")
        super().save(*args, **kwargs)

    @property
    def target_label(self) -> str:
        if self.team_id:
            return str(self.team)
        if self.department_id:
            return str(self.department)
        return str(_("全公司"))

    def is_closed(self, today) -> bool:
        return self.state == self.State.CLOSED or (self.state == self.State.OPEN and today > self.closes_on)

    def accepts(self, today) -> bool:
        return self.state == self.State.OPEN and self.opens_on <= today <= self.closes_on


class Question(models.Model):
    class Kind(models.TextChoices):
        RATING = "rating", _("评分（1–5）")
        CHOICE = "choice", _("单选")
        TEXT = "text", _("文字意见")

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    kind = models.CharField(_("题型"), max_length=20, choices=Kind)
    text = models.CharField(_("题目"), max_length=500)
    choices = models.JSONField(_("选项"), default=list, blank=True)

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering = ["survey", "position"]


class Ballot(models.Model):
    """Who may vote and whether they did: no time, and rows made in a shuffled order when the survey
    opened, so nothing here says when or in which order anyone voted."""

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="ballots")
    employee = models.ForeignKey(Employee, models.CASCADE, related_name="+")
    voted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("投票资格")
        verbose_name_plural = _("投票资格")
        constraints = [models.UniqueConstraint(fields=["survey", "employee"], name="one_ballot_per_person")]


class BallotToken(models.Model):
    """The single-use key of one response: issued when a person takes their ballot, deleted when the
    response is stored. It knows the respondent's group (for the breakdowns), not the respondent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    department = models.ForeignKey(Department, models.PROTECT, null=True, blank=True, related_name="+")
    team = models.ForeignKey(Team, models.PROTECT, null=True, blank=True, related_name="+")


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, models.CASCADE, related_name="responses")
    department = models.ForeignKey(Department, models.PROTECT, null=True, blank=True, related_name="+")
    team = models.ForeignKey(Team, models.PROTECT, null=True, blank=True, related_name="+")
    submitted_on = models.DateField()
    answers = models.JSONField(default=dict)  # {question pk: 1–5 | choice | text}

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["survey", "id"]


# ---------------------------------------------------------------------------------------------- forums


class Forum(models.Model):
    """A staff forum (员工座谈会): when, on what, for which department (empty = company-wide), who attended.
    The issues raised are its actions; none of them says who raised it."""

    held_on = models.DateField(_("召开日期"))
    topic = models.CharField(_("主题"), max_length=200)
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("部门")
    )
    attendees = models.ManyToManyField(Employee, related_name="+", blank=True, verbose_name=_("参会员工"))
    other_attendees = models.CharField(_("其他参会人员"), max_length=500, blank=True)
    summary = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("员工座谈会")
        verbose_name_plural = _("员工座谈会")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    @property
    def scope_label(self) -> str:
        return str(self.department) if self.department_id else str(_("全公司"))


class ForumAction(models.Model):
    """One issue raised at a forum, followed to completion: who owns it, by when, where it stands. The
    issue is the forum's, not a person's: no field names who raised it."""

    class State(models.TextChoices):
        RECEIVED = "received", _("已收到")
        IN_PROGRESS = "in_progress", _("处理中")
        DONE = "done", _("已完成")
        DECLINED = "declined", _("不予处理")

    forum = models.ForeignKey(Forum, models.CASCADE, related_name="actions")
    seq = models.PositiveIntegerField()  # its number within the forum
    issue = models.TextField(_("提出的问题"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="forum_actions", verbose_name=_("负责人")
    )
    due_on = models.DateField(_("完成期限"))
    state = models.CharField(_("处理状态"), max_length=20, choices=State, default=State.RECEIVED)
    result = models.TextField(_("处理结果"), blank=True)  # published with the state

    class Meta:
        verbose_name = _("座谈会事项")
        verbose_name_plural = _("座谈会事项")
        ordering = ["forum", "seq"]
        constraints = [models.UniqueConstraint(fields=["forum", "seq"], name="one_forum_action_per_seq")]

    def __str__(self):
        return f"{self.forum.topic} #{self.seq}"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.RECEIVED, self.State.IN_PROGRESS)


class ForumActionStep(models.Model):
    """One published step of an action: from which state to which, on which day, by whom, why."""

    action = models.ForeignKey(ForumAction, models.CASCADE, related_name="steps")
    seq = models.PositiveIntegerField()
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20, choices=ForumAction.State)
    on = models.DateField(_("日期"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("事项处理记录")
        verbose_name_plural = _("事项处理记录")
        ordering = ["action", "seq"]


class ForumEdit(models.Model):
    """A correction of a forum or of one of its actions after it was recorded, published like the steps: on
    which day, what was corrected (field names) and why. What it said before is in the audit trail only,
    since a correction may be removing something that should not have been written (a name, say)."""

    forum = models.ForeignKey(Forum, models.CASCADE, related_name="edits")
    action = models.ForeignKey(ForumAction, models.CASCADE, null=True, blank=True, related_name="edits")
    on = models.DateField(_("日期"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    fields = models.JSONField(default=list)  # the names of the fields corrected
    reason = models.TextField(_("修改原因"))

    class Meta:
        verbose_name = _("座谈会修改记录")
        verbose_name_plural = _("座谈会修改记录")
        ordering = ["forum", "on", "pk"]
