"""Every step of a notice-workflow round, tried by every role: only those the authority table and the
policy's matrix name may take it (SEEDS.md notice-workflow: the supervisor or department manager reviews,
HR approves); everyone else is refused with a reason and nothing is stored. A step that succeeds is rolled
back to a savepoint so that each role is tried on the same state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from rungs.accounts.authority import Denied
from rungs.promotions.models import Candidacy
from rungs.promotions.services import (
    candidacy_apply,
    candidacy_appoint,
    candidacy_approve,
    candidacy_conclude,
    candidacy_nominate,
    candidacy_review,
    notice_open,
    objection_decide,
    objection_file,
    round_open,
)
from tests.web.test_rounds import company  # noqa: F401  (the fixture)

User = get_user_model()
D = dt.date
ROLES = ("li", "lead", "sup", "sup2", "dm", "qa", "exec", "hr", "admin")


class Rollback(Exception):
    pass


def allowed(users, step) -> set[str]:
    """The roles for which `step(actor)` succeeds; Denied is the only refusal expected."""
    ok = set()
    for name in ROLES:
        try:
            with transaction.atomic():
                step(users[name])
                raise Rollback
        except Rollback:
            ok.add(name)
        except Denied as exc:
            assert exc.reason  # a refusal says why
    return ok


@pytest.mark.django_db
def test_each_step_is_open_only_to_the_roles_named(company):  # noqa: F811
    u, rnd = company
    dept = u["dm"].department
    u |= {
        "qa": User.objects.create(username="qa", role="qa_training"),
        "exec": User.objects.create(username="exec", role="executive"),
        "admin": User.objects.create(username="admin", role="admin"),
    }
    posts = [{"track": "post", "level": "senior", "number": 1}]
    assert allowed(
        u,
        lambda a: round_open(
            policy=rnd.policy, name="x", kind="regular", posts=posts, department=dept, actor=a
        ),
    ) == {"dm", "qa", "hr", "admin"}
    fang = u["fang"].employee
    # a superior in scope nominates: not HR (not in the line), not another department's supervisor
    assert allowed(u, lambda a: candidacy_nominate(round=rnd, employee=fang, statement="推荐", actor=a)) == {
        "lead",
        "sup",
        "dm",
        "admin",
    }
    c = candidacy_apply(round=rnd, actor=u["fang"], statement="申请")
    # the policy names the reviewers: supervisor or department manager (of the department)
    assert allowed(u, lambda a: candidacy_review(candidacy=c, passed=True, actor=a)) == {"sup", "dm"}
    candidacy_review(candidacy=c, passed=True, actor=u["sup"])
    assert allowed(u, lambda a: notice_open(round=rnd, opened_on=D(2026, 9, 23), actor=a)) == {
        "dm",
        "hr",
        "admin",
    }
    notice_open(round=rnd, opened_on=D(2026, 9, 23), actor=u["hr"])

    # anyone of the department may object; qiang stands in for a colleague
    def objects(a):
        objection_file(candidacy=c, text="有异议", received_on=D(2026, 9, 28), actor=a)

    assert {"li", "lead", "sup", "dm", "hr", "admin"} <= allowed(u, objects)
    assert "sup2" not in allowed(u, objects)
    o = objection_file(candidacy=c, text="有异议", received_on=D(2026, 9, 28), actor=u["qiang"])
    assert allowed(
        u,
        lambda a: objection_decide(
            objection=o, upheld=False, reason="不成立", decided_on=D(2026, 9, 29), actor=a
        ),
    ) == {"hr", "admin"}
    objection_decide(objection=o, upheld=False, reason="不成立", decided_on=D(2026, 9, 29), actor=u["hr"])
    # HR approves (the policy's matrix), no one else, not even an administrator
    assert allowed(u, lambda a: candidacy_approve(candidacy=c, actor=a, today=D(2026, 10, 12))) == {"hr"}
    candidacy_approve(candidacy=c, actor=u["hr"], today=D(2026, 10, 12))
    assert allowed(u, lambda a: candidacy_appoint(candidacy=c, decided=D(2026, 10, 12), actor=a)) == {
        "hr",
        "admin",
    }
    candidacy_appoint(candidacy=c, decided=D(2026, 10, 12), actor=u["hr"])
    assert allowed(
        u, lambda a: candidacy_conclude(candidacy=c, passed=True, on=D(2027, 1, 12), reason="合格", actor=a)
    ) == {"dm", "hr", "admin"}
    # the candidate never acts on their own candidacy, whatever their role
    u["fang"].role = "hr"
    u["fang"].save()
    with pytest.raises(Denied):
        candidacy_conclude(candidacy=c, passed=True, on=D(2027, 1, 12), reason="合格", actor=u["fang"])
    assert Candidacy.objects.get(pk=c.pk).state == Candidacy.State.APPOINTED
