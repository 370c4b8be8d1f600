"""The roles and functions that decide: one vocabulary for the policy language and the accounts.

A policy names who proposes, reviews and approves a promotion (procedure.authority, procedure.skip_level);
each such name must be a code here, so that every approver a policy names is someone a user can be (issue
13). The first eight are the application's user roles; the others are the deciders the schemes name
(SEEDS.md), which an organisation assigns to users as functions. Dependency-free: the Django accounts app
imports it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    code: str
    zh: str
    en: str
    user_role: bool = False  # one of the application's user roles (accounts.Role), not only a function

    def label(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh


ROLES: dict[str, Role] = {
    r.code: r
    for r in (
        Role("agent", "普通客服", "agent", user_role=True),  # the employee, e.g. self-application
        Role("team_lead", "组长", "team lead", user_role=True),
        Role("supervisor", "主管", "supervisor", user_role=True),
        Role("qa_training", "质/培组", "quality and training group", user_role=True),
        Role("department_manager", "部门经理", "department manager", user_role=True),
        Role("hr", "人力资源", "human resources", user_role=True),
        Role("executive", "副总/总经理", "executive", user_role=True),
        Role("admin", "系统管理员", "administrator", user_role=True),
        Role("chairman", "董事长", "chairman"),
        Role("general_manager", "总经理", "general manager"),
        Role("vice_president", "副总", "vice president"),
        Role("director", "总监", "director"),
        Role("customer_service_manager", "客服经理", "customer-service manager"),
        Role("review_committee", "评定小组成员", "review committee member"),
        Role("leadership", "公司领导", "company leadership"),
    )
}
ROLE_CODES: tuple[str, ...] = tuple(ROLES)
USER_ROLES: tuple[str, ...] = tuple(c for c, r in ROLES.items() if r.user_role)


def role_label(code: str, lang: str = "zh") -> str:
    """董事长 / chairman …; an unknown code is shown as it is."""
    r = ROLES.get(code)
    return r.label(lang) if r else code
