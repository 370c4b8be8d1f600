"""Writes about logins: a user's role, scope and status changed (in the admin, or by HR's pages), with
the authority check and the audit entry in the same transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from rungs.accounts.authority import Denied, check
from rungs.accounts.models import Role
from rungs.audit.trail import actor_name, record

# The fields of a login the trail follows (the password only as "changed", never its hash).
TRACKED = ("username", "role", "employee", "department", "team", "is_active", "is_staff", "is_superuser")


def snapshot(user) -> dict:
    return {f: str(getattr(user, f)) if getattr(user, f) is not None else None for f in TRACKED}


@transaction.atomic
def user_save(*, user, before: dict | None, actor, password_changed: bool = False):
    """Stores a new or changed login. Only an administrator makes someone an administrator."""
    check(actor, "user.manage")
    grants_admin = user.is_superuser or user.role == Role.ADMIN
    had_admin = before is not None and (before["is_superuser"] == "True" or before["role"] == Role.ADMIN)
    if grants_admin and not had_admin and actor is not None and not actor.is_superuser:
        raise Denied("user.manage", _("只有系统管理员可以授予管理员权限。"))
    user.save()
    after = snapshot(user)
    changed = {k: v for k, v in after.items() if before is None or before.get(k) != v}
    if password_changed:
        changed["password"] = "changed"
    if changed:
        record(
            actor,
            "user.create" if before is None else "user.manage",
            user,
            before={k: before[k] for k in changed if k in before} if before else None,
            after=changed,
        )
    return user


@transaction.atomic
def password_changed(*, user, actor, before_hash: str) -> bool:
    """Audits a password change that Django's own form has just written (the admin's password page or
    one's own), inside the same transaction: a change of another person's password needs user.manage, so
    a refusal undoes it. The trail says "changed" (or "disabled"), never the hash. False when the hash
    did not change (the form was refused)."""
    user.refresh_from_db(fields=["password"])
    if user.password == before_hash:
        return False
    own = actor is not None and actor.pk == user.pk
    check(actor, "user.password" if own else "user.manage")
    state = "changed" if user.has_usable_password() else "disabled"
    record(
        actor,
        "user.password",
        user,
        after={"password": state, "by": "self" if own else actor_name(actor)},
    )
    return True


@transaction.atomic
def functions_recorded(*, user, before: list[str], actor) -> None:
    """Audits a change of the functions a user holds (董事长, 评定小组成员 …), as the admin saved them."""
    check(actor, "user.manage")
    after = sorted(user.functions.values_list("function", flat=True))
    if after != before:
        record(actor, "user.manage", user, before={"functions": before}, after={"functions": after})


@transaction.atomic
def function_grant(*, user, function: str, actor):
    """Gives a user a decider's function; only an administrator or HR may."""
    from rungs.accounts.models import UserFunction

    check(actor, "user.manage")
    before = sorted(user.functions.values_list("function", flat=True))
    UserFunction.objects.get_or_create(user=user, function=function)
    functions_recorded(user=user, before=before, actor=actor)


@transaction.atomic
def delegation_create(*, principal, delegate, starts_on, ends_on, actor, note: str = ""):
    """Someone going away names who approves in their place; HR or an administrator may set it for them."""
    from rungs.accounts.models import Delegation

    if actor is None or actor.pk != principal.pk:
        check(actor, "user.manage")
    if delegate.pk == principal.pk:
        raise Denied("delegation", _("不能委托给自己。"))
    if not delegate.is_active:
        raise Denied(
            "delegation", _("%(name)s 的账号已停用，不能作为代理人。") % {"name": delegate.get_username()}
        )
    if ends_on < starts_on:
        raise Denied("delegation", _("结束日期不能早于开始日期。"))
    d = Delegation.objects.create(
        principal=principal,
        delegate=delegate,
        starts_on=starts_on,
        ends_on=ends_on,
        note=(note or "").strip(),
    )
    record(
        actor,
        "delegation.create",
        d,
        after={
            "principal": principal.get_username(),
            "delegate": delegate.get_username(),
            "from": starts_on,
            "to": ends_on,
        },
    )
    return d
