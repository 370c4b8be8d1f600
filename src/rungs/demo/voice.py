"""The demo's voice of staff (SEEDS.md, rewards and incentives): two anonymous suggestions, a staff forum
(座谈会) with its issues tracked as actions, and an open satisfaction survey, the first round of a series.
Everything goes through the voice services, as a user's entries would."""

from __future__ import annotations

import datetime as dt

from rungs.accounts.models import User
from rungs.voice.forums import forum_action_move, forum_create, forum_issue_add
from rungs.voice.models import Forum, ForumAction, Suggestion, Survey
from rungs.voice.suggestions import suggestion_submit
from rungs.voice.surveys import parse_questions, survey_create, survey_open

SUGGESTIONS = [
    ("夜班交接记录统一模板", "夜班和早班交接时，未结工单的说明格式不一，建议统一交接模板并放在知识库首页。"),
    ("常见问题话术库按月更新", "新品上线后话术库更新慢，建议每月由质检组汇总一次高频新问题并更新话术。"),
]
QUESTIONS = (
    "评分：您对本月的工作安排满意吗？\n"
    "评分：您对培训与成长机会满意吗？\n"
    "单选：您最希望改进的一项｜排班｜培训｜工具系统｜激励方式\n"
    "文字：还有什么想对管理层说的？"
)


def remove_voice() -> None:
    """Before the demo is loaded again: its people are replaced, so the forums and surveys about them go
    (their actions, ballots and responses with them), and the demo's own suggestions."""
    Forum.objects.all().delete()
    Survey.objects.all().delete()
    Suggestion.objects.filter(title__in=[t for t, _ in SUGGESTIONS], claim__isnull=True).delete()


def create_voice(as_of: dt.date) -> None:
    hr = User.objects.get(username="demo-hr")
    agent = User.objects.get(username="demo-agent")
    lead = User.objects.get(username="demo-team-lead")
    supervisor = User.objects.get(username="demo-supervisor")
    for title, text in SUGGESTIONS:
        suggestion_submit(title=title, text=text, actor=agent, today=as_of - dt.timedelta(days=3))

    held = as_of - dt.timedelta(days=10)
    forum = forum_create(
        held_on=held,
        topic="一线客服座谈会：排班与培训",
        actor=hr,
        other_attendees="一线客服代表 8 人，人力资源部、质检培训组各 1 人",
        summary="大家反映夜班连续排班偏多、新人带教时间不足；会上确定两项改进，由组长和主管负责落实。",
        today=as_of,
    )
    issues = [
        ("夜班连续不超过 3 天，排班表提前两周公布", lead, 20),
        ("新人带教延长到 4 周，并指定带教人", supervisor, 30),
    ]
    first, _second = (
        forum_issue_add(
            forum=forum,
            issue=issue,
            owner=owner,
            due_on=as_of + dt.timedelta(days=days),
            actor=hr,
            today=as_of,
        )
        for issue, owner, days in issues
    )
    forum_action_move(
        action=first, to=ForumAction.State.IN_PROGRESS, actor=lead, today=as_of, note="下期排班表已按此编排"
    )

    survey = survey_create(
        title=f"{as_of:%Y年%m月} 员工满意度调查",
        questions=parse_questions(QUESTIONS),
        opens_on=as_of - dt.timedelta(days=2),
        closes_on=as_of + dt.timedelta(days=12),
        actor=hr,
        series="员工满意度调查",
        intro="匿名作答：结果只按不少于 5 人的群体汇总。",
    )
    survey_open(survey=survey, actor=hr)
