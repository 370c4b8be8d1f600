"""Approval chains of the policy's authority matrix: steps in order, 会签 (each role signs) and 或签 (any one
does), one signature per person, and a delegate approving in the place of someone away. The notice-workflow
round of test_rounds with its `approves: hr` rewritten; the 公示 ends on 2026-10-08."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from rungs.accounts.authority import Denied
from rungs.accounts.models import UserFunction
from rungs.accounts.services import delegation_create
from rungs.policies.services import evaluation_run_start, policy_create
from rungs.promotions.models import Candidacy, Transition
from rungs.promotions.services import (
    StepRefused,
    candidacy_apply,
    candidacy_approve,
    candidacy_review,
    notice_open,
    round_open,
)
from tests.web.conftest import needs_server_database
from tests.web.test_rounds import POLICY, company  # noqa: F401  (the fixture)

User = get_user_model()
D = dt.date
S = Candidacy.State


def noticed(u, rnd, approves):
    """The round's policy with another approval chain, and 王芳 in the 公示 of a round under it."""
    text = POLICY.read_text(encoding="utf-8").replace("approves: hr", f"approves: {approves}")
    text = text.replace('version: "2026.1"', 'version: "2026.2"')
    policy = policy_create(text=text, filename="chain.yaml", actor=u["hr"])
    evaluation_run_start(policy=policy, as_of=D(2026, 9, 1), actor=u["hr"])
    rnd = round_open(
        policy=policy, name="审批链", kind="regular", posts=[{"track": "post", "level": "senior", "number": 1}],
        department=rnd.department, actor=u["hr"],
    )  # fmt: skip
    c = candidacy_apply(round=rnd, actor=u["fang"], statement="申请")
    candidacy_review(candidacy=c, passed=True, actor=u["sup"])
    notice_open(round=rnd, opened_on=D(2026, 9, 23), actor=u["hr"])
    return Candidacy.objects.get(pk=c.pk)


def director(name):
    user = User.objects.create(username=name, role="executive")
    UserFunction.objects.create(user=user, function="director")
    return user


@pytest.mark.django_db
def test_steps_in_order_then_a_countersign_with_a_delegate_for_the_one_away(company):  # noqa: F811
    u, rnd = company
    u["dir"], u["hr2"] = director("dir"), User.objects.create(username="hr2", role="hr")
    c = noticed(u, rnd, "[department_manager, {all: [hr, director]}]")
    day = D(2026, 10, 12)

    with pytest.raises(Denied, match="等待部门经理审批（第 1 步，共 2 步）"):
        candidacy_approve(candidacy=c, actor=u["hr"], today=day)
    candidacy_approve(candidacy=c, actor=u["dm"], today=day)
    c.refresh_from_db()
    assert (c.state, c.version) == (S.NOTICE, 3)  # one step of two signed: still waiting
    with pytest.raises(StepRefused, match="同一人不能再签一次"):
        candidacy_approve(candidacy=c, actor=u["dm"], today=day)
    candidacy_approve(candidacy=c, actor=u["hr"], today=day)
    with pytest.raises(
        Denied, match="等待总监审批（第 2 步，共 2 步）"
    ):  # 会签: HR signed, the director has not
        candidacy_approve(candidacy=c, actor=u["hr2"], today=day)

    # the director is away 13–20 October and leaves hr2 to approve in their place
    delegation_create(
        principal=u["dir"],
        delegate=u["hr2"],
        starts_on=D(2026, 10, 13),
        ends_on=D(2026, 10, 20),
        actor=u["dir"],
    )
    with pytest.raises(Denied):
        candidacy_approve(candidacy=c, actor=u["hr2"], today=D(2026, 10, 21))  # the delegation is over
    candidacy_approve(candidacy=c, actor=u["hr2"], today=D(2026, 10, 14))
    c.refresh_from_db()
    assert c.state == S.APPROVED
    assert [(a["by"], a["as"], a["step"], a.get("for")) for a in c.approvals] == [
        ("dm", "department_manager", 0, None),
        ("hr", "hr", 1, None),
        ("hr2", "director", 1, "dir"),
    ]
    assert Transition.objects.filter(candidacy=c).last().reason == "hr2（代dir） 以总监身份审批"


@pytest.mark.django_db
def test_any_one_of_the_roles_signs_alone(company):  # noqa: F811
    u, rnd = company
    u["dir"] = director("dir")
    c = noticed(u, rnd, "[{any: [hr, director]}]")
    with pytest.raises(Denied, match="人力资源或总监"):
        candidacy_approve(candidacy=c, actor=u["dm"], today=D(2026, 10, 12))
    candidacy_approve(candidacy=c, actor=u["dir"], today=D(2026, 10, 12))
    c.refresh_from_db()
    assert c.state == S.APPROVED


