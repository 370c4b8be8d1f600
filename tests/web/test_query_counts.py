"""Query counts pinned on the list pages and API lists: each is measured at two sizes of the department
(2 and 8 teams of 12, the larger past the board's and the API's first page of 50) and must be the same at
both, and at most the pinned number. A query per row (N+1) would grow by dozens between the two sizes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from rungs.api.models import ApiToken
from rungs.audit.models import AuditEntry
from rungs.demo.seed import DEMO_POLICY, create_demo
from rungs.people.models import Employee
from rungs.policies.models import EvaluationRun, Policy
from rungs.policies.services import evaluation_run_start, policy_create
from rungs.records.services import score_record

from .conftest import AS_OF, login

SMALL, LARGE = 24, 96

# page -> (role, url, query parameters, htmx?, the most queries it may take: the count measured when it
# was pinned, so one query more fails; lower the pin when a page needs fewer)
PAGES = {
    "board": ("hr", "/board/", {}, False, 9),
    "board, a sorted step": (
        "hr",
        "/board/",
        {"step": "skill.intermediate-senior", "sort": "-passed"},
        False,
        9,
    ),
    "board, htmx partial": ("hr", "/board/", {"sort": "name", "page": 1}, True, 7),
    "team view": ("team-lead", "/board/team/", {}, False, 13),
    "team view, everyone": ("hr", "/board/team/", {}, False, 11),
    "people": ("hr", "/people/", {}, False, 4),
    "policy list": ("hr", "/entry/policies/", {}, False, 9),
    "audit": ("hr", "/audit/", {}, False, 4),
}
# endpoint -> (url, query parameters, the most queries it may take); called with HR's token.
API = {
    "GET /api/employees": ("/api/employees", {}, 4),
    "GET /api/evaluations/latest": ("/api/evaluations/latest", {}, 3),
}


def _department(n: int) -> None:
    """The demo department of n people, with every list in proportion: the lead's team takes in n // 4
    more people, the policy has n // 48 more versions (each with its run) and the lead records n // 8
    scores (each an audit entry)."""
    EvaluationRun.objects.all().delete()
    Policy.objects.all().delete()  # create_demo looks its policy up by file name, not by scheme
    create_demo(n, as_of=AS_OF, seed=11)
    lead = get_user_model().objects.get(username="demo-team-lead")
    newcomers = Employee.objects.exclude(team=lead.team).order_by("employee_id")[: n // 4]
    Employee.objects.filter(pk__in=[e.pk for e in newcomers]).update(
        team=lead.team, department=lead.team.department
    )
    text = DEMO_POLICY.read_text(encoding="utf-8")
    for k in range(2, 2 + n // 48):
        policy = policy_create(
            text=text.replace('version: "2026.1"', f'version: "2026.{k}"'),
            filename=DEMO_POLICY.name,
            actor=None,
        )
        evaluation_run_start(policy=policy, as_of=AS_OF, actor=None)
    team = Employee.objects.filter(team=lead.team).exclude(pk=lead.employee_id).order_by("employee_id")
    for i, person in enumerate(team[: n // 8]):
        score_record(employee=person, period=f"2019-{i % 12 + 1:02d}", score=80.0, grade="良好", actor=lead)


def _sizes() -> dict[str, int]:
    lead = get_user_model().objects.get(username="demo-team-lead")
    return {
        "people": Employee.objects.count(),
        "team": Employee.objects.filter(team=lead.team).count(),
        "policies": Policy.objects.count(),
        "runs": EvaluationRun.objects.count(),
        "audit entries": AuditEntry.objects.count(),
    }


def _page_counts(client, assert_max) -> dict[str, int]:
    counts = {}
    for name, (role, url, params, htmx, most) in PAGES.items():
        login(client, role)
        headers = {"HX-Request": "true"} if htmx else {}
        client.get(url, params, headers=headers)  # warm: sessions, content types and the like
        with assert_max(most) as captured:
            assert client.get(url, params, headers=headers).status_code == 200, name
        counts[name] = len(captured)
    return counts


def _api_counts(client, assert_max) -> dict[str, int]:
    key = ApiToken.issue(get_user_model().objects.get(username="demo-hr"), "query counts")[1]
    headers = {"Authorization": f"Bearer {key}"}
    counts = {}
    for name, (url, params, most) in API.items():
        client.get(url, params, headers=headers)
        with assert_max(most) as captured:
            assert client.get(url, params, headers=headers).status_code == 200, name
        counts[name] = len(captured)
    return counts


def _counts(client, assert_max) -> dict[str, int]:
    return {**_page_counts(client, assert_max), **_api_counts(client, assert_max)}


@pytest.mark.django_db
def test_list_pages_and_api_lists_take_as_many_queries_for_24_people_as_for_96(
    client, django_assert_max_num_queries
):
    _department(SMALL)
    small_rows, small = _sizes(), _counts(client, django_assert_max_num_queries)
    _department(LARGE)
    large_rows, large = _sizes(), _counts(client, django_assert_max_num_queries)
    # Every list is longer in the larger department (else the comparison proves nothing) ...
    assert all(large_rows[k] > small_rows[k] for k in small_rows), (small_rows, large_rows)
    # ... and takes exactly as many queries.
    assert large == small
