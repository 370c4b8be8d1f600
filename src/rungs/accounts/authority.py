"""The one authority table: which role may take which action, and on whom.

Every page, API endpoint, command and service asks here (`may`, `check`), so a team lead cannot do through
the API what the pages refuse them. An action is a role rule (what) combined with the user's scope (whom,
`rungs.accounts.scope.visible_employees`) when the action is about a person. The command line and the
worker act as the system (actor None): whoever runs them has the server's shell and database already.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from rungs.accounts.models import Role
from rungs.accounts.scope import visible_employees

EVERYONE = frozenset(Role)
LINE = frozenset({Role.TEAM_LEAD, Role.SUPERVISOR, Role.DEPARTMENT_MANAGER, Role.ADMIN})
DATA_OWNERS = frozenset({Role.HR, Role.DEPARTMENT_MANAGER, Role.ADMIN})  # the department's data and scheme
# Who reads an undisclosed award reason and a suggestion's claim: HR alone, not the administrators.
CONFIDENTIAL_READERS = frozenset({Role.HR})


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    label: object  # what the action is, for "你的角色不能…" (lazy translation)
    about_people: bool = False  # the target person must be in the user's scope
    not_self: bool = False  # nobody takes this action about themselves
    roles_only: bool = False  # only these roles: being a superuser does not grant it


ACTIONS: dict[str, Rule] = {
    "board.read": Rule(EVERYONE - {Role.AGENT}, _("查看资格看板和班组视图")),
    "policy.read": Rule(EVERYONE - {Role.AGENT}, _("查看晋升策略和评估记录")),
    "policy.create": Rule(DATA_OWNERS, _("上传晋升策略")),
    "evaluation_run.start": Rule(DATA_OWNERS, _("运行资格评估")),
    "import.commit": Rule(DATA_OWNERS, _("导入数据")),
    # Day-to-day facts about one person: the line scores, attests and commends; the quality/training
    # group records exams, trainings and certificates. Nobody records a fact about themselves.
    "score.record": Rule(LINE, _("录入考核得分"), about_people=True, not_self=True),
    "score.correct": Rule(LINE, _("更正考核得分"), about_people=True, not_self=True),
    "kpi.record": Rule(LINE, _("录入 KPI 指标"), about_people=True, not_self=True),
    "event.record": Rule(LINE, _("录入事件（表扬、认定、处罚等）"), about_people=True, not_self=True),
    "exam.record": Rule(
        frozenset({Role.QA_TRAINING, Role.ADMIN}),
        _("录入考试、培训和证书"),
        about_people=True,
        not_self=True,
    ),
    # The API's bulk write: each row's kind is checked as above (fact_action / may_write_fact).
    "records.bulk": Rule(LINE | DATA_OWNERS | {Role.QA_TRAINING}, _("通过 API 批量写入记录")),
    "token.issue": Rule(frozenset({Role.ADMIN}), _("签发 API 令牌")),
    "token.revoke": Rule(frozenset({Role.ADMIN}), _("吊销 API 令牌")),
    "user.manage": Rule(frozenset({Role.HR, Role.ADMIN}), _("管理登录账号")),
    # The group robots (DingTalk/Feishu) that reminders are sent through: their webhooks and secrets.
    "robot.manage": Rule(frozenset({Role.ADMIN}), _("管理群机器人")),
    # One's own inbox (rungs.notify.Message): everyone marks their messages read.
    "inbox.read": Rule(EVERYONE, _("标记站内通知为已读")),
    "user.create": Rule(frozenset({Role.HR, Role.ADMIN}), _("创建登录账号")),
    # The organisation on HR's pages (rungs.accounts.org): departments, teams, employees and posts (编制).
    "org.manage": Rule(frozenset({Role.HR, Role.ADMIN}), _("维护部门、班组、员工和编制")),
    # Everyone changes their own password; another login's password is user.manage's.
    "user.password": Rule(EVERYONE, _("修改登录密码")),
    "audit.read": Rule(frozenset({Role.HR, Role.ADMIN}), _("查看审计记录")),
    # Promotion rounds. The policy's authority matrix then names who reviews and approves each level
    # (rungs.promotions.services checks the person holds that role or function, beside this table).
    "round.open": Rule(DATA_OWNERS | {Role.QA_TRAINING}, _("发起晋升评审")),
    "round.apply": Rule(EVERYONE, _("申请晋升")),
    "round.nominate": Rule(LINE, _("推荐晋升人选"), about_people=True, not_self=True),
    "round.review": Rule(
        LINE | DATA_OWNERS | {Role.QA_TRAINING}, _("进行资格审查"), about_people=True, not_self=True
    ),
    "round.assess": Rule(DATA_OWNERS | {Role.QA_TRAINING}, _("录入晋升考核成绩")),
    "round.committee": Rule(DATA_OWNERS | {Role.QA_TRAINING}, _("记录评审委员会决议")),
    "round.notice": Rule(DATA_OWNERS, _("发布晋升公示")),
    "round.object": Rule(EVERYONE, _("对公示提出异议")),
    "round.mediate": Rule(
        frozenset({Role.HR, Role.ADMIN}), _("处理公示异议"), about_people=True, not_self=True
    ),
    "round.approve": Rule(EVERYONE - {Role.AGENT}, _("审批晋升"), about_people=True, not_self=True),
    "round.appoint": Rule(frozenset({Role.HR, Role.ADMIN}), _("发布任命"), about_people=True, not_self=True),
    "round.acting": Rule(
        frozenset({Role.HR, Role.ADMIN}), _("安排职务代理"), about_people=True, not_self=True
    ),
    "round.conclude": Rule(DATA_OWNERS, _("作出考察期结论"), about_people=True, not_self=True),
    # run by the scheduler with no user (rungs manage send_reminders); a user who runs it must be one of these
    "round.remind": Rule(DATA_OWNERS, _("发送办理期限提醒")),
    # the policy's procedure.rules_owner then names who approves a new version (rungs.policies.services)
    "policy.approve": Rule(EVERYONE - {Role.AGENT}, _("批准制度修订")),
    "calendar.edit": Rule(frozenset({Role.HR, Role.ADMIN}), _("维护工作日历")),
    # Cases that follow a rule (demotion triggers, unqualified leaders, warnings): the owner named on the
    # case (the department manager) or HR decides.
    "case.open": Rule(DATA_OWNERS | {Role.QA_TRAINING}, _("根据评估结果立案")),
    "case.read": Rule(DATA_OWNERS | {Role.QA_TRAINING, Role.SUPERVISOR}, _("查看处理事项")),
    "case.decide": Rule(DATA_OWNERS, _("处理降级、考察等事项"), about_people=True, not_self=True),
    # Honors and recognition (rungs.honors): HR or the department manager sets up the titles and posts the
    # 公示; a superior nominates; HR or the department manager reviews and awards; HR mediates objections.
    # Anyone thanks a colleague (not themselves), within a monthly allowance.
    "honor.define": Rule(DATA_OWNERS, _("设立荣誉称号")),
    "honor.nominate": Rule(LINE, _("推荐荣誉人选"), about_people=True, not_self=True),
    "honor.review": Rule(DATA_OWNERS, _("审核荣誉提名"), about_people=True, not_self=True),
    "honor.notice": Rule(DATA_OWNERS, _("发布荣誉公示")),
    "honor.object": Rule(EVERYONE, _("对荣誉公示提出异议")),
    "honor.mediate": Rule(
        frozenset({Role.HR, Role.ADMIN}), _("处理荣誉公示异议"), about_people=True, not_self=True
    ),
    "honor.award": Rule(DATA_OWNERS, _("授予荣誉"), about_people=True, not_self=True),
    # Taking an honor back (made in error, or forfeited) is HR's, as mediating objections to it is.
    "honor.revoke": Rule(
        frozenset({Role.HR, Role.ADMIN}), _("撤销已授予的荣誉"), about_people=True, not_self=True
    ),
    "recognition.give": Rule(EVERYONE, _("感谢同事"), not_self=True),
    # Rewards (rungs.rewards): HR runs a policy's reward plans for a cycle; HR or an executive approves a
    # run's lines within the plans' budgets; HR records them paid and answers disputes. Everyone reads the
    # published plans and their own statement, and questions their own lines.
    "reward.run": Rule(frozenset({Role.HR, Role.ADMIN}), _("核算奖励")),
    "reward.approve": Rule(frozenset({Role.HR, Role.EXECUTIVE, Role.ADMIN}), _("批准奖励明细")),
    "reward.pay": Rule(frozenset({Role.HR, Role.ADMIN}), _("登记奖励发放")),
    # A run found wrong while all its lines are still accrued is discarded whole, then run again.
    "reward.discard": Rule(frozenset({Role.HR, Role.ADMIN}), _("作废奖励核算")),
    "reward.read": Rule(EVERYONE - {Role.AGENT}, _("查看他人的奖励明细"), about_people=True),
    "reward.dispute": Rule(EVERYONE, _("对奖励明细提出异议")),
    "reward.decide": Rule(
        frozenset({Role.HR, Role.ADMIN}), _("答复奖励异议、冲销明细"), about_people=True, not_self=True
    ),
    "reward.export": Rule(frozenset({Role.HR, Role.ADMIN}), _("导出工资表")),
    # Awards (专项奖励, rungs.rewards.awards): a one-off line no plan computed. HR posts them for anyone, a
    # department manager for the people of their department (the scope), nobody for themselves; they are
    # then approved and paid like a run's lines, by reward.approve and reward.pay.
    "reward.award": Rule(DATA_OWNERS, _("发放专项奖励"), about_people=True, not_self=True),
    "reward.whatif": Rule(DATA_OWNERS | {Role.EXECUTIVE}, _("测算奖励方案草案")),
    # The staff's voice (rungs.voice). Submitting, following by receipt code and answering a survey are
    # checked here like any write, but their audit entries name nobody (see rungs.voice.models).
    "suggestion.submit": Rule(EVERYONE, _("提交匿名意见")),
    "suggestion.follow": Rule(EVERYONE, _("凭回执码跟进意见")),
    "suggestion.handle": Rule(frozenset({Role.HR, Role.ADMIN}), _("处理匿名意见")),
    "suggestion.claim": Rule(EVERYONE, _("领取优秀意见奖励")),
    # Claims name their author: HR alone reads them (not even the administrators).
    "suggestion.reward": Rule(CONFIDENTIAL_READERS, _("发放意见奖励"), roles_only=True),
    # The real reason of an award posted with an undisclosed one (原因不公开) — a suggestion's reward among
    # them — and the claims that join an author to a suggestion: one reader for both (rungs.rewards.awards
    # and rungs.voice ask this action alone), so the two audiences cannot drift apart.
    "reward.confidential": Rule(
        CONFIDENTIAL_READERS, _("查看不公开的奖励原因和意见奖励的领取"), roles_only=True
    ),
    "survey.manage": Rule(DATA_OWNERS, _("创建和发布调查问卷")),
    "survey.respond": Rule(EVERYONE, _("填写调查问卷")),
    "survey.results": Rule(EVERYONE - {Role.AGENT}, _("查看调查结果")),
    # Staff forums (座谈会): HR or the department manager (their own department) holds and records one and
    # gives each issue raised an owner and a due date; the owner (or those who record forums) takes it to
    # done or declined. Everyone reads every forum and where its issues stand.
    "forum.read": Rule(EVERYONE, _("查看员工座谈会")),
    "forum.record": Rule(DATA_OWNERS, _("召开和记录员工座谈会")),
    "forum.act": Rule(EVERYONE - {Role.AGENT}, _("跟进座谈会提出的问题")),
    # Talent (rungs.talent): the training group with the hiring posts sets up the key posts' reserve pools
    # and calibrates them; HR keeps the company-wide reserve talent file. The line and the managers read
    # the pools of their people. Everyone fills their own career development plan (员工职业发展规划表); the
    # training group or the line may fill it in with them. Career talks are held by the supervisor (the
    # career mentor), the department manager or the training group, never about oneself.
    "talent.read": Rule(
        frozenset({Role.SUPERVISOR, Role.DEPARTMENT_MANAGER, Role.HR, Role.QA_TRAINING, Role.EXECUTIVE})
        | {Role.ADMIN},
        _("查看储备人才库"),
    ),
    "talent.manage": Rule(frozenset({Role.HR, Role.QA_TRAINING, Role.ADMIN}), _("建立和维护储备人才库")),
    "talent.calibrate": Rule(
        frozenset({Role.HR, Role.QA_TRAINING, Role.ADMIN}),
        _("调整储备人选的准备度和九宫格"),
        about_people=True,
        not_self=True,
    ),
    "career.read": Rule(EVERYONE, _("查看职业发展档案"), about_people=True),
    "career_plan.record": Rule(EVERYONE, _("填写员工职业发展规划表"), about_people=True),
    "career_talk.record": Rule(
        frozenset({Role.SUPERVISOR, Role.DEPARTMENT_MANAGER, Role.QA_TRAINING, Role.HR, Role.ADMIN}),
        _("记录职业发展面谈"),
        about_people=True,
        not_self=True,
    ),
    # The training group's yearly review of each plan (培训组审查规划表), never about oneself.
    "career_review.record": Rule(
        frozenset({Role.QA_TRAINING, Role.HR, Role.ADMIN}),
        _("审查员工职业发展规划表"),
        about_people=True,
        not_self=True,
    ),
    # Whether a reward plan paid off (rungs.effect): the people who decide on plans and their budget.
    "reward.effect": Rule(
        frozenset({Role.HR, Role.DEPARTMENT_MANAGER, Role.QA_TRAINING, Role.EXECUTIVE, Role.ADMIN}),
        _("查看奖励方案的效果评估"),
    ),
}

# Which action writes a fact of the interchange (a row of evaluations.csv / metrics.csv, an event type).
TRAINING_EVENTS = frozenset({"exam", "training", "course_completed", "certificate"})


def fact_action(table: str, event_type: str | None = None) -> str:
    if table == "evaluations":
        return "score.record"
    if table == "metrics":
        return "kpi.record"
    return "exam.record" if event_type in TRAINING_EVENTS else "event.record"


class Denied(PermissionDenied):
    """A refused action with the reason, in the user's language; pages answer 403 with it, the API too."""

    def __init__(self, action: str, reason: str):
        self.action = action
        self.reason = reason
        super().__init__(reason)