@pytest.mark.django_db
def test_a_delegation_names_someone_else_for_dates_in_order(company):  # noqa: F811
    u, _ = company
    with pytest.raises(Denied, match="自己"):
        delegation_create(
            principal=u["hr"],
            delegate=u["hr"],
            starts_on=D(2026, 10, 1),
            ends_on=D(2026, 10, 2),
            actor=u["hr"],
        )
    with pytest.raises(Denied, match="早于"):
        delegation_create(
            principal=u["hr"],
            delegate=u["dm"],
            starts_on=D(2026, 10, 2),
            ends_on=D(2026, 10, 1),
            actor=u["hr"],
        )
    with pytest.raises(Denied):  # someone else's delegation: only HR or an administrator sets it
        delegation_create(
            principal=u["hr"],
            delegate=u["dm"],
            starts_on=D(2026, 10, 1),
            ends_on=D(2026, 10, 2),
            actor=u["dm"],
        )


@pytest.mark.django_db
def test_the_inbox_lists_each_step_for_whoever_it_waits_on(company, client, monkeypatch):  # noqa: F811
    from rungs.audit import clock

    u, rnd = company
    u["dir"] = director("dir")
    c = noticed(u, rnd, "[department_manager, {all: [hr, director]}]")

    def inbox(name, day):
        monkeypatch.setattr(clock, "today", lambda: day)
        client.force_login(u[name])
        page = client.get("/").content.decode()
        return page[page.find('id="inbox"') :] if 'id="inbox"' in page else ""

    # posted Wed 23 Sep, the 公示 runs to the end of Wed 30 Sep (23, 24, 28, 29, 30): nobody's turn yet
    assert "王芳" not in inbox("dm", D(2026, 9, 30))
    assert "审批" in inbox("dm", D(2026, 10, 8))  # the first working day after it
    assert "审批" in inbox("dm", D(2026, 10, 12)) and "王芳" not in inbox("hr", D(2026, 10, 12))
    candidacy_approve(candidacy=c, actor=u["dm"], today=D(2026, 10, 12))
    assert "王芳" not in inbox("dm", D(2026, 10, 12))
    assert "王芳" in inbox("hr", D(2026, 10, 12)) and "王芳" in inbox("dir", D(2026, 10, 12))
    candidacy_approve(candidacy=c, actor=u["hr"], today=D(2026, 10, 12))
    assert "王芳" not in inbox("hr", D(2026, 10, 12)) and "王芳" in inbox("dir", D(2026, 10, 12))
    candidacy_approve(candidacy=c, actor=u["dir"], today=D(2026, 10, 12))
    assert "发布任命" in inbox("hr", D(2026, 10, 12))  # approved: HR appoints next
    client.force_login(u["fang"])
    assert "已审批" in client.get("/").content.decode()  # the candidate sees where their application stands


@pytest.mark.django_db
def test_the_delegation_page_sets_ones_own_delegation(company, client):  # noqa: F811
    from rungs.accounts.models import Delegation

    u, _ = company
    client.force_login(u["hr"])
    client.post(
        "/accounts/delegation/", {"delegate": "dm", "starts_on": "2026-10-13", "ends_on": "2026-10-20"}
    )
    d = Delegation.objects.get()
    assert (d.principal, d.delegate, d.starts_on, d.ends_on) == (
        u["hr"],
        u["dm"],
        D(2026, 10, 13),
        D(2026, 10, 20),
    )
    response = client.post(
        "/accounts/delegation/", {"delegate": "nobody", "starts_on": "2026-10-13", "ends_on": "x"}
    )
    assert response.status_code == 302 and Delegation.objects.count() == 1
    assert "dm" in client.get("/accounts/delegation/").content.decode()


@needs_server_database("concurrent approvers")
@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_one_wins_and_the_other_is_told(company):  # noqa: F811
    """或签: HR or the director. Both open the page (version seen), both press approve at the same moment:
    the row lock makes the second wait for the first, then see that the candidacy moved on."""
    import threading

    from django.db import connection

    u, rnd = company
    u["dir"] = director("dir")
    c = noticed(u, rnd, "[{any: [hr, director]}]")
    seen = c.version
    start, results = threading.Barrier(2), {}

    def approve(name):
        try:
            start.wait()
            candidacy_approve(candidacy=c, actor=u[name], today=D(2026, 10, 12), version=seen)
            results[name] = "approved"
        except StepRefused as exc:
            results[name] = str(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(n,)) for n in ("hr", "dir")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcomes = sorted(results.values())
    assert outcomes[0] == "approved" and "刷新" in outcomes[1], results
    c.refresh_from_db()
    assert c.state == S.APPROVED and len(c.approvals) == 1
