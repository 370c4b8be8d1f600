"""Users, their role (from the source documents) and their scope (department, team, own record)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from rungs.core.roles import ROLES


class Role(models.TextChoices):
    """The user roles of rungs.core.roles (test_roles checks they are the same, labels included)."""

    AGENT = "agent", _("普通客服")
    TEAM_LEAD = "team_lead", _("组长")
    SUPERVISOR = "supervisor", _("主管")
    QA_TRAINING = "qa_training", _("质/培组")
    DEPARTMENT_MANAGER = "department_manager", _("部门经理")
    HR = "hr", _("人力资源")
    EXECUTIVE = "executive", _("副总/总经理")
    ADMIN = "admin", _("系统管理员")


# Roles that see every department. The others are limited to their department, team or own record.
COMPANY_WIDE = {Role.QA_TRAINING, Role.HR, Role.EXECUTIVE, Role.ADMIN}


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=30, choices=Role, default=Role.AGENT)
    employee = models.OneToOneField(
        "people.Employee", models.SET_NULL, null=True, blank=True, related_name="user", verbose_name=_("员工")
    )
    department = models.ForeignKey(
        "people.Department", models.SET_NULL, null=True, blank=True, verbose_name=_("部门")
    )
    team = models.ForeignKey("people.Team", models.SET_NULL, null=True, blank=True, verbose_name=_("班组"))
    # A password someone else set (a new login, an administrator's reset) is temporary: its holder changes
    # it before anything else (rungs.web.middleware.first_password).
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def role_label(self) -> str:
        return Role(self.role).label


class LoginFailure(models.Model):
    """A failed sign-in, kept for the throttle (rungs.accounts.throttle) for its window; in the database
    so every server process sees the same count."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("登录失败")
        verbose_name_plural = _("登录失败")


def _in_language(role):
    """The function's label in the active language, from the one vocabulary (not a second copy here)."""
    return lazy(lambda: role.label(get_language() or "zh"), str)()


FUNCTIONS = [(code, _in_language(r)) for code, r in ROLES.items() if not r.user_role]


class UserFunction(models.Model):
    """A decider's function a scheme names (董事长, 总经理, 总监, 评定小组成员 …) held by a user beside their
    role, so every approver a policy may name (rungs.core.roles) is someone a user can be."""

    user = models.ForeignKey(User, models.CASCADE, related_name="functions", verbose_name=_("用户"))
    function = models.CharField(_("职能"), max_length=40, choices=FUNCTIONS)

    class Meta:
        verbose_name = _("职能")
        verbose_name_plural = _("职能")
        constraints = [models.UniqueConstraint(fields=["user", "function"], name="one_function_per_user")]

    def __str__(self):
        return f"{self.user} · {self.get_function_display()}"


class Delegation(models.Model):
    """While `principal` is away (starts_on … ends_on, both days included), `delegate` approves in their
    place: as whatever role and functions the principal holds. One step only — a delegate's own delegation
    passes nothing on."""

    principal = models.ForeignKey(
        User, models.CASCADE, related_name="delegations_given", verbose_name=_("委托人")
    )
    delegate = models.ForeignKey(
        User, models.CASCADE, related_name="delegations_held", verbose_name=_("代理人")
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("审批委托")
        verbose_name_plural = _("审批委托")
        ordering = ["-starts_on"]

    def __str__(self):
        return f"{self.principal} → {self.delegate} {self.starts_on}–{self.ends_on}"