def _role_allows(user, rule: Rule) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and ((user.is_superuser and not rule.roles_only) or user.role in rule.roles)
    )


def _in_scope(user, employee) -> bool:
    return user.is_superuser or visible_employees(user).filter(pk=employee.pk).exists()


def refusal(user, action: str, employee=None) -> str | None:
    """Why `user` may not take `action` (on `employee`), or None when they may. Actor None is the system."""
    rule = ACTIONS[action]
    if user is None:
        return None
    if not _role_allows(user, rule):
        role = user.role_label if user.is_authenticated else _("未登录")
        return str(_("您的角色（%(role)s）不能%(what)s。") % {"role": role, "what": rule.label})
    if employee is not None and rule.not_self and user.employee_id == employee.pk:
        return str(_("不能为自己%(what)s。") % {"what": rule.label})
    if employee is not None and rule.about_people and not _in_scope(user, employee):
        return str(_("%(name)s 不在您的管理范围内。") % {"name": employee.name})
    return None


def may(user, action: str, employee=None) -> bool:
    return refusal(user, action, employee) is None


def check(user, action: str, employee=None) -> None:
    """Raises Denied (a PermissionDenied) with the reason unless `user` may take `action`."""
    reason = refusal(user, action, employee)
    if reason is not None:
        raise Denied(action, reason)


