"""The demo's titles and awards (SEEDS.md, rewards and incentives): 优秀客服, 服务明星, 优秀客服服务主管, 创新奖,
优秀建议奖 and 优秀班组, with quotas and, where measurable, criteria on the demo policy's tracks."""

from __future__ import annotations

from rungs.honors.models import Honor
from rungs.honors.services import honor_define
from rungs.policies.models import Policy

SKILL = ("assistant", "junior", "intermediate", "senior", "expert")
TITLES = [
    {
        "code": "excellent_agent",
        "name": "优秀客服",
        "quota": 2,
        "quota_scope": "team",
        "description": "达到岗位绩效目标：当月满意度≥92，当月无客诉。",
        "track": "skill",
        "levels": SKILL,
        "criteria": (
            "- id: csat\n  label: {zh: 当月满意度≥92, en: CSAT ≥ 92 in the month}\n"
            "  window: {of: metric.csat, period: month, last: 1, agg: mean}\n  at_least: 92\n"
            "- id: no_complaint\n  label: {zh: 当月无客诉, en: No complaint in the month}\n"
            "  count: {event: complaint, months: 1}\n  equals: 0\n"
        ),
    },
    {
        "code": "service_star",
        "name": "服务明星",
        "quota": 1,
        "quota_scope": "department",
        "description": "当月满意度≥95，并获得内部表扬或同事感谢。",
        "track": "skill",
        "levels": SKILL,
        "criteria": (
            "- id: csat\n  label: {zh: 当月满意度≥95, en: CSAT ≥ 95 in the month}\n"
            "  window: {of: metric.csat, period: month, last: 1, agg: mean}\n  at_least: 95\n"
            "- id: thanked\n  label: {zh: 当月获得内部表扬或同事感谢, en: Commended or thanked in the month}\n"
            "  count: {event: commendation_internal, months: 1}\n  at_least: 1\n"
        ),
    },
    {
        "code": "excellent_supervisor",
        "name": "优秀客服服务主管",
        "cycle": "Q",
        "quota": 1,
        "quota_scope": "department",
        "description": "本季度考核平均分≥85，团队满意度与解决率提升明显。",
        "track": "management",
        "levels": ("supervisor",),
        "criteria": (
            "- id: score\n  label: {zh: 本季度月度考核平均分≥85, en: Mean monthly score ≥ 85 this quarter}\n"
            "  window: {of: score, period: month, last: 3, agg: mean}\n  at_least: 85\n"
        ),
    },
    {
        "code": "innovation",
        "name": "创新奖",
        "cycle": "Q",
        "quota": 2,
        "quota_scope": "company",
        "description": "提出并落地了改进服务流程、工具或话术的创新做法。",
    },
    {
        "code": "excellent_suggestion",
        "name": "优秀建议奖",
        "quota": 3,
        "quota_scope": "company",
        "description": "意见箱中被采纳并实施的优秀建议。",
    },
    {
        "code": "excellent_team",
        "name": "优秀班组",
        "kind": "team",
        "cycle": "Q",
        "quota": 1,
        "quota_scope": "department",
        "description": "本季度班组满意度、解决率领先，团队协作好。",
    },
]


def create_honors(policy: Policy) -> None:
    """The demo's titles, once (a second load keeps them and whatever was nominated)."""
    for title in TITLES:
        if Honor.objects.filter(code=title["code"]).exists():
            continue
        measured = "criteria" in title
        honor_define(**{**title, "policy": policy if measured else None}, actor=None)
