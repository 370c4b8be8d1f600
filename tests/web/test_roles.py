"""One vocabulary of roles for accounts and the policy language; the deciders a scheme names are functions
a user can hold, so every approver a policy may name is someone."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from rungs.accounts.authority import holders
from rungs.accounts.models import FUNCTIONS, Role
from rungs.accounts.services import function_grant
from rungs.audit.models import AuditEntry
from rungs.core.roles import ROLES, USER_ROLES


def test_the_user_roles_are_the_vocabularys_with_its_labels():
    assert [r.value for r in Role] == list(USER_ROLES)
    assert {r.value: str(r.label) for r in Role} == {c: ROLES[c].zh for c in USER_ROLES}


def test_every_decider_of_the_vocabulary_is_a_role_or_a_function():
    assert {c for c, _ in FUNCTIONS} | {r.value for r in Role} == set(ROLES)
    assert "chairman" in dict(FUNCTIONS) and str(dict(FUNCTIONS)["chairman"]) == "董事长"


@pytest.mark.django_db
def test_holders_are_found_by_role_or_function_and_the_grant_is_audited():
    User = get_user_model()
    boss = User.objects.create(username="zhang-dongshi", role="executive")
    hr = User.objects.create(username="hr-wang", role="hr")
    assert list(holders("chairman")) == []
    function_grant(user=boss, function="chairman", actor=hr)
    assert list(holders("chairman")) == [boss]
    assert set(holders("hr")) == {hr}
    e = AuditEntry.objects.get(action="user.manage")
    assert (e.actor, e.before, e.after) == ("hr-wang", {"functions": []}, {"functions": ["chairman"]})
    boss.is_active = False
    boss.save()
    assert list(holders("chairman")) == []