def may_write_fact(user, table: str, event_type: str | None = None) -> bool:
    """A fact may be written by whoever records it by hand, or imported by whoever imports the data (an
    import writes every kind of fact, for the people in the importer's scope)."""
    return may(user, fact_action(table, event_type)) or may(user, "import.commit")


def abilities(user) -> dict[str, bool]:
    """What the pages offer this user (links and buttons), from the same table."""
    return {
        "can_read_board": may(user, "board.read"),
        "can_import": may(user, "import.commit"),
        "can_edit_policies": may(user, "policy.create"),
        "can_run": may(user, "evaluation_run.start"),
        "can_record": may(user, "score.record"),
        "can_record_exam": may(user, "exam.record"),
        "can_read_policies": may(user, "policy.read"),
        "can_read_audit": may(user, "audit.read"),
        "can_issue_tokens": may(user, "token.issue"),
        "can_manage_org": may(user, "org.manage"),
        "can_manage_logins": may(user, "user.manage"),
        "can_open_rounds": may(user, "round.open"),
        "can_read_cases": may(user, "case.read"),
        "can_edit_calendar": may(user, "calendar.edit"),
        "can_define_honors": may(user, "honor.define"),
        "can_nominate_honors": may(user, "honor.nominate"),
        "can_handle_suggestions": may(user, "suggestion.handle"),
        "can_grant_rewards": may(user, "reward.confidential"),
        "can_manage_surveys": may(user, "survey.manage"),
        "can_read_survey_results": may(user, "survey.results"),
        "can_read_talent": may(user, "talent.read"),
        "can_record_forums": may(user, "forum.record"),
        "can_read_effect": may(user, "reward.effect"),
        "can_run_rewards": may(user, "reward.run"),
        "can_approve_rewards": may(user, "reward.approve"),
        "can_discard_rewards": may(user, "reward.discard"),
        "can_read_rewards": may(user, "reward.read"),
        "can_export_payroll": may(user, "reward.export"),
        "can_post_awards": may(user, "reward.award"),
        "can_whatif_rewards": may(user, "reward.whatif"),
    }


def holders(code: str):
    """The active users who are `code` of rungs.core.roles: by their role, or by a function they hold."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    return (
        get_user_model().objects.filter(Q(role=code) | Q(functions__function=code), is_active=True).distinct()
    )


def requires(action: str):
    """A view decorator: 403 with the reason unless the signed-in user may take `action`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            check(request.user, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
