"""Issuing and revoking API tokens: authority-checked, in one transaction with their audit entry. The
key itself is never recorded anywhere (only its SHA-256 is stored, on the token)."""

from __future__ import annotations

from django.db import transaction

from rungs.accounts.authority import check
from rungs.api.models import ApiToken
from rungs.audit.trail import record


class TokenRefused(Exception):
    pass


@transaction.atomic
def token_issue(*, user, name: str = "", actor) -> tuple[ApiToken, str]:
    """A new token for `user` and its key, shown once."""
    check(actor, "token.issue")
    if not user.is_active:
        raise TokenRefused(f"user {user.get_username()!r} is inactive / 该用户已停用")
    token, key = ApiToken.issue(user, name)
    record(
        actor,
        "token.issue",
        token,
        after={"user": user.get_username(), "name": name, "prefix": token.prefix},
    )
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken, actor, reason: str = "") -> ApiToken:
    """Revokes a token for good (a revoked token is never valid again; issue a new one instead)."""
    check(actor, "token.revoke")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not token.revoked:
        token.revoked = True
        token.save(update_fields=["revoked"])
        record(
            actor, "token.revoke", token, before={"revoked": False}, after={"revoked": True}, reason=reason
        )
    return token
